import type { QuietScan } from '../archive/catalogue.js';
import { catalogueFiles, quietSince } from '../archive/catalogue-file.js';
import { walkArticles } from '../ingest/list-articles.js';
import type { Listing } from '../ingest/listing.js';
import type { ArchiveResult } from './archive-articles.js';
import type { RunContext } from './context.js';
import { Summary } from './summary.js';

/** The stored articles as one run found them: what every later step of the archive stage uses. */
export interface Scanned {
  /** When the listing started (ms): a file modified after it is read again next run. */
  readonly startedAt: number;
  /** Compact: a run with work makes its objects (`listing.articles()`). */
  readonly listing: Listing;
  /** listingDigest() of the listing. */
  readonly digest: string;
}

export function scanArticles(ctx: RunContext): Scanned {
  const { paths, root } = ctx.config;
  const startedAt = Date.now();
  const listing = walkArticles(paths.articles, root);
  return { startedAt, listing, digest: listing.digest() };
}

/**
 * The archive stage of a run that finds the listing the last saved catalogue was quiet for
 * (catalogue-file.ts, quietSince()): nothing to do, only counts. null: the stage must run
 * (archive-articles.ts). This module and what it imports are all a no-change build loads:
 * the normalizer, the records' schema and the renderers are loaded only when there is work.
 */
export function quietArchive(
  ctx: RunContext,
  opts: { full?: boolean },
  scanned: Scanned,
): ArchiveResult | null {
  if (opts.full === true) return null;
  const { paths } = ctx.config;
  const quiet = quietSince(
    catalogueFiles(paths.state, paths.records),
    scanned.listing,
    scanned.digest,
  );
  return quiet === null ? null : quietResult(quiet);
}

/** What a run over the catalogue's rows would have found: nothing to do, only counts. */
function quietResult(quiet: QuietScan): ArchiveResult {
  const s = new Summary();
  s.unchanged = quiet.unchanged;
  s.duplicates = quiet.duplicates;
  return {
    summary: s.done(),
    catalogue: null,
    issues: [],
    written: [],
    recordsLoaded: false,
    fresh: new Map(),
  };
}
