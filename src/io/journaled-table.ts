import { randomBytes } from 'node:crypto';
import { existsSync, rmSync, statSync } from 'node:fs';
import { changedKeys } from '../model/change-map.js';
import { writeLinesAtomic } from './atomic-write.js';
import { appendJournal, readJournal } from './journal.js';
import { firstLine, readLines } from './read-lines.js';

/**
 * A table of rows keyed by a string (a row is an array whose first item is its key), kept as a
 * snapshot plus a journal (io/journal.ts), so that a save costs the rows that changed, not the
 * table: the catalogue (archive/catalogue-file.ts) and the published files' hashes
 * (publish/precompress.ts) at 100,000 articles are tens of MB each.
 *
 * - The snapshot: a header line `{…"rows":[`, then one `[row],` line per row, then `]}`.
 *   Streamed both ways: never one string in memory (at 100,000 rows, parsing it whole held
 *   the text and every row at once beside what they become: 100 MB more).
 * - The journal: one JSON line per save, `{"snapshot":id,"stamp":s,"rows":[…],"gone":[…],…}`:
 *   the rows set and the keys removed since the line before, and the header's fields as of
 *   that save. Each snapshot has a random id and every line names the snapshot it extends: a
 *   line left from before a new snapshot (a run killed between writing it and removing the
 *   journal) is never applied to it.
 * - A journal longer than a quarter of its snapshot is folded into a new snapshot at the next
 *   save: each snapshot of N rows follows at least N/4 rows' worth of journal, so the bytes
 *   written stay proportional to the changes, and a reader never reads more than 1.25× the
 *   table.
 */
export interface TablePaths {
  readonly snapshot: string;
  readonly journal: string;
}

/** Where a table's files stood when it was read or saved: what the next save extends. */
export interface SavedTable {
  /** The snapshot's id ('' for a snapshot from before journals: it has none). */
  readonly snapshot: string;
  /** The last committed save: the snapshot's id, or its last journal line's stamp. */
  readonly stamp: string;
  readonly snapshotBytes: number;
  readonly journalBytes: number;
}

export type Row = [key: string, ...rest: unknown[]];

/** The snapshot's header, with every field the journal's lines changed since. */
export interface Replayed<S> {
  readonly state: S;
  readonly saved: SavedTable;
}

const BATCH_KEYS = new Set(['snapshot', 'stamp', 'rows', 'gone']);

interface Batch<R> {
  snapshot: string;
  stamp: string;
  rows: R[];
  gone: string[];
}

/**
 * Read the snapshot, then apply the journal lines that extend it, in order. Anything out of
 * shape (a missing or truncated snapshot, a committed line that does not parse) throws: the
 * table is derived data, and the caller rebuilds it.
 */
export function readTable<S extends object, R extends Row>(
  paths: TablePaths,
  set: (row: R) => void,
  remove: (key: string) => void,
): Replayed<S> {
  const state = readSnapshot<S & { id?: string }, R>(paths.snapshot, set);
  const snapshotBytes = statSync(paths.snapshot).size;
  const id = state.id ?? '';
  let stamp = id;
  const text = readJournal(paths.journal);
  for (const line of text.lines) {
    const batch = JSON.parse(line) as Batch<R> & Record<string, unknown>;
    if (id === '' || batch.snapshot !== id) continue;
    for (const row of batch.rows) set(row);
    for (const key of batch.gone) remove(key);
    for (const key of Object.keys(batch))
      if (!BATCH_KEYS.has(key)) (state as Record<string, unknown>)[key] = batch[key];
    stamp = batch.stamp;
  }
  return { state, saved: { snapshot: id, stamp, snapshotBytes, journalBytes: text.bytes } };
}

/** A journal longer than this share of its snapshot is folded into a new snapshot. */
const JOURNAL_SHARE = 4;
/** Below this, a journal is never folded (a small table's snapshot is cheap to read anyway). */
const JOURNAL_MIN_BYTES = 16 * 1024;

/**
 * Save `rows` with the header fields `state`: one journal line of the keys changed since
 * `saved` (rows is a ChangeMap that was settled then), or a new snapshot when there is nothing
 * to extend (`saved` null, a plain Map, a changed file) or the journal has grown too long.
 * Returns the new state of the files and pushes the files it wrote onto `wrote`.
 */
export function saveTable<V, R extends Row>(
  paths: TablePaths,
  saved: SavedTable | null,
  state: Record<string, unknown>,
  rows: ReadonlyMap<string, V>,
  rowOf: (key: string, v: V) => R,
  wrote: string[],
  /**
   * The order a new snapshot's rows are written in (default: the map's). The next run reads
   * them in that order, so a table kept in the order its readers sort by hands them rows that
   * are already sorted (a merge sort over sorted input costs one pass).
   */
  order?: (a: [string, V], b: [string, V]) => number,
  /** false: a new snapshot is not fsynced here (the caller flushes many at once). */
  sync = true,
): SavedTable {
  const changed = changedKeys(rows);
  if (saved !== null && changed !== null) {
    const set: R[] = [];
    const gone: string[] = [];
    for (const key of changed) {
      const v = rows.get(key);
      if (v === undefined) gone.push(key);
      else set.push(rowOf(key, v));
    }
    const appended = appendRows(paths, saved, state, set, gone, wrote);
    if (appended !== null) return appended;
  }
  const stamp = randomBytes(6).toString('hex');
  const snapshotBytes = writeLinesAtomic(
    paths.snapshot,
    snapshotLines({ ...state, id: stamp }, order ? [...rows].sort(order) : rows, rowOf),
    sync,
  );
  wrote.push(paths.snapshot);
  // After the snapshot: the journal's lines name the old one, so a kill in between loses nothing.
  if (existsSync(paths.journal)) {
    rmSync(paths.journal, { force: true });
    wrote.push(paths.journal);
  }
  return { snapshot: stamp, stamp, snapshotBytes, journalBytes: 0 };
}

