import { statfsSync, statSync } from 'node:fs';
import { runningService } from '../schedule/running-service.js';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { catalogueFiles, loadCatalogue, loadRecordIndex } from '../archive/catalogue-file.js';
import { isAlive, readOwner } from '../schedule/lock.js';
import { lockFile } from '../schedule/locked-run.js';
import { lastRun, type RunLogLine } from '../schedule/run-log.js';
import {
  isPublishInterrupted,
  isPublishPending,
  loadPublishIntent,
  publishStateFile,
  loadPublishState,
  outDrift,
  releasedUpTo,
  statFiles,
} from '../pipeline/publish-state.js';
import { scheduledLines } from './print-newsroom.js';
import { releaseOf } from '../pipeline/release.js';
import { failureText } from './fs-refusal.js';
import { NEARLY_FULL, unpublishedReason } from './last-failure.js';
import { shellWord } from '../model/shell-word.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { cliContext } from './context.js';
import { counted } from './counted.js';
import { walkFiles } from '../io/walk-files.js';
import { EXIT } from './exit-codes.js';
import { COMMON_OPTIONS } from './output.js';
import { JSON_SCHEMA_VERSION } from '../api/schema-version.js';

export const usage = `usage: feedkeeper status [options]

The last run (from the run log), the next scheduled run (if feedkeeper schedule is running),
a run in progress, and what the archive holds. Reads only; works while a run is going on.
Exits 1 when the last run failed, the feeds are not up to date with the archive, out/ is not
what was last published, or the state folder's disk is full; 0 otherwise (for a monitor).

options:
  --json           print it as JSON on stdout (docs/reference.md: "--json")
${COMMON_OPTIONS}

examples:
  feedkeeper status
  feedkeeper status --json | jq .lastRun.outcome`;

export async function status(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, config: { type: 'string' } },
  });
  const { paths } = cliContext(values.config).config;
  const files = catalogueFiles(paths.state, paths.records);
  const cat = loadCatalogue(files);
  const indexed = cat !== null && loadRecordIndex(files, cat);
  const records = indexed ? [...cat.records.values()] : [];
  // Published means released by a build, not passed by the clock: a record whose embargo ended
  // after the last publication is in no feed until the next build (the rule `check` uses:
  // pipeline/publish-state.ts, releasedUpTo).
  const now = formatUtcSecond(Date.now());
  const released = releasedUpTo(paths.state, now);
  const archive = indexed
    ? {
        articles: cat.inputs.size,
        records: records.length,
        withdrawn: records.filter((r) => r.withdrawn).length,
        // Rows with issues are kept in the root, inputs.json: no bucket is read for them.
        rejected: [...cat.inputs.notable()].filter(([, e]) =>
          e.issues.some((i) => i.severity === 'error'),
        ).length,
        newest: records
          .filter((r) => !r.withdrawn && releaseOf(r.publishedAt, now, released) === 'published')
          .reduce<string | null>(
            (m, r) => (m === null || r.publishedAt > m ? r.publishedAt : m),
            null,
          ),
      }
    : null;
  const service = runningService(paths.state);
  const owner = readOwner(lockFile(paths.state));
  const running = owner !== null && isAlive(owner) ? owner : null;
  const last = lastRun(paths.state);
  // What is under embargo, as of the last publication (pipeline/embargo.ts): the next due first.
  const scheduled = loadPublishState(paths.state)?.scheduled ?? [];
  const due = scheduled.filter((s) => releaseOf(s.publishedAt, now, released) === 'due');
  const publication = publicationOf(paths.state, paths.out);
  // A full disk under the state folder stops every run (lock, catalogue, run log) before it can
  // log why: the one place that can still say so is here.
  const stateFree = freeBytes(paths.state);
  const result = {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'status',
    lastRun: last,
    nextRun: service?.nextRun ?? null,
    scheduler: service,
    running,
    archive,
    scheduled,
    publication,
    stateFreeBytes: stateFree,
  };
  // For a monitor (found by an outside try: it exited 0 whatever it reported).
  const exit =
    last?.outcome === 'failed' ||
    (publication !== null &&
      (publication.pending || publication.interrupted !== null || publication.differs !== null)) ||
    (stateFree !== null && stateFree < NEARLY_FULL)
      ? EXIT.problems
      : EXIT.ok;
  if (values.json) {
    console.log(JSON.stringify(result, null, 2));
    return exit;
  }
  const lines = [
    last
      ? `last run: ${last.outcome}, ${last.command}, ${last.start} (${last.durationMs} ms), ${releasedText(last)}${counted(last.filesWritten, 'file')} written, ${counted(last.problems.length, 'problem')}${lastRunWhy(last)}`
      : 'last run: none yet',
    service
      ? `next run: ${service.nextRun ?? 'unknown'} (feedkeeper schedule, pid ${service.pid}, "${service.cron}" ${service.timezone})`
      : 'next run: no scheduler running (start one with feedkeeper schedule, or use your system cron)',
    running
      ? `running now: pid ${running.pid} (${running.command}) since ${running.startedAt}`
      : 'running now: nothing',
    archive
      ? `archive: ${counted(archive.records, 'record')} (${archive.withdrawn} withdrawn) from ${counted(archive.articles, 'stored article')}, ${archive.rejected} rejected; newest published ${archive.newest ?? 'never'}`
      : noSummary(paths.records),
    scheduled.length === 0
      ? 'scheduled: nothing under embargo'
      : due.length > 0
        ? `scheduled: ${counted(due.length, 'embargo', 'embargoes')} due since ${due[0]?.publishedAt ?? ''}, not released yet: ${service ? 'feedkeeper schedule publishes' : 'the next build (feedkeeper build, or feedkeeper schedule) publishes'} ${due.length === 1 ? 'it' : 'them'}${scheduled.length > due.length ? `; ${scheduled.length - due.length} more under embargo` : ''}`
        : `scheduled: ${scheduled.length} under embargo, next due ${scheduled[0]?.publishedAt ?? ''}${service ? ' (feedkeeper schedule publishes it then)' : ' (run feedkeeper build after it, or start feedkeeper schedule)'}`,
    ...scheduledLines(scheduled, now),
    publication === null
      ? 'feeds: not published yet'
      : publication.interrupted !== null
        ? last?.outcome === 'failed' && last.failure !== undefined
          ? `feeds: a publication was stopped between its renames: ${unpublishedReason(last)}; out/ may hold feeds of two runs until the next build, which completes the publication first thing`
          : `feeds: INTERRUPTED between renames (a run publishing since ${publication.interrupted.since ?? 'an unknown time'} was stopped): out/ may hold feeds of two runs until the next build, which completes the publication first thing`
        : publication.differs !== null
          ? `feeds: ${publication.differs}; the next build publishes the proven bytes again`
          : publication.pending
            ? `feeds: NOT up to date with the archive: ${unpublishedReason(last, stateFree)}; nothing of it was published: out/ holds the last good publication (${publication.files} files${publication.at === null ? '' : `, published ${publication.at}`}) until a build succeeds`
            : due.length > 0
              ? `feeds: behind the archive only by ${due.length === 1 ? 'an embargo' : `${due.length} embargoes`} due since ${due[0]?.publishedAt ?? ''}: out/ holds the last publication (${counted(publication.files, 'subscription document')}${publication.at === null ? '' : `, published ${publication.at}`}) until the next build releases ${due.length === 1 ? 'it' : 'them'}`
              : `feeds: out/ holds what was last published (${counted(publication.files, 'subscription document')}, unchanged since they were published)`,
  ];
  if (stateFree !== null && stateFree < NEARLY_FULL)
    lines.push(
      `disk: FULL under the state folder (${stateFree} bytes free on the file system of ${paths.state}): a run stops at the first file it writes there (its lock, the catalogue, its staged outputs, its run log line); free space (df -h ${shellWord(paths.state)}), then run feedkeeper build`,
    );
  console.log(lines.join('\n'));
  return exit;
}

