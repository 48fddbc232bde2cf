import type { RecordEntry } from '../archive/catalogue.js';
import { compareKeys, sortKeyOf, type SortKey } from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { PART_SIZE } from '../model/feed-history.js';
import { monthOf, partName } from '../model/month-parts.js';
import { isScheduled, wasPublished } from '../pipeline/embargo.js';

/**
 * The month parts readers see (model/month-parts.ts: a month's visible rows, withdrawn ones
 * included, oldest first, PART_SIZE to a part), from the root of the records' chunks
 * (archive/record-view.ts), reading a chunk only when the root cannot say how many of its rows
 * are visible (docs/development.md, "Steps 3 to 5 after step 2", step 1). Pure: the view reads.
 *
 * A row is visible when it was published (pipeline/embargo.ts wasPublished: not under embargo
 * at `now`, not withdrawn before its embargo ended) and is not left out as unrenderable
 * (`leftOut`). The root says, per chunk, its newest publication date (`last`: the chunks are in
 * publication order), its rows withdrawn before their embargo ended (`unseen`) and its rows not
 * withdrawn (`live`); so a chunk dated at or before `now`, holding no left-out row, has
 * `rows - unseen` visible rows and `live` live ones, unread; a chunk dated wholly after `now`
 * has none. Only the chunk across `now`, those holding a left-out row, and those of a root
 * saved before `unseen` existed are read to count. The chunks hold their month's rows in the
 * order its parts are cut in, so part n of a month is the visible rows at positions
 * [(n-1)·PART_SIZE, n·PART_SIZE) of the month's chunks, and its rows are read from the few
 * chunks that hold those positions.
 */

type Row = readonly [string, RecordEntry];

/** A chunk's visible rows, and how many of those are not withdrawn. */
export interface ChunkCount {
  readonly visible: number;
  readonly live: number;
}

/** A month as readers see it. */
export interface MonthCut {
  readonly month: string;
  /** The positions (in the view's chunks) of the month's chunks, in order. */
  readonly chunks: readonly number[];
  /** The visible rows of the month's chunks before each one (same length as `chunks`). */
  readonly before: readonly number[];
  /** Visible rows. */
  readonly count: number;
  /** Visible rows not withdrawn: the month has pages and documents when it has one. */
  readonly live: number;
  /** How many parts it is cut into: ceil(count / PART_SIZE). */
  readonly parts: number;
}

/** Where part `number` of a month is: chunk positions, and the slice of their visible rows. */
export interface PartPlace {
  /** Positions of the chunks that hold its rows, in order (none when the part is empty). */
  readonly chunks: readonly number[];
  /** Visible rows of the first of them to skip. */
  readonly skip: number;
  /** Rows in the part. */
  readonly take: number;
}

export class VisibleParts {
  /** Every month that has a chunk, oldest first. */
  readonly months: readonly string[];
  private readonly ofMonth = new Map<string, number[]>();
  private readonly withLeftOut = new Set<number>();
  private readonly counted = new Map<number, ChunkCount>();
  private readonly shown = new Map<number, Row[]>();
  private readonly cuts = new Map<string, MonthCut>();

  constructor(
    readonly view: RecordChunks,
    readonly now: string,
    /** Rows left out as unrenderable: each path with its row's sort key (where it is). */
    readonly leftOut: ReadonlyMap<string, SortKey>,
  ) {
    view.chunks.forEach((c, i) => {
      const list = this.ofMonth.get(c.month);
      if (list) list.push(i);
      else this.ofMonth.set(c.month, [i]);
    });
    this.months = [...this.ofMonth.keys()].sort();
    for (const key of leftOut.values()) {
      const at = this.chunkAt(key);
      if (at !== undefined) this.withLeftOut.add(at);
    }
  }

  /** Whether readers see the row (embargo.ts visibleRows' rule). */
  visible(path: string, r: RecordEntry): boolean {
    return wasPublished(r, this.now) && !this.leftOut.has(path);
  }

  /**
   * The position of the chunk whose range holds `key` ([its first key, the next one's) in its
   * month, the month's first chunk for a key before them all: record-chunks.ts planChunks'
   * rule), or undefined when its month has no chunk.
   */
  chunkAt(key: SortKey): number | undefined {
    const list = this.ofMonth.get(monthOf(key[0]));
    if (list === undefined) return undefined;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.view.chunks[list[mid]!]!.first, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return list[Math.max(0, lo - 1)];
  }

  /** The visible rows of chunk `i`, in order (reads it). */
  rowsOf(i: number): readonly Row[] {
    let rows = this.shown.get(i);
    if (rows === undefined) {
      const chunk = this.view.chunks[i];
      rows =
        chunk === undefined ? [] : this.view.rows(chunk).filter(([p, r]) => this.visible(p, r));
      this.shown.set(i, rows);
    }
    return rows;
  }

  /** Chunk `i`'s visible and live rows: from the root when it can say, else read. */
  count(i: number): ChunkCount {
    const known = this.counted.get(i);
    if (known) return known;
    const c = this.view.chunks[i];
    let got: ChunkCount;
    if (c === undefined) got = { visible: 0, live: 0 };
    else if (!this.withLeftOut.has(i) && isScheduled(c.first[0], this.now))
      got = { visible: 0, live: 0 };
    else if (
      !this.withLeftOut.has(i) &&
      !isScheduled(c.last[0], this.now) &&
      c.unseen !== undefined
    )
      // Dated at or before now: a row is hidden only by a withdrawal before its embargo ended
      // (a withdrawn row, so `live` counts none of them).
      got = { visible: c.rows - c.unseen, live: c.live };
    else {
      const rows = this.rowsOf(i);
      got = { visible: rows.length, live: rows.filter(([, r]) => !r.withdrawn).length };
    }
    this.counted.set(i, got);
    return got;
  }

