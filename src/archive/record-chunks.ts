import { PART_SIZE } from '../model/feed-history.js';
import { monthOf } from '../model/month-parts.js';
import type { RecordEntry } from './catalogue.js';

/**
 * The catalogue's records table is stored in chunks (archive/catalogue-file.ts), so that a run
 * can read the rows of the months it touches, not the whole table (88 MB of heap at 100,000
 * records). A chunk holds a contiguous run of the records of one month of publication (UTC,
 * model/month-parts.ts monthOf), in the order the month's parts are cut in (oldest first:
 * publishedAt, then id descending, the exact reverse of model/newest-first.ts; then the path,
 * so that two records sharing an id and a date still have one place). A month is not a bounded
 * unit (an archive imported without dates has every record in the month of its import), so a
 * chunk holds at most CHUNK_MAX rows: one that grows past it is cut in two, one emptied goes.
 *
 * This file is the pure part: where the rows set or removed since the last save go, which
 * chunks that changes, and their new summaries (the root's rows). The files are the caller's.
 */

/** Rows a chunk holds at most: two parts' worth, so a month of 100,000 is about 700 files. */
export const CHUNK_MAX = 2 * PART_SIZE;

/** Where a row sorts: [publishedAt, id, path] (sortKeys() compares them). */
export type SortKey = readonly [publishedAt: string, id: string, path: string];

/** What the root says of a chunk: enough to place a row, and to count a month without it. */
export interface ChunkSummary {
  /** Its files' name in the records chunks' folder: `<YYYY-MM>-<n>`. */
  readonly name: string;
  /** `YYYY/MM`. */
  readonly month: string;
  readonly first: SortKey;
  readonly last: SortKey;
  readonly rows: number;
  /** Rows not withdrawn. */
  readonly live: number;
  /** The newest updatedAt, withdrawnAt or restoredAt of its rows. */
  readonly newest: string;
  /**
   * Rows withdrawn before their embargo ended (pipeline/embargo.ts wasPublished): never
   * published, at any clock. With `last` (the chunk's newest publication date) it says how many
   * of its rows readers see without reading them (history/visible-parts.ts). Absent in a root
   * saved before it (twentieth session): unknown, the chunk is read to count them.
   */
  readonly unseen?: number;
}

/** A row set or removed since the last save: what it was then, and what it is now. */
export interface RowChange {
  readonly path: string;
  readonly before: RecordEntry | undefined;
  readonly after: RecordEntry | undefined;
}

/** A chunk to write: its rows in order, and what changed since its files were saved. */
export interface ChunkWrite {
  readonly name: string;
  /** Every row, in order. */
  readonly rows: readonly [string, RecordEntry][];
  /** A chunk not saved before under this name: its files are written anew. */
  readonly fresh: boolean;
  /** For a chunk saved before: the keys set (new or changed rows) and the keys gone. */
  readonly set: readonly string[];
  readonly gone: readonly string[];
}

export interface ChunkPlan {
  /** Every chunk after the save, in order. */
  readonly chunks: readonly ChunkSummary[];
  readonly writes: readonly ChunkWrite[];
  /** The names of the chunks emptied: their files go. */
  readonly removed: readonly string[];
}

export const sortKeyOf = (path: string, r: RecordEntry): SortKey => [r.publishedAt, r.id, path];

/** The order of the chunks and of their rows (see above). */
export function compareKeys(a: SortKey, b: SortKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  if (a[1] !== b[1]) return a[1] > b[1] ? -1 : 1;
  return a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0;
}

/** compareKeys() of two rows, without making their keys (a load compares every row). */
export const byKey = ([pa, a]: [string, RecordEntry], [pb, b]: [string, RecordEntry]): number =>
  a.publishedAt !== b.publishedAt
    ? a.publishedAt < b.publishedAt
      ? -1
      : 1
    : a.id !== b.id
      ? a.id > b.id
        ? -1
        : 1
      : pa < pb
        ? -1
        : pa > pb
          ? 1
          : 0;

