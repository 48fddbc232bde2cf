import type { SavedTable } from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import type { InputEntry } from './catalogue.js';
import { BUCKETS, bucketOf, NO_DIGEST } from './input-buckets.js';

/**
 * What the catalogue's root file (`inputs.json`) says of one bucket of the inputs table, so that
 * a run can leave the bucket unread (archive/input-buckets.ts).
 */
export interface BucketSummary {
  /** The stamp of the bucket's files as saved (io/journaled-table.ts); '' when it has no rows. */
  readonly stamp: string;
  /** The digest of the part of the listing its rows were exactly, or NO_DIGEST. */
  readonly digest: string;
  /** The normalization rules every one of its rows was made with; 0 when they differ. */
  readonly normalizer: number;
  readonly rows: number;
}

/** A bucket never saved: read as empty, and never left unread. */
export const UNSAVED: BucketSummary = { stamp: '', digest: NO_DIGEST, normalizer: 0, rows: 0 };

/** A bucket's rows as read from its files, with where those stand; null: unreadable. */
export type BucketLoader = (
  bucket: number,
  summary: BucketSummary,
) => { rows: ChangeMap<string, InputEntry>; saved: SavedTable | null } | null;

/** A bucket that had to be read in the middle of a run could not be: the caller rebuilds. */
export class InputsUnreadableError extends Error {
  /** The files the run wrote before (pipeline/archive-articles.ts reports them). */
  written: string[] = [];
}

/**
 * A row that is reported on every run or looked for when a record is freed: one with issues
 * (pipeline/archive-articles.ts reports them until the file is fixed) or that feeds no record
 * (a duplicate, read again when its original goes). The root file keeps a copy of each, so that
 * a run reports and finds them without reading their buckets.
 */
export const isNotable = (e: InputEntry): boolean => e.issues.length > 0 || e.record === null;

/**
 * The catalogue's inputs (catalogue.ts, InputEntry), by stored article's path, read one bucket at
 * a time: a bucket is read the first time one of its rows is asked for (get, set, delete, has)
 * or by load(); peek() and the summaries answer without reading. Iterating reads every bucket.
 * Changes are tracked per bucket (ChangeMap): a save writes the buckets that changed
 * (archive/catalogue-file.ts).
 */
export class InputTable implements Iterable<[string, InputEntry]> {
  readonly #rows: (ChangeMap<string, InputEntry> | undefined)[];
  readonly #saved: (SavedTable | null)[];
  #summaries: BucketSummary[];
  /** The root's copies of the notable rows (isNotable) of every bucket, as read. */
  readonly #notable: Map<string, InputEntry>;
  readonly #loader: BucketLoader | null;

