import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { finishPublication } from '../publish/finish-publication.js';
import type { ArchiveResult } from './archive-articles.js';
import type { RunContext } from './context.js';
import type { RenderResult } from './render-feeds.js';
import { renderDecision, upToDate } from './render-reason.js';
import {
  loadRecordFolders,
  recordFolderChanges,
  recordFolderStamps,
  type RecordFolderChanges,
} from './record-folders.js';
import type { RunReport } from './report.js';
import { quietArchive, scanArticles } from './scan-articles.js';
import { ignoredFiles } from './articles-folder.js';
import type { Issue } from '../model/issue.js';
import { CatalogueBehindError, rebuiltIssue } from './catalogue-behind.js';
import { catalogueFiles, markDirty, saveCatalogue } from '../archive/catalogue-file.js';
import { RecordChunkError } from '../archive/record-view-file.js';
import { keep } from '../archive/kept-catalogue.js';
import { archiveChangeReason } from './summary.js';

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
  /**
   * The articles folder is empty on purpose: withdraw every record. Without it, a run that
   * finds no stored article while records are live refuses (an unmounted share, a wrong path).
   */
  readonly withdrawAll?: boolean;
}

export async function runOnce(ctx: RunContext, opts: RunOptions): Promise<RunReport> {
  // First thing: a publication a kill cut between two renames is completed, so out/ holds one
  // run's feeds again before anything else happens (a dry run only reads, and leaves it).
  const finished = opts.dryRun ? null : completeInterrupted(ctx);
  // Before this run writes a record: a month folder of the records that moved since the last
  // publication, and which of its records changed (record-folders.ts).
  const { records, state } = ctx.config.paths;
  const byHand = recordFolderChanges(
    records,
    loadRecordFolders(state),
    recordFolderStamps(records),
  );
  // A run with nothing to do loads neither the archive stage nor the renderers (nor the
  // normalizer, the records' schema or the feed libraries they load): half of such a run's
  // CPU at 10,000 articles was loading code it never ran (docs/development.md).
  const scanned = scanArticles(ctx);
  const archived: ArchiveResult =
    quietArchive(ctx, opts, scanned) ??
    (await (await import('./archive-articles.js')).archiveArticles(ctx, opts, scanned));
  const behind: Issue[] = [];
  const written: string[] = [];
  let rendered: RenderResult | null = null;
  let from = archived;
  while (rendered === null) {
    try {
      rendered = await render(ctx, opts, from, byHand);
    } catch (error) {
      // A chunk of the records table not as the catalogue's root names it (a file put back or
      // edited by hand while a service kept the catalogue), found by the render stage's reads of
      // the newest chunks (record-view-file.ts) before it wrote anything: rendered again from
      // the catalogue rebuilt from the records, as a load that finds one does. Marked dirty, so
      // that the next run with work rebuilds its files too.
      if (error instanceof RecordChunkError) {
        const files = catalogueFiles(ctx.config.paths.state, ctx.config.paths.records);
        if (!opts.dryRun) markDirty(files);
        const { rebuildCatalogue } = await import('../archive/rebuild-catalogue.js');
        from = {
          ...from,
          catalogue: rebuildCatalogue(ctx.config.paths.records, ctx.config.root),
          recordsLoaded: true,
        };
        continue;
      }
      // A record changed outside feedkeeper, in what decides where it goes: the judge has set
      // its row from it (pipeline/catalogue-behind.ts). Saved at once, so that the next run
      // does not find it again; then rendered again from the catalogue as it now is. Each
      // pass sets one row more, so this ends.
      if (!(error instanceof CatalogueBehindError)) throw error;
      behind.push(rebuiltIssue(error));
      if (!opts.dryRun) {
        const files = catalogueFiles(ctx.config.paths.state, ctx.config.paths.records);
        for (const f of saveCatalogue(files, error.catalogue, true))
          written.push(relative(ctx.config.root, f));
      }
      from = { ...from, catalogue: error.catalogue, recordsLoaded: true };
    }
  }
  // A service keeps it for its next run (archive/kept-catalogue.ts), if every change is saved.
  // Never after a dry run: its changes (even the time of its scan) are in memory only.
  if (from.catalogue !== null && from.recordsLoaded && !opts.dryRun)
    keep(
      ctx.memory,
      catalogueFiles(ctx.config.paths.state, ctx.config.paths.records),
      from.catalogue,
    );
  return {
    archive: archived.summary,
    feeds: rendered.summary,
    written: [
      ...(finished?.written ?? []),
      ...archived.written,
      ...written.filter((f) => !archived.written.includes(f)),
      ...rendered.written,
    ],
    // A corrupt record is found by both stages: report it once. A file not read for its name
    // is reported by the listing, on every run (a quiet one too): but the configuration file,
    // when the articles folder is its folder.
    issues: [
      ...ignoredFiles(scanned.listing, ctx.config),
      ...new Map(
        [...archived.issues, ...behind, ...rendered.issues].map((i) => [JSON.stringify(i), i]),
      ).values(),
    ],
    dryRun: opts.dryRun,
    ...(finished ? { repaired: finished.repaired } : {}),
  };
}

