import type { SavedTable } from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import type { RecordEntry } from './catalogue.js';
import { BUCKETS, bucketOf } from './input-buckets.js';

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

  /** A row of the records changed (set, or deleted when `after` is undefined). */
  update(path: string, before: RecordEntry | undefined, after: RecordEntry | undefined): void {
    // Not built: it is made from the rows as they are when first asked.
    if (!this.#built) return;
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
    for (const [path, r] of this.records)
      for (const kind of KEY_KINDS) {
        const key = indexKey(kind, r[kind]);
        const rows = made[bucketOf(key)]!;
        const paths = rows.get(key);
        if (paths === undefined) rows.set(key, [path]);
        else paths.push(path);
      }
    this.#shared = new Set();
    for (let b = 0; b < BUCKETS; b++) {
      const rows = new ChangeMap<string, readonly string[]>();
      for (const [key, paths] of made[b]!) {
        paths.sort();
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
}

/**
 * The records' rows (catalogue.ts, Catalogue.records) with their index by key kept in step:
 * every row set or deleted updates it. Rows read from the files (put) are not changes: the index
 * is read from its own files, or made from the rows when first asked.
 */
export class RecordRows extends ChangeMap<string, RecordEntry> {
  index: KeyIndex = KeyIndex.of(this);

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
}

/**
 * The index of `records`: its own when it keeps one, else one made from its rows now (a plain
 * map: a view made for rendering, or a test's).
 */
export const keyIndexOf = (records: ReadonlyMap<string, RecordEntry>): KeyIndex =>
  records instanceof RecordRows ? records.index : KeyIndex.of(records);