  private constructor(
    loaded: boolean,
    summaries: BucketSummary[],
    notable: Map<string, InputEntry>,
    loader: BucketLoader | null,
  ) {
    this.#rows = Array.from({ length: BUCKETS }, () =>
      loaded ? new ChangeMap<string, InputEntry>() : undefined,
    );
    this.#saved = new Array<SavedTable | null>(BUCKETS).fill(null);
    this.#summaries = summaries;
    this.#notable = notable;
    this.#loader = loader;
  }

  /** An empty table held whole in memory (a rebuild, a new catalogue): every bucket unsaved. */
  static fresh(): InputTable {
    return new InputTable(true, new Array<BucketSummary>(BUCKETS).fill(UNSAVED), new Map(), null);
  }

  /** A table as the root file describes it; its buckets are read by `loader` when needed. */
  static opened(
    summaries: readonly (BucketSummary | undefined)[],
    notable: Map<string, InputEntry>,
    loader: BucketLoader,
  ): InputTable {
    const all = Array.from({ length: BUCKETS }, (_, b) => summaries[b] ?? UNSAVED);
    return new InputTable(false, all, notable, loader);
  }

  summary(bucket: number): BucketSummary {
    return this.#summaries[bucket]!;
  }

  isLoaded(bucket: number): boolean {
    return this.#rows[bucket] !== undefined;
  }

  /** Read a bucket (if not read yet): false when its files cannot be read as the root says. */
  load(bucket: number): boolean {
    if (this.#rows[bucket] !== undefined) return true;
    const summary = this.#summaries[bucket]!;
    const got =
      summary.stamp === '' ? { rows: new ChangeMap<string, InputEntry>(), saved: null } : null;
    const read = got ?? this.#loader?.(bucket, summary) ?? null;
    if (read === null) return false;
    read.rows.settle();
    this.#rows[bucket] = read.rows;
    this.#saved[bucket] = read.saved;
    return true;
  }

  /** Read every bucket: false when one cannot be. */
  loadAll(): boolean {
    for (let b = 0; b < BUCKETS; b++) if (!this.load(b)) return false;
    return true;
  }

  #bucket(path: string): ChangeMap<string, InputEntry> {
    const b = bucketOf(path);
    if (!this.load(b))
      throw new InputsUnreadableError(
        `the catalogue's inputs bucket ${b} could not be read as inputs.json says`,
      );
    return this.#rows[b]!;
  }

  get(path: string): InputEntry | undefined {
    return this.#bucket(path).get(path);
  }

  has(path: string): boolean {
    return this.#bucket(path).has(path);
  }

  set(path: string, entry: InputEntry): this {
    this.#bucket(path).set(path, entry);
    return this;
  }

  /** A row read from the files: not a change. */
  put(path: string, entry: InputEntry): void {
    this.#bucket(path).put(path, entry);
  }

  delete(path: string): boolean {
    return this.#bucket(path).delete(path);
  }

  /**
   * The row of `path` without reading its bucket: from the bucket when it is read, else the
   * root's copy when the row is notable (isNotable), else undefined (it may still exist).
   */
  peek(path: string): InputEntry | undefined {
    const rows = this.#rows[bucketOf(path)];
    return rows !== undefined ? rows.get(path) : this.#notable.get(path);
  }

  /** Rows in a bucket (read or not). */
  bucketSize(bucket: number): number {
    return this.#rows[bucket]?.size ?? this.#summaries[bucket]!.rows;
  }

  get size(): number {
    let n = 0;
    for (let b = 0; b < BUCKETS; b++) n += this.#rows[b]?.size ?? this.#summaries[b]!.rows;
    return n;
  }

  /** Every row: reads every bucket (throws InputsUnreadableError when one cannot be). */
  *[Symbol.iterator](): Generator<[string, InputEntry]> {
    for (let b = 0; b < BUCKETS; b++) {
      if (!this.load(b))
        throw new InputsUnreadableError(`the catalogue's inputs bucket ${b} could not be read`);
      yield* this.#rows[b]!;
    }
  }

  entries(): IterableIterator<[string, InputEntry]> {
    return this[Symbol.iterator]();
  }

  *keys(): Generator<string> {
    for (const [k] of this) yield k;
  }

  *values(): Generator<InputEntry> {
    for (const [, v] of this) yield v;
  }

  /** The rows of the buckets read so far. */
  *loaded(): Generator<[string, InputEntry]> {
    for (const rows of this.#rows) if (rows !== undefined) yield* rows;
  }

  /**
   * The rows of the buckets not read: their notable rows (isNotable), and how many others
   * (each feeds a record and has no issue: an unchanged article).
   */
  unread(): { notable: [string, InputEntry][]; others: number } {
    const notable: [string, InputEntry][] = [];
    const perBucket = new Uint32Array(BUCKETS);
    for (const [path, e] of this.#notable) {
      const b = bucketOf(path);
      if (this.#rows[b] !== undefined) continue;
      notable.push([path, e]);
      perBucket[b]!++;
    }
    let others = 0;
    for (let b = 0; b < BUCKETS; b++)
      if (this.#rows[b] === undefined) others += this.#summaries[b]!.rows - perBucket[b]!;
    return { notable, others };
  }

  /** Every notable row (isNotable), read buckets and unread ones alike. */
  *notable(): Generator<[string, InputEntry]> {
    for (const [path, e] of this.#notable)
      if (this.#rows[bucketOf(path)] === undefined) yield [path, e];
    for (const [path, e] of this.loaded()) if (isNotable(e)) yield [path, e];
  }

  /** The root's copies of the notable rows, as of the last read or save (for the root file). */
  savedNotable(): ReadonlyMap<string, InputEntry> {
    return this.#notable;
  }

  /** How many rows were set or deleted since the table was read or saved. */
  changes(): number {
    let n = 0;
    for (const rows of this.#rows) n += rows?.changed.size ?? 0;
    return n;
  }

  /** For a save (archive/catalogue-file.ts): each read bucket, its rows and files' state. */
  *readBuckets(): Generator<{
    bucket: number;
    rows: ChangeMap<string, InputEntry>;
    saved: SavedTable | null;
    summary: BucketSummary;
  }> {
    for (let b = 0; b < BUCKETS; b++) {
      const rows = this.#rows[b];
      if (rows !== undefined)
        yield { bucket: b, rows, saved: this.#saved[b]!, summary: this.#summaries[b]! };
    }
  }

  /** After a save: where each saved bucket's files now stand, and the root's new copies. */
  saved(
    bucket: number,
    saved: SavedTable | null,
    summary: BucketSummary,
    notable: Iterable<[string, InputEntry | undefined]>,
  ): void {
    this.#saved[bucket] = saved;
    this.#summaries[bucket] = summary;
    for (const [path, e] of notable)
      if (e !== undefined && isNotable(e)) this.#notable.set(path, e);
      else this.#notable.delete(path);
  }

  /** Rows read from the files, or saved: no change left. */
  settle(): void {
    for (const rows of this.#rows) rows?.settle();
  }
}
