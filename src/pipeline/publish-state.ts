import { existsSync, rmSync, statSync } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { writeFileAtomic, writeMarker } from '../io/atomic-write.js';
import { holds } from '../publish/publish-files.js';

/**
 * What the last publication left in out/: the configuration it was made with, each file's
 * size, mtime and sha256, and the size and mtime of the records it lists. A run renders again
 * only if the records changed, the configuration (or feedkeeper) changed, someone touched out/,
 * or someone edited or broke a listed record by hand (a few dozen stats; `build --full` checks
 * every record).
 */
export interface PublishState {
  readonly fingerprint: string;
  readonly entries: readonly string[];
  readonly files: Readonly<Record<string, PublishedFile>>;
  readonly records?: Readonly<Record<string, FileStat>>;
  /** The records under embargo, next due first: a run after the first is due renders. */
  readonly scheduled?: readonly ScheduledRecord[];
  /**
   * The run's clock (UTC whole seconds) that decided which records were out of embargo: a later
   * run whose clock is behind it must not take them back (pipeline/clock-behind.ts). Absent in
   * states written before it existed.
   */
  readonly clock?: string;
  /**
   * The stamp of the records table's root (catalogue-file.ts) the publication was made from,
   * when it was as saved: the next run may plan from the rows changed since (parts-plan.ts)
   * only if its archive stage started from this same root.
   */
  readonly recordsRoot?: string;
}

export interface ScheduledRecord {
  readonly record: string;
  readonly id: string;
  readonly publishedAt: string;
}

export interface FileStat {
  readonly size: number;
  readonly mtimeMs: number;
  /**
   * Published files only: the inode's change time, which no one can set back (utimes sets
   * mtime, and itself moves ctime), so an edit that keeps the size and restores the mtime is
   * still seen by a stat.
   */
  readonly ctimeMs?: number;
}

/**
 * One published file. `size` and `sha256` are those of the exact bytes that were proven and
 * published (not a stat of whatever is in out/ afterwards), `mtimeMs` the file's after its
 * rename. `sha256` (lowercase hex) is a contract: `serve` sends it as the ETag. A state written
 * before it existed has no `sha256`; such a state is not trusted (see renderReason).
 */
export interface PublishedFile extends FileStat {
  readonly sha256: string;
}

/**
 * What a publication is about to put into out/, saved before its first rename: the state it
 * will save once every file is in place, without the mtimes (not known until then). While it
 * exists, out/ may hold files of two runs (a kill between two renames); the next `build`
 * completes the publication first thing (publish/finish-publication.ts) and `status` shows it.
 */
export interface PublishIntent {
  readonly fingerprint: string;
  readonly entries: readonly string[];
  readonly files: Readonly<Record<string, { readonly size: number; readonly sha256: string }>>;
  /**
   * The files' gzip and Brotli copies (`rss.xml.gz`), staged beside them and renamed right
   * after each; null: a copy from before that the new bytes do not get, removed. Not outputs:
   * not in the state this becomes. Absent in intents written before copies were staged.
   */
  readonly copies?: Readonly<
    Record<string, { readonly size: number; readonly sha256: string } | null>
  >;
  readonly records?: Readonly<Record<string, FileStat>>;
  readonly startedAt: string;
  /** The records under embargo, next due first: a run after the first is due renders. */
  readonly scheduled?: readonly ScheduledRecord[];
  /** The run's clock (PublishState `clock`). */
  readonly clock?: string;
  /** PublishState `recordsRoot`. */
  readonly recordsRoot?: string;
}

export const publishStateFile = (stateDir: string): string => join(stateDir, 'published.json');

export const publishIntentFile = (stateDir: string): string => join(stateDir, 'publishing.json');

export function loadPublishState(stateDir: string): PublishState | null {
  return readJson<PublishState>(publishStateFile(stateDir));
}

export function loadPublishIntent(stateDir: string): PublishIntent | null {
  return readJson<PublishIntent>(publishIntentFile(stateDir));
}

export const isPublishInterrupted = (stateDir: string): boolean =>
  existsSync(publishIntentFile(stateDir));

function readJson<T>(file: string): T | null {
  try {
    return JSON.parse(readRegular(file, true).toString('utf8')) as T;
  } catch {
    return null;
  }
}

/**
 * Exists from the first record a run writes until feeds made from the archive are published:
 * a run killed (or refused by validation) in between leaves it, so the next run renders again
 * even though its own scan finds nothing new.
 */
export const pendingFile = (stateDir: string): string => join(stateDir, 'publish.pending');

export const markPublishPending = (stateDir: string): void => writeMarker(pendingFile(stateDir));

export const isPublishPending = (stateDir: string): boolean => existsSync(pendingFile(stateDir));

export const clearPublishPending = (stateDir: string): void =>
  rmSync(pendingFile(stateDir), { force: true });