/**
 * "1 embargo released, " when the last run released any (a wake-up of `feedkeeper schedule`
 * often does nothing else: its files written alone read like a repaint).
 */
const releasedText = (last: RunLogLine): string => {
  const n = last.counts['released'] ?? 0;
  return n > 0 ? `${counted(n, 'embargo', 'embargoes')} released, ` : '';
};

/**
 * Why the last run failed, as the status line says it: the file system's facts, else the first
 * line of its error (a refusal says what, why and the hint; a crash, its message, the stack
 * being in the run log).
 */
function lastRunWhy(last: RunLogLine): string {
  if (last.outcome !== 'failed') return '';
  if (last.failure !== undefined) return `: ${failureText(last.failure)}`;
  const first = last.error?.split('\n', 1)[0] ?? '';
  return first === '' ? '' : `: ${first}`;
}

/**
 * The archive line without a catalogue to summarise: a failed or interrupted run leaves it
 * marked dirty, and a state folder may be lost (README: it needs no backup). The records are
 * still there, so say so (found by an outside try: "not built yet" about hundreds of records).
 */
function noSummary(recordsDir: string): string {
  const n = walkFiles(recordsDir, (name) => name.endsWith('.json') && !name.startsWith('.')).length;
  return n === 0
    ? 'archive: not built yet (run feedkeeper build)'
    : `archive: ${counted(n, 'record file')} in ${recordsDir}; no summary, as the catalogue is to be rebuilt (after a failed or interrupted run, or a lost state folder): the next build rebuilds it`;
}

/**
 * What out/ holds compared with the last publication, from stats only (no read): a publication
 * a kill interrupted between two renames (the window docs/reference.md "Promises" describes), or a file
 * that differs from what was published. Null when nothing was published yet.
 */
function publicationOf(
  stateDir: string,
  outDir: string,
): {
  interrupted: { since: string | null; files: string[] } | null;
  differs: string | null;
  files: number;
  /** The archive changed since (a run stopped before it published): pipeline/publish-state.ts. */
  pending: boolean;
  /** When the publication out/ holds was made (its state file's time). */
  at: string | null;
} | null {
  const state = loadPublishState(stateDir);
  const interrupted = isPublishInterrupted(stateDir);
  if (state === null && !interrupted) return null;
  const intent = interrupted ? loadPublishIntent(stateDir) : null;
  const names = Object.keys(state?.files ?? {});
  return {
    interrupted: interrupted
      ? { since: intent?.startedAt ?? null, files: Object.keys(intent?.files ?? {}) }
      : null,
    differs: state === null ? null : outDrift(state, statFiles(outDir, names, true)),
    files: names.length,
    pending: isPublishPending(stateDir),
    at: publishedAt(stateDir),
  };
}

function publishedAt(stateDir: string): string | null {
  const s = statSync(publishStateFile(stateDir), { throwIfNoEntry: false });
  return s === undefined ? null : s.mtime.toISOString();
}

/**
 * Bytes this process may still write on the file system of `dir`, or of the folder it will be
 * made in (root may use the reserve); null if none can be asked.
 */
function freeBytes(dir: string): number | null {
  for (let d = dir; ; d = dirname(d)) {
    try {
      const s = statfsSync(d);
      return (process.getuid?.() === 0 ? s.bfree : s.bavail) * s.bsize;
    } catch {
      if (dirname(d) === d) return null;
    }
  }
}
