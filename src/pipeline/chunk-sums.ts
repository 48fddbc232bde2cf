import type { RecordEntry, StoredChunk } from '../archive/catalogue.js';
import { recordPathFor } from '../archive/record-path.js';
import { wasPublished } from './embargo.js';
import { isScheduled } from './release.js';
import { addDigest, placeOf, rowHash, stampOf, type GroupSummary } from './page-groups.js';

/**
 * What each records chunk (archive/record-chunks.ts) adds to the page groups' digests
 * (page-groups.ts digestOf), kept in the page state's root beside the chunk's stamp, so that
 * `PagesHeld` (pages-held.ts) learns which groups are as the catalogue's rows without hashing
 * every row: it reads only the chunks whose stamp moved since these sums were made (issue 15,
 * docs/development.md "twenty-first session, stamps").
 *
 * An entry stands for its chunk only while all of this holds, each checked where it is used
 * (`standsIn`), so that a stale one (a kill between the catalogue's save and the page state's, a
 * catalogue rebuilt or put back, an older feedkeeper's save, a hand edit) is never believed: the
 * chunk is read, as with no entry at all.
 * - its files are at the stamp the entry was made from (a stamp is new at every save of a
 *   chunk, io/journaled-table.ts: the same stamp, the same rows);
 * - its month's groups are cut as they were (`layoutOf`): the same groups hold the same rows;
 * - every row was visible then and is now (no embargo across either clock; none withdrawn
 *   before its embargo ended), at the path its slug and date mint (so that a slug's record is
 *   found by the index's slug key: pages-held.ts), in a group: else the entry has no sums;
 * - its check, a hash of the rest, is right (a row changed by hand is not believed).
 */
export interface ChunkSums {
  /** The chunk's files' stamp the sums were made from. */
  readonly stamp: string;
  /** layoutOf() its month's groups when they were made. */
  readonly layout: string;
  /** The run's clock then. */
  readonly clock: string;
  /**
   * Per group: the two digest sums of the chunk's rows it places there. null: the chunk cannot
   * stand in for its rows (one not visible, or not at its minted path, or in no group): it is
   * read at each ask.
   */
  readonly sums: readonly (readonly [group: string, a: number, b: number])[] | null;
}

/** A hash of a month's groups, their names and where each starts (what placeOf() answers from). */
export function layoutOf(
  byMonth: ReadonlyMap<string, readonly GroupSummary[]>,
  month: string,
): string {
  const list = byMonth.get(month) ?? [];
  const text = list.map((g) => `${g.name}\u0000${g.first[0]}\u0000${g.first[1]}`).join('\n');
  const [x, y] = rowHash(month, text);
  return hex(x) + hex(y);
}

/** The sums of one chunk's rows (all of them, as its files hold them) against the groups. */
export function sumsOfChunk(
  rows: Iterable<readonly [string, RecordEntry]>,
  chunk: Pick<StoredChunk, 'stamp' | 'month'>,
  byMonth: ReadonlyMap<string, readonly GroupSummary[]>,
  clock: string,
): ChunkSums {
  const layout = layoutOf(byMonth, chunk.month);
  const sums = new Map<string, [number, number]>();
  let whole = true;
  for (const [path, r] of rows) {
    const g = placeOf(byMonth, [r.publishedAt, path]);
    if (
      g === undefined ||
      !wasPublished(r, clock) ||
      path !== recordPathFor(r.publishedAt, r.slug)
    ) {
      whole = false;
      break;
    }
    let sum = sums.get(g.name);
    if (sum === undefined) sums.set(g.name, (sum = [0, 0]));
    addDigest(sum, path, stampOf(r));
  }
  return {
    stamp: chunk.stamp,
    layout,
    clock,
    sums: whole ? [...sums].map(([g, [a, b]]) => [g, a, b] as const).sort(byGroup) : null,
  };
}

const byGroup = (a: readonly [string, ...unknown[]], b: readonly [string, ...unknown[]]): number =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;

/**
 * Whether `entry` stands for `chunk`'s rows at `now` against the groups `byMonth` (see
 * ChunkSums): then its sums are what hashing its rows would give, and each of them is in a
 * group, visible, at its minted path.
 */