  /** The month as readers see it (its counts; chunks read only as count() says). */
  cut(month: string): MonthCut {
    const known = this.cuts.get(month);
    if (known) return known;
    const chunks = this.ofMonth.get(month) ?? [];
    const before: number[] = [];
    let count = 0;
    let live = 0;
    for (const i of chunks) {
      before.push(count);
      const c = this.count(i);
      count += c.visible;
      live += c.live;
    }
    const cut = { month, chunks, before, count, live, parts: Math.ceil(count / PART_SIZE) };
    this.cuts.set(month, cut);
    return cut;
  }

  /** Where the visible rows [from, to) of `month` are (to is cut at the month's count). */
  placeOf(month: string, from: number, to: number): PartPlace {
    const cut = this.cut(month);
    const end = Math.min(to, cut.count);
    const chunks: number[] = [];
    let skip = 0;
    cut.chunks.forEach((i, k) => {
      const start = cut.before[k]!;
      const size = this.count(i).visible;
      if (size === 0 || start + size <= from || start >= end) return;
      if (chunks.length === 0) skip = from - start;
      chunks.push(i);
    });
    return { chunks, skip: Math.max(0, skip), take: Math.max(0, end - from) };
  }

  /** Where part `number` (1-based) of `month` is. */
  partPlace(month: string, number: number): PartPlace {
    return this.placeOf(month, (number - 1) * PART_SIZE, number * PART_SIZE);
  }

  /** The visible rows [from, to) of `month`, oldest first, reading only the chunks holding them. */
  slice(month: string, from: number, to: number): Row[] {
    const place = this.placeOf(month, from, to);
    const out: Row[] = [];
    let skip = place.skip;
    for (const i of place.chunks) {
      for (const row of this.rowsOf(i)) {
        if (skip > 0) skip--;
        else if (out.length < place.take) out.push(row);
      }
    }
    return out;
  }

  /** The rows of part `number` (1-based) of `month`, oldest first: its chunks read, no other. */
  partRows(month: string, number: number): Row[] {
    return this.slice(month, (number - 1) * PART_SIZE, number * PART_SIZE);
  }

  /** How many visible rows of `key`'s month sort before `key` (reads the chunk of its range). */
  rank(key: SortKey): number {
    const month = monthOf(key[0]);
    const cut = this.cut(month);
    const at = this.chunkAt(key);
    if (at === undefined) return 0;
    const k = cut.chunks.indexOf(at);
    const chunk = this.view.chunks[at]!;
    if (compareKeys(key, chunk.first) <= 0) return cut.before[k]!;
    if (compareKeys(key, chunk.last) > 0) return cut.before[k]! + this.count(at).visible;
    let n = 0;
    for (const [p, r] of this.rowsOf(at)) if (compareKeys(sortKeyOf(p, r), key) < 0) n++;
    return cut.before[k]! + n;
  }

  /** The row at `key` (its path is the key's third part), visible or not; reads its chunk. */
  find(key: SortKey): RecordEntry | undefined {
    const at = this.chunkAt(key);
    if (at === undefined) return undefined;
    const chunk = this.view.chunks[at]!;
    if (compareKeys(key, chunk.first) < 0 || compareKeys(key, chunk.last) > 0) return undefined;
    for (const [p, r] of this.view.rows(chunk)) if (p === key[2]) return r;
    return undefined;
  }

  /**
   * Whether part `number` of `month` holds a visible row not withdrawn (it has archive
   * documents: history/archive-chain.ts). From the root when a chunk it takes rows from has only
   * live visible rows, or none; else its rows are read.
   */
  partLive(month: string, number: number): boolean {
    const place = this.partPlace(month, number);
    if (place.take === 0) return false;
    let unsure = false;
    for (const i of place.chunks) {
      const c = this.count(i);
      if (c.live > 0 && c.live === c.visible) return true;
      if (c.live > 0) unsure = true;
    }
    return unsure && this.partRows(month, number).some(([, r]) => !r.withdrawn);
  }

  /** The nearest month before (-1) or after (+1) `month` with a live row: one with pages. */
  monthBeside(month: string, step: -1 | 1): string | undefined {
    let k = this.months.indexOf(month);
    // A month without a chunk: where it would be.
    if (k < 0)
      k =
        step === 1
          ? this.months.filter((m) => m < month).length - 1
          : this.months.filter((m) => m < month).length;
    for (k += step; k >= 0 && k < this.months.length; k += step)
      if (this.cut(this.months[k]!).live > 0) return this.months[k];
    return undefined;
  }

  /**
   * The archive document before (-1) or after (+1) part `number` of `month` in the chain (the
   * parts with a live row, across months: history/archive-chain.ts): what its prev-archive or
   * next-archive link names (RFC 5005 section 4). Undefined at either end.
   */
  chainBeside(month: string, number: number, step: -1 | 1): string | undefined {
    const n = this.cut(month).parts;
    for (let j = number + step; j >= 1 && j <= n; j += step)
      if (this.partLive(month, j)) return partName(month, j);
    for (let m = this.monthBeside(month, step); m !== undefined; m = this.monthBeside(m, step)) {
      const mn = this.cut(m).parts;
      for (let j = step === 1 ? 1 : mn; j >= 1 && j <= mn; j += step)
        if (this.partLive(m, j)) return partName(m, j);
    }
    return undefined;
  }
}
