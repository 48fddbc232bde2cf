import type { SavedTable } from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import type { RecordEntry, StoredChunk } from './catalogue.js';
import { BUCKETS, bucketOf } from './input-buckets.js';
import type { SortKey } from './record-chunks.js';
import type { RowsOnDemand } from './rows-on-demand.js';

/**
 * The records by key: which record paths hold an id, a slug, a text (fingerprint) or a stored
 * article (input path), so that a run that adds one article learns whether its slug and id are
 * free and which record has its text without a pass over every row (issue 15, step 2 of
 * docs/development.md "Speed and memory"). Paths only: whether a record is live stays in the
 * records table.
 *
 * Cut in BUCKETS buckets by a hash of kind and key (archive/input-buckets.ts, bucketOf), each a
 * journaled table on disk (archive/key-index-file.ts); a bucket is read the first time one of
 * its keys is asked for or changed. Kept in step with the records' rows as they change
 * (RecordRows below), so that a lookup in the middle of a run sees the records minted before it.
 */
export type KeyKind = 'id' | 'slug' | 'fingerprint' | 'input';
export const KEY_KINDS: readonly KeyKind[] = ['id', 'slug', 'fingerprint', 'input'];

/** A key as the bucket files keep it: `id:tag:…`, `slug:…`, `fingerprint:…`, `input:…`. */
export const indexKey = (kind: KeyKind, value: string): string => `${kind}:${value}`;

/**
 * The key of a record path's own row: `path:<record path>` → [publishedAt, id], the two
 * columns that place its row in the records' chunks (record-chunks.ts, SortKey), so that the
 * row of one path is read from the one chunk that holds it (rows-on-demand.ts).
 */
export const pathKey = (path: string): string => `path:${path}`;

/** A bucket's rows (key → record paths, sorted) as read from its files, with where they stand. */
export type KeyBucketLoader = (
  bucket: number,
  stamp: string,
) => { rows: ChangeMap<string, readonly string[]>; saved: SavedTable | null } | null;

/** What the index's root file says: each bucket's stamp ('' for none), and the shared ids. */
export interface KeyRoot {
  readonly stamps: readonly string[];
  readonly shared: readonly string[];
  readonly saved: SavedTable;
  /** The records table's stamp and generation the root was saved with. */
  readonly records: string;
  readonly generation: string | null;
}

export class KeyIndex {
  /** Per bucket its rows, once read (or built). */
  readonly #buckets: (ChangeMap<string, readonly string[]> | undefined)[];
  readonly #saved: (SavedTable | null)[];
  #stamps: string[];
  /** Ids with two holders or more (kept in the root: "shared ids" needs no scan). */
  #shared: Set<string>;
  #root: KeyRoot | null;
  /** false: nothing read or built yet; made from `rows` at first use. */
  #built: boolean;
  /** Built in memory from the rows: a save writes every bucket anew. */
  #fresh: boolean;
  #loader: KeyBucketLoader | null;
  /** How many buckets were read from their files (for the tests and the figures). */
  bucketsRead = 0;

  private constructor(
    /** The rows it indexes, as they are now. */
    private readonly records: ReadonlyMap<string, RecordEntry>,
    root: KeyRoot | null,
    loader: KeyBucketLoader | null,
  ) {
    this.#buckets = new Array<ChangeMap<string, readonly string[]> | undefined>(BUCKETS);
    this.#saved = new Array<SavedTable | null>(BUCKETS).fill(null);
    this.#stamps = root ? [...root.stamps] : new Array<string>(BUCKETS).fill('');
    this.#shared = new Set(root?.shared ?? []);
    this.#root = root;
    this.#built = root !== null;
    this.#fresh = false;
    this.#loader = loader;
  }

  /** An index of `rows` made from them when first asked (no files, or files not trusted). */
  static of(records: ReadonlyMap<string, RecordEntry>): KeyIndex {
    return new KeyIndex(records, null, null);
  }

  /** An index as its root file describes it; its buckets are read by `loader` when needed. */
  static opened(
    records: ReadonlyMap<string, RecordEntry>,
    root: KeyRoot,
    loader: KeyBucketLoader,
  ): KeyIndex {
    return new KeyIndex(records, root, loader);
  }