export function standsIn(
  entry: ChunkSums | undefined,
  chunk: StoredChunk,
  byMonth: ReadonlyMap<string, readonly GroupSummary[]>,
  now: string,
  /** Each month's layout and group names, made once for a caller asking of many chunks. */
  months: Map<string, { layout: string; names: Set<string> }> = new Map(),
): entry is ChunkSums & { sums: NonNullable<ChunkSums['sums']> } {
  if (entry === undefined || entry.sums === null || entry.stamp !== chunk.stamp) return false;
  // Its newest row is out of embargo at `now` (the clock may have gone back).
  if (isScheduled(chunk.last[0], now)) return false;
  let month = months.get(chunk.month);
  if (month === undefined) {
    const names = new Set((byMonth.get(chunk.month) ?? []).map((g) => g.name));
    months.set(chunk.month, (month = { layout: layoutOf(byMonth, chunk.month), names }));
  }
  if (entry.layout !== month.layout) return false;
  const names = month.names;
  return entry.sums.every(([g]) => names.has(g));
}

/**
 * The entries a page state saved with `byMonth` keeps: each chunk's as it was when it still
 * stands for the chunk (its stamp, its month's groups; one without sums while its clock has not
 * passed its newest row), else made again from its rows (`rows`: null when they cannot be read,
 * then the chunk has none). The rows of a chunk are read only for a chunk whose stamp moved
 * (the few a run wrote), a month whose groups were cut again, or the first save.
 */
export function nextChunkSums(
  before: ReadonlyMap<string, ChunkSums> | undefined,
  chunks: readonly StoredChunk[],
  rows: (chunk: StoredChunk) => readonly (readonly [string, RecordEntry])[] | null,
  byMonth: ReadonlyMap<string, readonly GroupSummary[]>,
  clock: string,
): Map<string, ChunkSums> {
  const out = new Map<string, ChunkSums>();
  const layouts = new Map<string, string>();
  for (const chunk of chunks) {
    let layout = layouts.get(chunk.month);
    if (layout === undefined) layouts.set(chunk.month, (layout = layoutOf(byMonth, chunk.month)));
    const old = before?.get(chunk.name);
    if (
      old !== undefined &&
      old.stamp === chunk.stamp &&
      old.layout === layout &&
      !(
        old.sums === null &&
        isScheduled(chunk.last[0], old.clock) &&
        !isScheduled(chunk.last[0], clock)
      )
    ) {
      out.set(chunk.name, old);
      continue;
    }
    const got = rows(chunk);
    if (got !== null) out.set(chunk.name, sumsOfChunk(got, chunk, byMonth, clock));
  }
  return out;
}

/** An entry as the root keeps it: `[key, stamp, layout, clock, sums, check]`. */
export function chunkSumsRow(key: string, e: ChunkSums): unknown[] {
  const body = [key, e.stamp, e.layout, e.clock, e.sums];
  return [...body, checkOf(body)];
}

/** An entry read from the root; null when out of shape or its check is wrong (not believed). */
export function chunkSumsOfRow(row: readonly unknown[]): ChunkSums | null {
  const [key, stamp, layout, clock, sums, check] = row;
  if (
    typeof key !== 'string' ||
    typeof stamp !== 'string' ||
    typeof layout !== 'string' ||
    typeof clock !== 'string' ||
    typeof check !== 'string' ||
    check !== checkOf([key, stamp, layout, clock, sums])
  )
    return null;
  if (sums === null) return { stamp, layout, clock, sums: null };
  if (
    !Array.isArray(sums) ||
    !sums.every(
      (s: unknown) =>
        Array.isArray(s) &&
        s.length === 3 &&
        typeof s[0] === 'string' &&
        Number.isInteger(s[1]) &&
        Number.isInteger(s[2]),
    )
  )
    return null;
  return { stamp, layout, clock, sums: sums as [string, number, number][] };
}

function checkOf(body: readonly unknown[]): string {
  const [x, y] = rowHash('chunk-sums', JSON.stringify(body));
  return hex(x) + hex(y);
}

const hex = (n: number): string => n.toString(16).padStart(8, '0');
