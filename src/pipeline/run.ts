import { archiveArticles } from './archive-articles.js';
import type { RunContext } from './context.js';
import { renderFeeds } from './render-feeds.js';
import type { RunReport } from './report.js';

/**
 * One run: stored articles → records → proven feeds → out/. The one-shot `build` and each
 * tick of `schedule` call exactly this (DESIGN.md section 7).
 */
export interface RunOptions {
  /** Do everything but write: report what would change. */
  readonly dryRun: boolean;
  /**
   * Trust nothing derived: rebuild the catalogue from every record (so a corrupt or
   * hand-edited record is found), read every stored article again, render every output.
   */
  readonly full?: boolean;
}

export async function runOnce(ctx: RunContext, opts: RunOptions): Promise<RunReport> {
  const archived = await archiveArticles(ctx, opts);
  const rendered = await renderFeeds(ctx, archived.catalogue, archived.recordsLoaded, {
    dryRun: opts.dryRun,
    full: opts.full === true,
    recordsChanged: archived.summary.recordsChanged,
    fresh: archived.fresh,
  });
  return {
    archive: archived.summary,
    feeds: rendered.summary,
    written: [...archived.written, ...rendered.written],
    // A corrupt record is found by both stages: report it once.
    issues: [
      ...new Map(
        [...archived.issues, ...rendered.issues].map((i) => [JSON.stringify(i), i]),
      ).values(),
    ],
    dryRun: opts.dryRun,
  };
}