async function render(
  ctx: RunContext,
  opts: RunOptions,
  archived: ArchiveResult,
  byHand: RecordFolderChanges,
): Promise<RenderResult> {
  const renderOpts = {
    editedFolders: byHand.moved,
    handEdited: byHand.edited,
    keptRecords: byHand.unchanged,
    dryRun: opts.dryRun,
    full: opts.full === true,
    recordsChanged: archived.summary.recordsChanged,
    changes: archiveChangeReason(archived.summary),
    fresh: archived.fresh,
    ...(archived.pageState === undefined ? {} : { pagesBefore: archived.pageState }),
    ...(archived.rowChanges === undefined ? {} : { rowChanges: archived.rowChanges }),
    rewritten: recordsWritten(ctx, archived.written),
    changed: [
      ...archived.summary.added,
      ...archived.summary.revised,
      ...archived.summary.withdrawn,
      ...archived.summary.restored,
      ...archived.summary.rescheduled,
      ...archived.summary.amended,
    ],
    was: new Map<string, 'live' | 'withdrawn'>([
      ...[...archived.summary.revised, ...archived.summary.withdrawn].map(
        (path) => [path, 'live'] as const,
      ),
      ...archived.summary.restored.map((path) => [path, 'withdrawn'] as const),
    ]),
  };
  const decision = renderDecision(ctx, renderOpts);
  return decision.reason === null
    ? upToDate(decision.state, decision.now, relative(ctx.config.root, ctx.config.paths.out))
    : await (
        await import('./render-feeds.js')
      ).renderFeeds(ctx, archived.catalogue, archived.recordsLoaded, renderOpts, decision);
}

function completeInterrupted(ctx: RunContext): { repaired: string; written: string[] } | null {
  const { out, state } = ctx.config.paths;
  const done = finishPublication(out, join(state, 'staging'), state);
  if (done === null) return null;
  const shown = (name: string): string => relative(ctx.config.root, join(out, name));
  if (!done.completed)
    return {
      repaired: `an earlier publication was interrupted between its renames and its staged copies of ${done.missing.map(shown).join(', ')} are gone: the feeds are rendered and published again`,
      written: [],
    };
  return {
    repaired:
      done.moved.length > 0
        ? `completed the publication a killed run left half done: moved ${done.moved.map(shown).join(', ')} into place`
        : 'completed the publication a killed run left half done: its files were all in place, its publish state is now saved',
    written: [...done.moved.map(shown), relative(ctx.config.root, join(state, 'published.json'))],
  };
}

/** The record files among those the archive stage wrote, as paths below the records folder. */
function recordsWritten(ctx: RunContext, written: readonly string[]): Set<string> {
  const { paths, root } = ctx.config;
  const names = new Set<string>();
  for (const w of written) {
    const rel = relative(paths.records, resolve(root, w));
    if (rel !== '' && !rel.startsWith('..') && !isAbsolute(rel))
      names.add(rel.split(sep).join('/'));
  }
  return names;
}
