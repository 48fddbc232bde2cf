import type { RecordEntry } from '../archive/catalogue.js';
import {
  compareKeys,
  sortKeyOf,
  type ChunkSummary,
  type SortKey,
} from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { wasPublished } from '../pipeline/embargo.js';
import { linkedChain, partOf, type ExpectedChain } from './expected-history.js';

/**
 * The gate's chain oracle (expected-history.ts expectedChain over embargo.ts visibleRows) from
 * the records' chunks (archive/record-view.ts), reading a chunk only when the root cannot say
 * (docs/development.md, "Steps 3 to 5 after step 2", step 5). It is an oracle: it shares the
 * chunks' root and the link making (linkedChain) with expectedChain, and nothing with the
 * renderer's planner (history/visible-parts.ts, parts-due.ts, archive-chain.ts).
 *
 * The chunks hold every row (invisible ones too) in the order a month's parts are cut in, so
 * part n of a month is its visible rows at [(n-1)·partSize, n·partSize) counted over its
 * chunks in order. A chunk's visible and live rows are known from the root when it holds no
 * left-out row and either starts after `now` (all under embargo: none) or ends at or before it
 * (rows - unseen, live); otherwise it is read and counted. A part has a document when it lists
 * a live row: certain when a chunk gives it more visible rows than that chunk has withdrawn
 * ones, impossible when every chunk it draws on has no live row; else its chunks are read.
 */
/** What the chunked oracle reads from: the table as saved, the clock, the rows left out. */
export interface ChainChunks {
  readonly view: RecordChunks;
  readonly now: string;
  readonly leftOut: ReadonlyMap<string, SortKey>;
}

export function expectedChainOfChunks(
  view: RecordChunks,
  now: string,
  /** Rows left out as unrenderable: each path with its row's sort key (where it lies). */
  leftOut: ReadonlyMap<string, SortKey>,
  feedSize: number,
  baseUrl: string,
  partSize: number,
): ExpectedChain {
  const chunks = view.chunks;
  const keys = [...leftOut.values()];
  const shown = new Map<number, (readonly [string, RecordEntry])[]>();
  /** Chunk i's visible rows, in order (reads it). */
  const visibleOf = (i: number): (readonly [string, RecordEntry])[] => {
    let rows = shown.get(i);
    if (rows === undefined)
      shown.set(
        i,
        (rows = view
          .rows(chunks[i]!)
          .filter(([path, r]) => wasPublished(r, now) && !leftOut.has(path))),
      );
    return rows;
  };
  const counts = chunks.map((c, i) => {
    const counted = countedByRoot(c, now, keys);
    if (counted !== undefined) return counted;
    const rows = visibleOf(i);
    return { visible: rows.length, live: rows.filter(([, r]) => !r.withdrawn).length };
  });

  /** Each month's chunks (positions) in order, oldest month first: the chunks' own order. */
  const months = new Map<string, number[]>();
  chunks.forEach((c, i) => {
    const list = months.get(c.month);
    if (list) list.push(i);
    else months.set(c.month, [i]);
  });
  /** The chunks holding visible rows [from, to) of a month: [position, from, to] within each. */
  const spans = (month: string, from: number, to: number): [number, number, number][] => {
    const out: [number, number, number][] = [];
    let start = 0;
    for (const i of months.get(month) ?? []) {
      const end = start + counts[i]!.visible;
      if (end > from && start < to)
        out.push([i, Math.max(from, start) - start, Math.min(to, end) - start]);
      start = end;
    }
    return out;
  };
  const hasLive = (month: string, from: number, to: number): boolean => {
    const drawn = spans(month, from, to);
    // More rows from a chunk than it has visible withdrawn rows: one of them is live.
    if (drawn.some(([i, a, b]) => b - a > counts[i]!.visible - counts[i]!.live)) return true;
    return drawn.some(
      ([i, a, b]) =>
        counts[i]!.live > 0 &&
        visibleOf(i)
          .slice(a, b)
          .some(([, r]) => !r.withdrawn),
    );
  };

  const parts: string[] = [];
  const names: string[] = [];
  const where = new Map<string, [string, number]>();
  const liveIn = new Map<string, number>();
  let live = 0;
  for (const [month, list] of [...months].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const count = list.reduce((n, i) => n + counts[i]!.visible, 0);
    const monthLive = list.reduce((n, i) => n + counts[i]!.live, 0);
    live += monthLive;
    if (monthLive > 0) liveIn.set(month, monthLive);
    for (let p = 1; (p - 1) * partSize < count; p++) {
      const name = p === 1 ? month : `${month}/${p}`;
      parts.push(name);
      where.set(name, [month, p]);
      if (monthLive > 0 && hasLive(month, (p - 1) * partSize, p * partSize)) names.push(name);
    }
  }
  return linkedChain(
    names,
    parts,
    liveIn,
    (name) => {
      const at = where.get(name);
      if (at === undefined) return undefined;
      const [month, p] = at;
      const mine = spans(month, (p - 1) * partSize, p * partSize).flatMap(([i, a, b]) =>
        visibleOf(i).slice(a, b),
      );
      return partOf(name, mine);
    },
    live <= feedSize,
    baseUrl,
  );
}

/**
 * A chunk's visible and live rows as the root says them, undefined when it cannot say (the
 * chunk holds a left-out row, or rows on both sides of `now`, or a root from before `unseen`):
 * then the chunk is read and counted.
 */
export function countedByRoot(
  c: ChunkSummary,
  now: string,
  /** The sort keys of the rows left out. */
  leftOut: readonly SortKey[],
): { visible: number; live: number } | undefined {
  if (leftOut.some((k) => compareKeys(c.first, k) <= 0 && compareKeys(k, c.last) <= 0))
    return undefined;
  if (c.first[0] > now) return { visible: 0, live: 0 };
  if (c.last[0] <= now && c.unseen !== undefined)
    return { visible: c.rows - c.unseen, live: c.live };
  return undefined;
}

/** Where each left-out row lies (its sort key), from the catalogue's rows; one not there, nowhere. */
export function leftOutKeys(
  leftOut: { keys(): Iterable<string> },
  rows: { get(path: string): RecordEntry | undefined },
): Map<string, SortKey> {
  const out = new Map<string, SortKey>();
  for (const path of leftOut.keys()) {
    const r = rows.get(path);
    if (r !== undefined) out.set(path, sortKeyOf(path, r));
  }
  return out;
}
