import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { historyReason } from '../history/history-state.js';
import { clockBehindNotice } from './clock-behind.js';
import { outputFiles } from '../model/outputs.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { releaseReason } from './embargo.js';
import type { RunContext } from './context.js';
import { leftOutLastTime } from './left-out.js';
import { movedFolder, pageStateFile, pageStateOutdated } from './page-state.js';
import {
  isPublishInterrupted,
  isPublishPending,
  loadPublishState,
  renderReason,
  statFiles,
  type PublishState,
} from './publish-state.js';
import type { RenderResult } from './render-feeds.js';

/** Whether a run renders the outputs, and what it renders them with. */
export interface RenderDecision {
  /** The configuration and feedkeeper's version: outputs made with another are made again. */
  readonly fingerprint: string;
  readonly state: PublishState | null;
  /**
   * One clock for the whole render: the selection, the feed date and the gate agree on what is
   * under embargo (pipeline/embargo.ts).
   */
  readonly now: string;
  /** Why the outputs are rendered; null: they are up to date. */
  readonly reason: string | null;
}

/**
 * Asked by every run before the renderers are loaded (render-feeds.ts and what it loads): a run
 * that changed nothing reads a few small state files and stat()s the outputs, nothing more.
 */
export function renderDecision(
  ctx: RunContext,
  /** `changes`: what the archive stage changed, said (summary.ts `archiveChangeReason`). */
  opts: {
    full: boolean;
    recordsChanged: boolean;
    changes?: string | null;
    /** Records the archive stage wrote in this run (paths below the records folder). */
    rewritten?: ReadonlySet<string>;
    /** Month folders of the records that moved since the last publication (record-folders.ts). */
    editedFolders?: readonly string[];
    /** Those with a record file changed in them (the others had a name added or removed). */
    handEdited?: readonly string[];
  },
): RenderDecision {
  const { paths } = ctx.config;
  const fingerprint = createHash('sha256')
    .update(`${ctx.config.fingerprint}\n${ctx.version}`)
    .digest('hex');
  const state = loadPublishState(paths.state);
  const now = formatUtcSecond(ctx.now().getTime());
  const reason =
    (opts.full ? 'a full build was asked for (--full)' : null) ??
    (isPublishInterrupted(paths.state)
      ? 'an earlier publication was interrupted and could not be completed from its staged files'
      : null) ??
    renderReason(
      state,
      fingerprint,
      opts.recordsChanged ? (opts.changes ?? true) : false,
      statFiles(paths.out, outputFiles(), true),
      statFiles(paths.records, state?.entries ?? []),
      opts.rewritten,
    ) ??
    editedReason(opts.handEdited ?? opts.editedFolders ?? []) ??
    releaseReason(state, now) ??
    (isPublishPending(paths.state) ? pendingReason(opts.rewritten) : null) ??
    // A folder that moved with no record file changed: a record removed, or a file not ours
    // added or removed there. Rendered once, which also saves its new stamp.
    folderReason(opts.editedFolders ?? []) ??
    historyReason(paths.state, paths.out) ??
    (leftOutLastTime(paths.state)
      ? 'records were left out of the feeds: checking them again'
      : null) ??
    (existsSync(pageStateFile(paths.state)) ? null : 'the pages were never published') ??
    (pageStateOutdated(paths.state) ? 'the page state was written by another feedkeeper' : null) ??
    movedReason(movedFolder(paths.state, paths.out));
  return { fingerprint, state, now, reason };
}

/** A folder of out/ that changed since the last publication, said (page-state.ts movedFolder). */
const movedReason = (folder: string | null): string | null =>
  folder === null
    ? null
    : `a file in out/${folder === '.' ? '' : `${folder}/`} was deleted, added or renamed since the last publication`;

/**
 * Why the archive is ahead of the last publication, the marker being set. This run sets it
 * too, before it writes a record (record-store.ts): a record outside the feeds' window updated
 * by this run (a rename, a CRLF or BOM edit readers do not see) was blamed on "an earlier run"
 * (found by an outside try). Said as it is, as a listed one is (publish-state.ts).
 */
function pendingReason(written: ReadonlySet<string> = new Set()): string {
  // Records only: the records folder's hidden generation marker is written with them.
  const rewritten = [...written].filter((n) => n.endsWith('.json') && !n.startsWith('.'));
  const [first] = rewritten;
  if (first === undefined) return 'an earlier run changed the archive but did not publish';
  return rewritten.length === 1
    ? `the record ${first} was updated by this run (its stored article changed, not what readers see)`
    : `${rewritten.length} records were updated by this run, first ${first} (their stored articles changed, not what readers see)`;
}

/** Why records edited by hand outside the feeds' window are rendered again, or null. */
function editedReason(folders: readonly string[]): string | null {
  const [first] = folders;
  if (first === undefined) return null;
  return folders.length === 1
    ? `records in archive/records/${first}/ were changed outside feedkeeper since the last publication`
    : `records in ${folders.length} folders of archive/records/, first ${first}/, were changed outside feedkeeper since the last publication`;
}

/** Why a month folder of the records that moved with no record changed in it is looked at. */
function folderReason(folders: readonly string[]): string | null {
  const [first] = folders;
  if (first === undefined) return null;
  return `a file in archive/records/${first}/ was added, removed or renamed outside feedkeeper since the last publication`;
}

/** What the render stage reports when the outputs are up to date. */
export const upToDate = (
  state: PublishState | null,
  now?: string,
  /** out/ as the report names it. */
  out = 'out',
): RenderResult => ({
  summary: {
    rendered: false,
    reason: 'nothing changed',
    entries: state?.entries.length ?? 0,
    written: [],
    unchanged: outputFiles(),
    published: true,
    released: [],
    scheduled: state?.scheduled ?? [],
  },
  // Nothing to publish, so nothing refused; but a clock gone back is said on every run (a
  // cron job's output, the service's log), not only once an article is added.
  issues: now === undefined ? [] : clockBehindNotice(state?.clock, now, out),
  written: [],
});
