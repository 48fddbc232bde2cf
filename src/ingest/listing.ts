import { sep } from 'node:path';
import { digestOf } from './listing-digest.js';
import type { ListedArticle } from './list-articles.js';

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
    private readonly stats: Float64Array,
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
    const { stats } = this;
    for (let i = 0; i < this.length; i++) {
      const whole = this.special.get(i);
      if (whole !== undefined) {
        out[i] = whole;
        continue;
      }
      const folder = this.folders[this.folderOf[i]!]!;
      const name = this.names[i]!;
      out[i] = {
        path: folder.rel === '' ? name : `${folder.rel}/${name}`,
        absPath: folder.abs.endsWith(sep) ? folder.abs + name : folder.abs + sep + name,
        stat: {
          size: stats[4 * i]!,
          mtimeMs: stats[4 * i + 1]!,
          ctimeMs: stats[4 * i + 2]!,
          ino: stats[4 * i + 3]!,
        },
      };
    }
    this.#articles = out;
    return out;
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