  /**
   * The record paths that hold `value` as their `kind`, sorted: those whose row says so. The
   * rows are the truth (a row dropped from the records table by hand is not brought back by
   * the index: the records folder is then checked, as before, by the store's `occupied`).
   */
  holders(kind: KeyKind, value: string): readonly string[] {
    const key = indexKey(kind, value);
    const paths = this.#bucket(key).get(key) ?? [];
    return paths.every((p) => this.records.get(p)?.[kind] === value)
      ? paths
      : paths.filter((p) => this.records.get(p)?.[kind] === value);
  }

  /** The ids two records or more hold (usually none). */
  sharedIds(): ReadonlySet<string> {
    this.#build();
    return this.#shared;
  }

  /**
   * Where the row of `path` sorts in the records' chunks, as the rows are now: undefined when
   * no row has that path. Read from the bucket of its `path:` key, not from the rows (the rows
   * are what it finds).
   */
  keyOf(path: string): SortKey | undefined {
    const key = pathKey(path);
    const got = this.#bucket(key).get(key);
    return got !== undefined && got.length === 2 ? [got[0]!, got[1]!, path] : undefined;
  }

  /** A row of the records changed (set, or deleted when `after` is undefined). */
  update(path: string, before: RecordEntry | undefined, after: RecordEntry | undefined): void {
    // Not built: it is made from the rows as they are when first asked.
    if (!this.#built) return;
    if (before?.publishedAt !== after?.publishedAt || before?.id !== after?.id) {
      const key = pathKey(path);
      const rows = this.#bucket(key);
      if (after === undefined) rows.delete(key);
      else rows.set(key, [after.publishedAt, after.id]);
    }
    for (const kind of KEY_KINDS) {
      const was = before?.[kind];
      const now = after?.[kind];
      if (was === now) continue;
      // Each step leaves the same result if done twice: a bucket that cannot be read rebuilds
      // the index from the rows, which already hold this change.
      if (was !== undefined) this.#change(kind, was, path, false);
      if (now !== undefined) this.#change(kind, now, path, true);
    }
  }

  #change(kind: KeyKind, value: string, path: string, add: boolean): void {
    const key = indexKey(kind, value);
    const rows = this.#bucket(key);
    const paths = rows.get(key) ?? [];
    const present = paths.includes(path);
    if (add === present) return;
    const next = add ? [...paths, path].sort() : paths.filter((p) => p !== path);
    if (next.length === 0) rows.delete(key);
    else rows.set(key, next);
    if (kind === 'id') {
      if (next.length >= 2) this.#shared.add(value);
      else this.#shared.delete(value);
    }
  }

  #bucket(key: string): ChangeMap<string, readonly string[]> {
    this.#build();
    const b = bucketOf(key);
    const got = this.#buckets[b];
    if (got !== undefined) return got;
    const stamp = this.#stamps[b]!;
    const read =
      stamp === ''
        ? { rows: new ChangeMap<string, readonly string[]>(), saved: null }
        : (this.#loader?.(b, stamp) ?? null);
    if (read === null) {
      // Not at the stamp the root names (a run killed between the two saves, a file restored
      // by hand): not trusted. The rows are all in memory: the index is made again from them.
      this.#rebuild();
      return this.#buckets[b]!;
    }
    if (stamp !== '') this.bucketsRead++;
    read.rows.settle();
    this.#buckets[b] = read.rows;
    this.#saved[b] = read.saved;
    return read.rows;
  }

  #build(): void {
    if (!this.#built) this.#rebuild();
  }