/** Rows in order (byKey): as read from a snapshot, sorted only if a journal's rows are not. */
export function inOrder(rows: [string, RecordEntry][]): [string, RecordEntry][] {
  for (let i = 1; i < rows.length; i++)
    if (byKey(rows[i - 1]!, rows[i]!) > 0) return rows.sort(byKey);
  return rows;
}

/**
 * The name of chunk `n` of `month`: `YYYY-MM-n`. A month is `YYYY/MM` of a record's date, which
 * the records' schema makes an ISO time; anything else is kept out of the file name.
 */
export const chunkName = (month: string, n: number): string =>
  `${month.replace(/[^0-9A-Za-z]/g, '-')}-${n}`;

const seqOf = (name: string): number => Number(name.slice(name.lastIndexOf('-') + 1)) || 0;

/** A chunk's summary, from its rows in order (at least one). */
export function summarize(name: string, rows: readonly [string, RecordEntry][]): ChunkSummary {
  let live = 0;
  let unseen = 0;
  let newest = '';
  for (const [, r] of rows) {
    if (!r.withdrawn) live++;
    else if (r.withdrawnAt !== null && r.publishedAt > r.withdrawnAt) unseen++;
    for (const t of [r.updatedAt, r.withdrawnAt, r.restoredAt])
      if (typeof t === 'string' && t > newest) newest = t;
  }
  const [p0, r0] = rows[0]!;
  const [pn, rn] = rows[rows.length - 1]!;
  return {
    name,
    month: monthOf(r0.publishedAt),
    first: sortKeyOf(p0, r0),
    last: sortKeyOf(pn, rn),
    rows: rows.length,
    live,
    newest,
    unseen,
  };
}

/**
 * Rows in order as chunks: one if they fit, else pieces of even sizes filled to three quarters
 * of `max`, so that the next rows (new articles go to the newest chunk) do not split one at once.
 */
function pieces<T>(rows: readonly T[], max: number): T[][] {
  if (rows.length <= max) return [[...rows]];
  const k = Math.ceil(rows.length / Math.max(1, Math.floor((max * 3) / 4)));
  const out: T[][] = [];
  for (let i = 0; i < k; i++)
    out.push(
      rows.slice(Math.floor((i * rows.length) / k), Math.floor(((i + 1) * rows.length) / k)),
    );
  return out;
}

/** Every row cut from scratch: what a catalogue saved for the first time (or rebuilt) writes. */
export function cutAll(rows: Iterable<[string, RecordEntry]>, max = CHUNK_MAX): ChunkPlan {
  const changes: RowChange[] = [];
  for (const [path, after] of rows) changes.push({ path, before: undefined, after });
  return planChunks([], changes, () => null, max)!;
}

/**
 * Where the rows `changes` go, given the chunks as saved (in order) and `savedRows`, the rows a
 * chunk's files hold (asked only of the chunks a change touches). A row leaves the chunk whose
 * range holds its row as it was (`before`), and goes to the chunk of its month whose range
 * starts at or before it (else the month's first chunk; a month without one gets new ones):
 * every chunk keeps to [its first key, the next chunk's first key), so chunks stay contiguous
 * runs of the order whatever the changes. A row whose publication date moved (a rescheduled
 * embargo) leaves one month for another. null when the saved state does not hold together (a
 * row's old place in no chunk, a chunk's files not as summarized): the caller cuts from scratch.
 */
