import { sep } from 'node:path';
import { digestOf } from './listing-digest.js';
import type { ArticleStat, ListedArticle } from './list-articles.js';

/**
 * The stored articles as one walk found them, kept compact: the names as readdir gave them, the
 * index of each one's folder, and the four numbers of each stat in one Float64Array. A run with
 * nothing to do needs only the listing's digest and its modification times, and keeping
 * 100,000 `{ path, absPath, stat }` objects made the walk 1.7× a plain loop doing the same
 * system calls: the cost was the objects surviving garbage collection, not the calls (the speed
 * issue, "listing at the floor"). The objects are made only for a run that has work
 * (`articles()`).
 *
 * Entries with a problem, and symbolic links (whose file is elsewhere), are kept whole beside.
 */
export class Listing {
  #articles: ListedArticle[] | null = null;

  constructor(
    /** Each folder's path relative to the root ('' for the root) and as the walk opened it. */
    private readonly folders: readonly { readonly rel: string; readonly abs: string }[],
    private readonly names: readonly string[],
    private readonly folderOf: readonly number[],
    /** size, mtimeMs, ctimeMs, ino of entry i at 4i … 4i + 3. */
    readonly stats: Float64Array,
    private readonly special: ReadonlyMap<number, ListedArticle>,
    /** The files that are not articles (their names' extension), reported, never read. */
    readonly ignored: readonly string[] = [],
  ) {}

  get length(): number {
    return this.names.length;
  }

  /** The entry's name in records and reports (ListedArticle.path). */
  path(i: number): string {
    const whole = this.special.get(i);
    if (whole !== undefined) return whole.path;
    const rel = this.folders[this.folderOf[i]!]!.rel;
    return rel === '' ? this.names[i]! : `${rel}/${this.names[i]!}`;
  }

  /**
   * Visit each entry's path in two pieces, `folder + name`: the folder's part ('' or ending in
   * `/`) is one string for all its entries, so a caller hashing paths (archive/input-buckets.ts)
   * hashes each folder once and makes no path string.
   */
  forEachPath(visit: (i: number, folder: string, name: string) => void): void {
    const prefixes = this.folders.map((f) => (f.rel === '' ? '' : `${f.rel}/`));
    for (let i = 0; i < this.names.length; i++) {
      const f = this.folderOf[i]!;
      if (f === -1) visit(i, '', this.special.get(i)!.path);
      else visit(i, prefixes[f]!, this.names[i]!);
    }
  }

  /** Whether the walk could not stat or read entry `i` (ListedArticle.problem). */
  hasProblem(i: number): boolean {
    return this.special.get(i)?.problem !== undefined;
  }

  /** Whether any entry has a problem. */
  anyProblem(): boolean {
    for (const e of this.special.values()) if (e.problem !== undefined) return true;
    return false;
  }

  /** Entry `i`'s modification time (ms), without making its stat. */
  mtimeMs(i: number): number {
    return this.stats[4 * i + 1]!;
  }

  /** The stat of entry `i`, as its ListedArticle has it. */
  stat(i: number): ArticleStat {
    const { stats } = this;
    return {
      size: stats[4 * i]!,
      mtimeMs: stats[4 * i + 1]!,
      ctimeMs: stats[4 * i + 2]!,
      ino: stats[4 * i + 3]!,
    };
  }

  /**
   * Entry `i` as an object. A run with few changes makes the objects of the entries it reads
   * only: at 300,000 articles making all of them (articles()) was 0.5 s of an edit's run.
   */
  article(i: number): ListedArticle {
    if (this.#articles !== null) return this.#articles[i]!;
    const whole = this.special.get(i);
    if (whole !== undefined) return whole;
    const folder = this.folders[this.folderOf[i]!]!;
    const name = this.names[i]!;
    return {
      path: folder.rel === '' ? name : `${folder.rel}/${name}`,
      absPath: folder.abs.endsWith(sep) ? folder.abs + name : folder.abs + sep + name,
      stat: this.stat(i),
    };
  }

  /** Whether any entry was modified after `since` - `windowMs` (catalogue.ts, isRacy()). */
  modifiedWithin(since: number, windowMs: number): boolean {
    const { stats } = this;
    for (let at = 1; at < stats.length; at += 4) if (since - stats[at]! < windowMs) return true;
    return false;
  }

  /** listingDigest() of articles(), without making them. */
  digest(): string {
    return digestOf(this.length, (i) => this.path(i), this.stats);
  }

  /** The entries as objects, in order (made once). */
  articles(): ListedArticle[] {
    if (this.#articles !== null) return this.#articles;
    const out: ListedArticle[] = new Array<ListedArticle>(this.length);
    for (let i = 0; i < this.length; i++) out[i] = this.article(i);
    this.#articles = out;
    return out;
  }

  /** A listing of entries already made (tests, and callers holding objects): each kept whole. */
  static of(articles: readonly ListedArticle[]): Listing {
    const b = new ListingBuilder();
    for (const a of articles) b.addWhole(a);
    return b.done();
  }
}

/** Fills a Listing entry by entry, in order. */
export class ListingBuilder {
  private readonly folders: { rel: string; abs: string }[] = [];
  private readonly names: string[] = [];
  private readonly folderOf: number[] = [];
  private stats = new Float64Array(4 * 1024);
  private readonly special = new Map<number, ListedArticle>();
  private readonly ignored: string[] = [];

  /** A folder whose entries follow: its index for add(). */
  folder(rel: string, abs: string): number {
    this.folders.push({ rel, abs });
    return this.folders.length - 1;
  }

  /** A regular file `name` in folder `f`. */
  add(f: number, name: string, size: number, mtimeMs: number, ctimeMs: number, ino: number) {
    const i = this.names.length;
    if (4 * i + 4 > this.stats.length) {
      const bigger = new Float64Array(this.stats.length * 2);
      bigger.set(this.stats);
      this.stats = bigger;
    }
    this.names.push(name);
    this.folderOf.push(f);
    const s = this.stats;
    s[4 * i] = size;
    s[4 * i + 1] = mtimeMs;
    s[4 * i + 2] = ctimeMs;
    s[4 * i + 3] = ino;
  }

  /** An entry kept whole: a problem, or a link and the file it names. */
  addWhole(entry: ListedArticle): void {
    const { size, mtimeMs, ctimeMs, ino } = entry.stat;
    this.special.set(this.names.length, entry);
    this.add(-1, entry.path, size, mtimeMs, ctimeMs, ino);
  }

  /** A file the walk does not read for its name (list-articles.ts, extensionIgnored()). */
  ignore(path: string): void {
    this.ignored.push(path);
  }

  done(): Listing {
    return new Listing(
      this.folders,
      this.names,
      this.folderOf,
      this.stats.subarray(0, 4 * this.names.length),
      this.special,
      this.ignored,
    );
  }
}