  /** Every bucket made from the rows as they are now; a save writes them all anew. */
  #rebuild(): void {
    const made = Array.from({ length: BUCKETS }, () => new Map<string, string[]>());
    for (const [path, r] of this.records) {
      for (const kind of KEY_KINDS) {
        const key = indexKey(kind, r[kind]);
        const rows = made[bucketOf(key)]!;
        const paths = rows.get(key);
        if (paths === undefined) rows.set(key, [path]);
        else paths.push(path);
      }
      const key = pathKey(path);
      made[bucketOf(key)]!.set(key, [r.publishedAt, r.id]);
    }
    this.#shared = new Set();
    for (let b = 0; b < BUCKETS; b++) {
      const rows = new ChangeMap<string, readonly string[]>();
      for (const [key, paths] of made[b]!) {
        // A path's row is its sort key, in that order; the others are sorted paths.
        if (!key.startsWith('path:')) paths.sort();
        rows.set(key, paths);
        if (paths.length >= 2 && key.startsWith('id:')) this.#shared.add(key.slice(3));
      }
      this.#buckets[b] = rows;
      this.#saved[b] = null;
    }
    this.#built = true;
    this.#fresh = true;
    this.#loader = null;
  }

  // For the save (archive/key-index-file.ts).

  /** Built in memory, nothing of it saved: every bucket and the root are written anew. */
  get fresh(): boolean {
    this.#build();
    return this.#fresh;
  }

  get root(): KeyRoot | null {
    return this.#fresh ? null : this.#root;
  }

  stamp(bucket: number): string {
    return this.#stamps[bucket]!;
  }

  /** Each bucket read or built, its rows and files' state. */
  *readBuckets(): Generator<{
    bucket: number;
    rows: ChangeMap<string, readonly string[]>;
    saved: SavedTable | null;
  }> {
    for (let b = 0; b < BUCKETS; b++) {
      const rows = this.#buckets[b];
      if (rows !== undefined) yield { bucket: b, rows, saved: this.#saved[b]! };
    }
  }

  /** After a save: where a bucket's files now stand. */
  savedBucket(bucket: number, saved: SavedTable | null): void {
    this.#saved[bucket] = saved;
    this.#stamps[bucket] = saved?.stamp ?? '';
    this.#buckets[bucket]?.settle();
  }

  /** After a save: where the root now stands. */
  savedRoot(root: Omit<KeyRoot, 'stamps' | 'shared'>): void {
    this.#root = { ...root, stamps: [...this.#stamps], shared: [...this.#shared] };
    this.#fresh = false;
  }

  /**
   * After the save of an index made in memory (a cold build, a rebuilt catalogue): its buckets
   * are dropped, and read from their files when next asked, as an opened index's are. Every
   * key of every record was held until the run ended: 1.7 KB an article, the largest holder of
   * a cold build's heap at 10,000 articles (issue 15: the bench's "Why"), while the run asks
   * for few keys, if any, after its save (the rows are all in memory then).
   */
  release(loader: KeyBucketLoader): void {
    this.#buckets.fill(undefined);
    this.#saved.fill(null);
    this.#loader = loader;
  }
}

/**
 * The records' rows (catalogue.ts, Catalogue.records) with their index by key kept in step:
 * every row set or deleted updates it. Rows read from the files (put) are not changes: the index
 * is read from its own files, or made from the rows when first asked.
 *
 * On demand (`onDemand`, a run with few changes: pipeline/archive-articles.ts): the rows are
 * not read at first; `get`/`has` of a path read the one chunk that holds it, which the index's
 * `path:` row places (rows-on-demand.ts), and setting or deleting a row reads it first, so that
 * the changed keys and their `before` (model/change-map.ts) are what a whole read would give:
 * the save's chunk planner and the index update depend on them. Anything that goes over the
 * rows (`keys`, `values`, `entries`, iteration, `forEach`, `size`) reads every chunk left, once
 * (a whole load, counted: RowsOnDemand.wholeLoads). A chunk not at the stamp the root names
 * throws RecordsUnreadableError: the caller rebuilds the catalogue.
 */
export class RecordRows extends ChangeMap<string, RecordEntry> {
  index: KeyIndex = KeyIndex.of(this);
  /** Not a #private field: the Map constructor may call set() before the fields exist. */
  private source: RowsOnDemand | null | undefined = null;

  /** Read the rows from `source` as they are asked for (the map holds none yet). */
  onDemand(source: RowsOnDemand): void {
    this.source = source;
  }

  /** The chunks the rows come from, while some are not read yet; null once all are. */
  get onDemandSource(): RowsOnDemand | null {
    return this.source ?? null;
  }