export function planChunks(
  chunks: readonly ChunkSummary[],
  changes: Iterable<RowChange>,
  savedRows: (name: string) => ReadonlyMap<string, RecordEntry> | null,
  max = CHUNK_MAX,
): ChunkPlan | null {
  const byMonth = new Map<string, ChunkSummary[]>();
  for (const c of [...chunks].sort((a, b) => compareKeys(a.first, b.first))) {
    const list = byMonth.get(c.month);
    if (list) list.push(c);
    else byMonth.set(c.month, [c]);
  }
  const touched = new Map<string, { chunk: ChunkSummary; gone: Set<string> }>();
  const arrivals = new Map<string, Map<string, RecordEntry>>(); // by chunk name
  const newMonths = new Map<string, [string, RecordEntry][]>();
  const touch = (chunk: ChunkSummary): { chunk: ChunkSummary; gone: Set<string> } => {
    let t = touched.get(chunk.name);
    if (t === undefined) touched.set(chunk.name, (t = { chunk, gone: new Set() }));
    return t;
  };
  for (const { path, before, after } of changes) {
    if (before !== undefined) {
      const key = sortKeyOf(path, before);
      const list = byMonth.get(monthOf(before.publishedAt)) ?? [];
      const at = lastStartingAtOrBefore(list, key);
      const holder = at >= 0 ? list[at]! : undefined;
      if (holder === undefined || compareKeys(key, holder.last) > 0) return null;
      touch(holder).gone.add(path);
    }
    if (after !== undefined) {
      const month = monthOf(after.publishedAt);
      const list = byMonth.get(month);
      if (list === undefined) {
        const rows = newMonths.get(month);
        if (rows) rows.push([path, after]);
        else newMonths.set(month, [[path, after]]);
        continue;
      }
      const to = list[Math.max(0, lastStartingAtOrBefore(list, sortKeyOf(path, after)))]!;
      touch(to);
      let rows = arrivals.get(to.name);
      if (rows === undefined) arrivals.set(to.name, (rows = new Map()));
      rows.set(path, after);
    }
  }

  const nextSeq = new Map<string, number>();
  for (const c of chunks)
    nextSeq.set(c.month, Math.max(nextSeq.get(c.month) ?? 1, seqOf(c.name) + 1));
  const newName = (month: string): string => {
    const n = nextSeq.get(month) ?? 1;
    nextSeq.set(month, n + 1);
    return chunkName(month, n);
  };

  const writes: ChunkWrite[] = [];
  const removed: string[] = [];
  const made: ChunkSummary[] = [];
  for (const { chunk, gone } of touched.values()) {
    const saved = savedRows(chunk.name);
    if (saved === null || saved.size !== chunk.rows) return null;
    const came = arrivals.get(chunk.name) ?? new Map<string, RecordEntry>();
    const rows: [string, RecordEntry][] = [];
    for (const [path, r] of saved) if (!gone.has(path) && !came.has(path)) rows.push([path, r]);
    for (const row of came) rows.push(row);
    rows.sort(byKey);
    if (rows.length === 0) {
      removed.push(chunk.name);
      continue;
    }
    pieces(rows, max).forEach((piece, i) => {
      const name = i === 0 ? chunk.name : newName(chunk.month);
      made.push(summarize(name, piece));
      if (i > 0) {
        writes.push({ name, rows: piece, fresh: true, set: [], gone: [] });
        return;
      }
      const kept = new Set(piece.map(([path]) => path));
      writes.push({
        name,
        rows: piece,
        fresh: false,
        set: piece.filter(([path]) => came.has(path)).map(([path]) => path),
        gone: [...saved.keys()].filter((path) => !kept.has(path)),
      });
    });
  }
  for (const [month, rows] of [...newMonths].sort(([a], [b]) => (a < b ? -1 : 1))) {
    rows.sort(byKey);
    for (const piece of pieces(rows, max)) {
      const name = newName(month);
      made.push(summarize(name, piece));
      writes.push({ name, rows: piece, fresh: true, set: [], gone: [] });
    }
  }
  const all = chunks.filter((c) => !touched.has(c.name)).concat(made);
  all.sort((a, b) => compareKeys(a.first, b.first));
  return { chunks: all, writes, removed };
}

/** The index of the last chunk of `list` (in order) whose first key is at or before `key`, or -1. */
function lastStartingAtOrBefore(list: readonly ChunkSummary[], key: SortKey): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(list[mid]!.first, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}