/**
 * Append one journal line: the rows `set` and the keys `gone`, with the header fields `state`.
 * Needs no row of the table, only where its files stand (`saved`: from readTable(), or
 * tableHead() for a writer that never reads the rows). null, with nothing written, when the
 * journal has no room left (a new snapshot is due), the table has no journal yet (a snapshot
 * from before journals), or the journal changed since `saved`: the caller saves a snapshot.
 */
export function appendRows<R extends Row>(
  paths: TablePaths,
  saved: SavedTable,
  state: Record<string, unknown>,
  set: readonly R[],
  gone: readonly string[],
  wrote: string[],
): SavedTable | null {
  if (saved.snapshot === '') return null;
  const stamp = randomBytes(6).toString('hex');
  const line = JSON.stringify({ ...state, snapshot: saved.snapshot, stamp, rows: set, gone });
  const bytes = Buffer.byteLength(line) + 1;
  const limit = Math.max(JOURNAL_MIN_BYTES, saved.snapshotBytes / JOURNAL_SHARE);
  if (saved.journalBytes + bytes > limit || !appendJournal(paths.journal, line, saved.journalBytes))
    return null;
  wrote.push(paths.journal);
  return { ...saved, stamp, journalBytes: saved.journalBytes + bytes };
}

/**
 * A table as its last save left it, without reading a row: the snapshot's first line (its
 * header and id) and the last journal line that extends it. `saved`: where its files stand, for
 * a writer that appends rows without reading the table (publish/precompress.ts); `savedAtMs`:
 * when either file was last written; `state`: the header with that line's fields, for a reader
 * that needs the header alone (archive/catalogue-file.ts) of a table whose every save writes
 * all its header fields (a field a later line leaves out is not taken from an earlier one).
 * null when the snapshot is missing, or not one readTable() reads: the caller reads the table
 * whole (and rebuilds it if it must).
 */
export function tableHead<S extends object>(
  paths: TablePaths,
): { state: S; saved: SavedTable; savedAtMs: number } | null {
  try {
    const header = JSON.parse(`${firstLine(paths.snapshot)}]}`) as
      (S & { id?: unknown }) | undefined;
    const id = header?.id;
    if (header === undefined || typeof id !== 'string' || id === '') return null;
    const snapshot = statSync(paths.snapshot);
    const journal = statSync(paths.journal, { throwIfNoEntry: false });
    const text = readJournal(paths.journal);
    const state: Record<string, unknown> = { ...header };
    let stamp = id;
    // Each line carries the state as of its save: the last one that extends this snapshot is
    // the table's state (the lines before it need not be parsed).
    for (let i = text.lines.length - 1; i >= 0; i--) {
      const batch = JSON.parse(text.lines[i] ?? '') as Record<string, unknown>;
      if (batch.snapshot !== id || typeof batch.stamp !== 'string') continue;
      for (const key of Object.keys(batch)) if (!BATCH_KEYS.has(key)) state[key] = batch[key];
      stamp = batch.stamp;
      break;
    }
    return {
      state: state as S,
      saved: { snapshot: id, stamp, snapshotBytes: snapshot.size, journalBytes: text.bytes },
      savedAtMs: Math.max(snapshot.mtimeMs, journal?.mtimeMs ?? 0),
    };
  } catch {
    return null;
  }
}

function* snapshotLines<V, R>(
  header: object,
  rows: Iterable<[string, V]>,
  rowOf: (key: string, v: V) => R,
): Generator<string> {
  yield JSON.stringify({ ...header, rows: [] }).slice(0, -2);
  let sep = '\n';
  for (const [key, v] of rows) {
    yield sep + JSON.stringify(rowOf(key, v));
    sep = ',\n';
  }
  yield '\n]}\n';
}

/** Parse a snapshot as snapshotLines() writes it; anything else (truncated, reformatted) throws. */
function readSnapshot<H, R>(path: string, onRow: (row: R) => void): H {
  let header: H | undefined;
  let ended = false;
  for (const line of readLines(path)) {
    if (ended) {
      if (line.trim() === '') continue;
      throw new Error(`${path}: text after the end`);
    }
    if (header === undefined) header = JSON.parse(`${line}]}`) as H;
    else if (line === ']}') ended = true;
    else onRow(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as R);
  }
  if (header === undefined || !ended) throw new Error(`${path}: truncated`);
  return header;
}