  /** Read every chunk not read yet (a whole load); nothing when all are. */
  loadAll(): void {
    const source = this.source;
    if (source === null || source === undefined || source.whole) return;
    source.wholeLoads++;
    for (const chunk of source.unread()) this.#take(source.load(chunk, false));
  }

  /** The rows of a chunk just read, but those the run has set or deleted already. */
  #take(rows: readonly [string, RecordEntry][]): void {
    for (const [path, r] of rows)
      if (!super.has(path) && !this.changed.has(path)) this.put(path, r);
  }

  /**
   * The rows of `chunk` as its files hold them (the run's changes aside): read now when not
   * read yet, and taken into the map as a read for a row is. null when the rows are not read on
   * demand (pages-held.ts then goes over every row).
   */
  savedRowsOf(chunk: StoredChunk): readonly [string, RecordEntry][] | null {
    const source = this.source;
    if (source === null || source === undefined) return null;
    if (!source.isLoaded(chunk.name)) this.#take(source.load(chunk, true));
    return source.kept(chunk.name)?.entries ?? source.reread(chunk);
  }

  /** Make sure the row of `path`, if there is one, is in the map. */
  #ensure(path: string): void {
    const source = this.source;
    if (source === null || source === undefined || source.whole) return;
    if (super.has(path) || this.changed.has(path)) return;
    // May read every chunk (an index made again from the rows).
    const key = this.index.keyOf(path);
    if (key === undefined || source.whole) return;
    const chunk = source.locate(key);
    if (chunk !== undefined && !source.isLoaded(chunk.name)) this.#take(source.load(chunk, true));
    // The index and the chunks disagree (a row the index places where no chunk holds it):
    // the rows are the truth, read them all.
    if (!super.has(path)) this.loadAll();
  }

  /**
   * After a save (catalogue-file.ts): the chunks as the root now names them, and the rows of
   * those written (all of them now in the map: the run's changes, and the rows read to save).
   */
  chunksSaved(
    chunks: readonly StoredChunk[],
    writes: readonly { readonly name: string; readonly rows: readonly [string, RecordEntry][] }[],
  ): void {
    const source = this.source;
    if (source === null || source === undefined) return;
    for (const w of writes) this.#take(w.rows);
    source.saved(chunks, new Set(writes.map((w) => w.name)));
  }

  override get(path: string): RecordEntry | undefined {
    this.#ensure(path);
    return super.get(path);
  }

  override has(path: string): boolean {
    this.#ensure(path);
    return super.has(path);
  }

  override set(path: string, r: RecordEntry): this {
    // The Map constructor calls set() before this class's fields exist.
    const index = this.index as KeyIndex | undefined;
    const before = index === undefined ? undefined : this.get(path);
    super.set(path, r);
    index?.update(path, before, r);
    return this;
  }

  override delete(path: string): boolean {
    const before = this.get(path);
    const done = super.delete(path);
    if (before !== undefined) this.index.update(path, before, undefined);
    return done;
  }

  override clear(): void {
    for (const path of [...this.keys()]) this.delete(path);
  }

  override forEach(
    fn: (value: RecordEntry, key: string, map: Map<string, RecordEntry>) => void,
    thisArg?: unknown,
  ): void {
    this.loadAll();
    super.forEach(fn, thisArg);
  }

  override entries(): MapIterator<[string, RecordEntry]> {
    this.loadAll();
    return super.entries();
  }

  override keys(): MapIterator<string> {
    this.loadAll();
    return super.keys();
  }

  override values(): MapIterator<RecordEntry> {
    this.loadAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[string, RecordEntry]> {
    this.loadAll();
    return super[Symbol.iterator]();
  }
}

// `size` is a property of Map in TypeScript's types: an accessor of its own cannot override it
// in the class body.
Object.defineProperty(RecordRows.prototype, 'size', {
  get(this: RecordRows): number {
    this.loadAll();
    return (Reflect.get(Map.prototype, 'size', this) as number) ?? 0;
  },
});

/**
 * The index of `records`: its own when it keeps one, else one made from its rows now (a plain
 * map: a view made for rendering, or a test's).
 */
export const keyIndexOf = (records: ReadonlyMap<string, RecordEntry>): KeyIndex =>
  records instanceof RecordRows ? records.index : KeyIndex.of(records);
