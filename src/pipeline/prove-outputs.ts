import { join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { issue, type Issue } from '../model/issue.js';
import type { RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { FEED_BUG_HINT } from '../validate/checker.js';
import { expectedFeed, feedDateOf, selectionProblems } from '../validate/expected-feed.js';
import { verifyOutputs } from '../validate/verify-outputs.js';
import { expectPages } from './prove-pages.js';
import type { PagePlan } from './render-pages.js';
import { siteSince } from './site-since.js';

/**
 * The gate's I/O: the list of records the feeds must show, proven against the catalogue's index
 * rows by the verifier's own check (validate/expected-feed.ts), those record files read again
 * from disk (never the copies the renderer used), then the pure verifier. `build` calls it on
 * what it rendered, `check` on what is in out/.
 */
export function proveOutputs(
  rc: ResolvedConfig,
  catalogue: Catalogue,
  /** The record paths the feeds must list, newest first (pipeline/select-entries.ts). */
  listed: readonly string[],
  files: readonly RenderedFile[],
  /** A dry run wrote no record: it proves against the records it would have written. */
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
  /** Which records the pages among `files` were made from (pipeline/render-pages.ts). */
  pagePlan?: PagePlan,
): { issues: Issue[]; entries: number } {
  const { config, paths, root } = rc;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const wrong = selectionProblems(catalogue.records, listed, config.feed.size);
  if (wrong.length > 0)
    return {
      issues: files.map((f) =>
        issue(
          'FEED_SELECTION',
          'error',
          shown(f.row.file),
          `would list the wrong records: ${wrong.slice(0, 3).join('; ')}.`,
          `The feeds list the newest feed.size records that are not withdrawn, newest first. ${FEED_BUG_HINT}`,
          'entries',
        ),
      ),
      entries: listed.length,
    };
  const records: ArchiveRecord[] = [];
  const issues: Issue[] = [];
  for (const path of listed) {
    const pending = unwritten?.get(path);
    const read = pending ? { record: pending } : readRecord(paths.records, path, root);
    if ('record' in read) records.push(read.record);
    else issues.push(read.issue);
  }
  const pages = pagePlan && expectPages(rc, catalogue, listed, pagePlan, unwritten);
  if (pages) issues.push(...pages.issues);
  if (issues.length > 0) return { issues, entries: records.length };
  const verified = verifyOutputs({
    files,
    expected: expectedFeed(
      config.site,
      records,
      feedDateOf(catalogue.records.values()) || Date.parse(siteSince(rc) ?? '1970-01-01T00:00:00Z'),
    ),
    baseUrl: config.site.baseUrl,
    shown,
    ...(pages ? { pages: { site: config.site, expected: pages.expected } } : {}),
  });
  // Records read while verifying the article pages (pipeline/prove-pages.ts) that failed.
  return { issues: [...verified, ...(pages?.issues ?? [])], entries: records.length };
}