export function savePublishState(stateDir: string, state: PublishState): boolean {
  return writeFileAtomic(publishStateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function savePublishIntent(stateDir: string, intent: PublishIntent): void {
  writeFileAtomic(publishIntentFile(stateDir), `${JSON.stringify(intent, null, 2)}\n`);
}

export const clearPublishIntent = (stateDir: string): void =>
  rmSync(publishIntentFile(stateDir), { force: true });

/**
 * Up to when records were released to readers: the last publication's clock. A record dated
 * after it was never in any feed, even once the clock has passed its date (no build ran since,
 * or the one that did was refused), so it is still under embargo for identity: its date
 * follows its article (a moved embargo moves), and a rename keeps it. Without a recorded
 * clock (no publication yet, or a state from before it was kept), the run's.
 */
export function releasedUpTo(stateDir: string, now: string): string {
  return loadPublishState(stateDir)?.clock ?? now;
}

/**
 * A publication that changed nothing but the clock keeps the clock of the one before it: the
 * same outputs release the same records, and the state's bytes stay, so no file is written.
 */
export function keepClock(before: PublishState | null, next: PublishState): PublishState {
  if (before === null || before.clock === next.clock) return next;
  const { clock: a, ...restBefore } = before;
  const { clock: b, ...restNext } = next;
  if (a !== undefined && b !== undefined && a > b) return next; // the clock went back: say so
  if (!isDeepStrictEqual(restBefore, restNext)) return next;
  return a === undefined ? restNext : { ...restNext, clock: a };
}

/**
 * The files whose size and sha256 in the saved publish state are not those of their bytes in
 * out/ (every file, when the state cannot be read back): read after a publication saved it.
 */
export function wrongStateHashes(stateDir: string, outDir: string): string[] {
  const saved = loadPublishState(stateDir);
  if (saved === null || typeof saved.files !== 'object') return ['.'];
  return Object.entries(saved.files)
    .filter(([name, f]) => !holds(join(outDir, name), f))
    .map(([name]) => name);
}

/** The state an intent becomes once its files are in out/: their mtimes, read now. */
export function stateOfIntent(intent: PublishIntent, outDir: string): PublishState {
  const now = statFiles(outDir, Object.keys(intent.files), true);
  const files: Record<string, PublishedFile> = {};
  for (const [name, f] of Object.entries(intent.files))
    files[name] = {
      size: f.size,
      mtimeMs: now[name]?.mtimeMs ?? 0,
      ctimeMs: now[name]?.ctimeMs ?? 0,
      sha256: f.sha256,
    };
  return {
    fingerprint: intent.fingerprint,
    entries: intent.entries,
    files,
    ...(intent.records ? { records: intent.records } : {}),
    ...(intent.scheduled ? { scheduled: intent.scheduled } : {}),
    ...(intent.recordsRoot !== undefined ? { recordsRoot: intent.recordsRoot } : {}),
    // Last, as keepClock() puts it back: the same state is the same bytes.
    ...(intent.clock !== undefined ? { clock: intent.clock } : {}),
  };
}

/** Size and mtime of each file that exists (and ctime: for out/, see FileStat). */
export function statFiles(
  dir: string,
  names: readonly string[],
  withCtime = false,
): Record<string, FileStat> {
  const out: Record<string, FileStat> = {};
  for (const name of names) {
    const s = statSync(join(dir, name), { throwIfNoEntry: false });
    if (s)
      out[name] = withCtime
        ? { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs }
        : { size: s.size, mtimeMs: s.mtimeMs };
  }
  return out;
}

/**
 * How out/ differs from what was last published, by a stat of each file (no read): missing,
 * another size (a file cut short by a full disk, or by hand), or another mtime or ctime
 * (rewritten, even to the same size with its mtime set back).
 * A cut file cannot keep its size, because the size in the state is the proven bytes', not a
 * stat taken after the fact. Null when the state is too old to know (no sha256 recorded).
 */
export function outDrift(state: PublishState, current: Record<string, FileStat>): string | null {
  for (const [name, s] of Object.entries(state.files)) {
    const now = current[name];
    if (!now) return `out/${name} is missing`;
    if (now.size !== s.size)
      return `out/${name} holds ${now.size} bytes, not the ${s.size} that were published`;
    if (now.mtimeMs !== s.mtimeMs || (s.ctimeMs !== undefined && now.ctimeMs !== s.ctimeMs))
      // Same size, other time stamps: an edit in place, or the same bytes copied or restored
      // (a copied project was told it had been changed): said as what is known.
      return `out/${name} is not the file that was published (its time stamps differ: edited, copied or restored)`;
  }
  return null;
}

/** Why the feeds must be rendered again, or null if what is in out/ is still right. */
export function renderReason(
  state: PublishState | null,
  fingerprint: string,
  /** A string says what changed (it becomes the reason). */
  recordsChanged: boolean | string,
  current: Record<string, FileStat>,
  currentRecords: Record<string, FileStat> = {},
  /** Records this run's archive stage wrote (paths below the records folder). */
  rewritten: ReadonlySet<string> = new Set(),
): string | null {
  if (state === null) return 'first publication';
  if (recordsChanged !== false)
    return typeof recordsChanged === 'string' ? recordsChanged : 'the archive changed';
  if (state.fingerprint !== fingerprint) return 'the configuration or feedkeeper changed';
  // A state from before sha256 was recorded stored a stat of out/ taken after publishing, so a
  // feed cut short by a full disk looked published (issue 10): trust it once more, never.
  if (Object.values(state.files).some((f) => typeof f.sha256 !== 'string'))
    return 'the publish state has no checksums (written by an older feedkeeper)';
  const drift = outDrift(state, current);
  if (drift !== null) return drift;
  for (const [name, s] of Object.entries(state.records ?? {})) {
    const now = currentRecords[name];
    if (!now || now.size !== s.size || now.mtimeMs !== s.mtimeMs)
      // This run's own write (its stored article changed in a way readers do not see, and
      // the record's `input` with it) is no hand edit: it was reported as one.
      return rewritten.has(name)
        ? `the listed record ${name} was updated by this run (its stored article changed, not what readers see)`
        : `the listed record ${name} was changed or removed outside feedkeeper`;
  }
  return null;
}
