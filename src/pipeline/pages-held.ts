import type { Catalogue, RecordEntry, StoredChunk } from '../archive/catalogue.js';
import { RecordRows } from '../archive/key-index.js';
import { sortKeyOf } from '../archive/record-chunks.js';
import type { ArchiveRecord } from '../model/record.js';
import { pagePlaceOf } from '../render/page-paths.js';
import { slugOfRecordPath } from '../archive/record-path.js';
import { wasPublished } from './embargo.js';
import { standsIn } from './chunk-sums.js';
import { addDigest, digestText, placeOf, type GroupSummary } from './page-groups.js';
import { GroupRows } from './page-rows.js';
import { loadPageState, peekKeptPages, stampOf, type PageState } from './page-state.js';
import type { RunMemory } from './run-memory.js';

/**
 * The page files (under out/) that records' URLs hold, so that a new record is never minted a
 * slug whose page, `articles/<slug>.html`, another record's front-matter url already names
 * (attackA #4): it got PAGE_URL_UNUSABLE and its feed link opened the other story. A minted id
 * skips a declared one the same way (apply-plan.ts).
 *
 * Read once, at the run's first mint: the page state (each published record's page file), and
 * the records whose row there is missing or was made from another version of the record
 * (archived or revised since the last publication, or under embargo: no page yet, but their url
 * is theirs; every record when there is no page state). Records saved in this run are added as they are saved, and the
 * caller adds the arrivals not saved yet (a url later in this run's path order than the article
 * minted before it), or reserves them before minting when the articles are minted as they are
 * read (`reserve`). A file stays held by a record whose url moved away in this run: one slug
 * passed over, never one taken.
 */
export class PagesHeld {
  private loaded: ((file: string) => string | undefined) | null = null;
  /** The page state load() read (null: none readable); undefined until then. */
  private state: PageState | null | undefined = undefined;
  private readonly noted = new Map<string, string>();
  private readonly reserved = new Map<string, string>();

  constructor(
    private readonly cat: Catalogue,
    private readonly where: {
      readonly state: string;
      readonly memory?: RunMemory;
      /** The run's clock (which records are out of embargo: the rows the pages have). */
      readonly now?: string;
    },
    private readonly baseUrl: string,
    /** A record by its path, or null if it cannot be read. */
    private readonly read: (rel: string) => ArchiveRecord | null,
  ) {}

  /** The page file a URL names under site.baseUrl, or null (elsewhere, or no page). */
  fileOf(url: string | null): string | null {
    if (url === null) return null;
    const place = pagePlaceOf(url, this.baseUrl);
    return place.kind === 'page' ? place.file : null;
  }

  /** The record whose URL names `file`, if any; else the new article that reserved it. */
  holder(file: string): string | undefined {
    return this.noted.get(file) ?? (this.loaded ??= this.load())(file) ?? this.reserved.get(file);
  }

  /**
   * A new article of this run (its stored path) whose front-matter url names `file`, before
   * anything is minted: a run that mints articles as it reads them (archive-articles.ts) gave
   * the file to one read before the url. The first in path order keeps it.
   */
  reserve(file: string, path: string): void {
    if (!this.reserved.has(file)) this.reserved.set(file, path);
  }

  /**
   * What the last publication and the records say, read once per run: the record whose page is
   * the file (its row's, when the row is as its catalogue row; else its record's url); of two,
   * the first by path.
   */
  private load(): (file: string) => string | undefined {
    const state =
      peekKeptPages(this.where.memory, this.where.state) ?? loadPageState(this.where.state);
    this.state = state;
    const now = this.where.now ?? new Date().toISOString();
    const groups = state?.records instanceof GroupRows ? state.records : null;
    // The records whose row is not as their catalogue row (or missing): their record is read.
    // A group of rows whose digest is that of the catalogue rows its range holds (page-rows.ts)
    // has each of them at its stamp, unread; so only the groups changed since the last
    // publication are read, not every row. Which records count as visible only decides which
    // groups are read (one that holds another set of rows is read and compared). What the rows
    // add to the digests is kept per records chunk (chunk-sums.ts): only the rows of the chunks
    // whose stamp moved, and of those beside a group that is not as saved, are walked (`short`);
    // without such sums, every row.
    const short = state === null || groups === null ? null : this.shortWalk(state, groups, now);
    const walked: ReadonlyMap<string, RecordEntry> = short?.rows ?? this.cat.records;
    const groupOf = (path: string, r: RecordEntry): GroupSummary | undefined =>
      groups === null || !wasPublished(r, now)
        ? undefined
        : placeOf(groups.byMonth, [r.publishedAt, path]);
    const sums = new Map<string, [number, number]>(short?.sums ?? []);
    if (groups !== null)
      for (const [path, r] of walked) {
        const g = groupOf(path, r);
        if (g === undefined) continue;
        let sum = sums.get(g.name);
        if (sum === undefined) sums.set(g.name, (sum = [0, 0]));
        addDigest(sum, path, stampOf(r));
      }
    const same = new Set<string>();
    for (const g of groups?.groups ?? [])
      if (g.digest !== undefined && g.digest === digestText(sums.get(g.name) ?? [0, 0]))
        same.add(g.name);
    short?.settle(same);
    const asSavedRow = (path: string, r: RecordEntry): boolean => {
      const g = groupOf(path, r);
      return g !== undefined && same.has(g.name);
    };
    const asSaved = (path: string): boolean => {
      const r = walked.get(path);
      if (r !== undefined) return asSavedRow(path, r);
      return short?.standing(path, asSavedRow) ?? false;
    };
    const read = new Map<string, string>();
    // Only records there are: the page state keeps the row of a record deleted by hand.
    for (const [path, entry] of walked) {
      if (asSavedRow(path, entry)) continue;
      const row = state?.records.row(path, entry.publishedAt);
      const file =
        row !== undefined && row[0] === stampOf(entry)
          ? row[1] || null
          : this.fileOf(this.read(path)?.url ?? null);
      if (file !== null) firstByPath(read, file, path);
    }
    if (state === null) return (file) => read.get(file);
    const heldBy = new Map<string, string[]>();
    for (const [path, file] of state.records.held)
      if (asSaved(path)) heldBy.set(file, [...(heldBy.get(file) ?? []), path]);
    let bySlug: Map<string, string[]> | null = null;
    return (file) => {
      const found = new Set<string>(heldBy.get(file) ?? []);
      const first = read.get(file);
      if (first !== undefined) found.add(first);
      // articles/<slug>.html: the records of that path slug, unchanged, whose row has it.
      const slug = /^articles\/(.+)\.html$/.exec(file)?.[1];
      if (slug !== undefined) {
        if (bySlug === null) {
          bySlug = new Map();
          for (const [path] of walked) {
            const s = slugOfRecordPath(path);
            bySlug.set(s, [...(bySlug.get(s) ?? []), path]);
          }
        }
        const paths = new Map<string, string>();
        for (const path of bySlug.get(slug) ?? [])
          paths.set(path, (walked.get(path) as RecordEntry).publishedAt);
        for (const [path, at] of short?.slugHolders(slug) ?? []) paths.set(path, at);
        for (const [path, publishedAt] of paths) {
          if (!asSaved(path) || state.records.held.has(path)) continue;
          if (state.records.row(path, publishedAt)?.[1] === file) found.add(path);
        }
      }
      let holder: string | undefined;
      for (const path of found) if (holder === undefined || path < holder) holder = path;
      return holder;
    };
  }

  /**
   * The rows to walk when the page state keeps what each records chunk adds to the groups'
   * digests (chunk-sums.ts) and the rows are read on demand: a chunk whose entry stands for it
   * (its stamp, its month's groups, the clock: standsIn), and that holds no row this run changed,
   * is not read; its sums are taken as they are. Its rows are walked after all (`settle`) when
   * one of its groups is not as saved. null: every row is walked (no sums, a whole load, none
   * standing, a changed row's old place in no chunk).
   */
  private shortWalk(state: PageState, groups: GroupRows, now: string): ShortWalk | null {
    const records = this.cat.records;
    const source = records instanceof RecordRows ? records.onDemandSource : null;
    const kept = state.chunkSums;
    if (!(records instanceof RecordRows) || source === null || source.whole) return null;
    if (kept === undefined || kept.size === 0) return null;
    const changed = records.changed;
    const moved = new Set<string>();
    for (const path of changed) {
      const was = records.before.get(path);
      if (was === undefined) continue;
      const chunk = source.locate(sortKeyOf(path, was));
      if (chunk === undefined) return null;
      moved.add(chunk.name);
    }
    const sums = new Map<string, [number, number]>();
    const stand: [StoredChunk, readonly (readonly [string, number, number])[]][] = [];
    const months = new Map<string, { layout: string; names: Set<string> }>();
    for (const chunk of source.chunks) {
      const entry = kept.get(chunk.name);
      if (moved.has(chunk.name) || !standsIn(entry, chunk, groups.byMonth, now, months)) continue;
      stand.push([chunk, entry.sums]);
      for (const [g, a, b] of entry.sums) {
        const sum = sums.get(g) ?? [0, 0];
        sums.set(g, [(sum[0] + a) >>> 0, (sum[1] + b) >>> 0]);
      }
    }
    if (stand.length === 0) return null;
    const rows = new Map<string, RecordEntry>();
    const walk = (chunk: StoredChunk): void => {
      for (const [path, r] of records.savedRowsOf(chunk) ?? [])
        if (!changed.has(path)) rows.set(path, r);
    };
    const standing = new Set(stand.map(([chunk]) => chunk.name));
    for (const chunk of source.chunks) if (!standing.has(chunk.name)) walk(chunk);
    for (const path of changed) {
      const r = records.get(path);
      if (r !== undefined) rows.set(path, r);
    }
    return {
      rows,
      sums,
      settle(same) {
        for (const [chunk, list] of stand)
          if (list.some(([g]) => !same.has(g))) {
            standing.delete(chunk.name);
            walk(chunk);
          }
      },
      standing(path, asSavedRow) {
        // A changed row is walked when it is there: one not walked is gone.
        if (changed.has(path)) return false;
        const key = records.index.keyOf(path);
        if (key === undefined) return false;
        const chunk = source.locate(key);
        if (chunk !== undefined && standing.has(chunk.name)) return true;
        // The index places it where no chunk walked holds it: the rows are the truth.
        const r = records.get(path);
        return r !== undefined && asSavedRow(path, r);
      },
      slugHolders(slug) {
        // A chunk standing in holds rows at their minted path only (chunk-sums.ts): its row of
        // path slug `slug` has that slug, which the index finds.
        const out: [string, string][] = [];
        for (const path of records.index.holders('slug', slug)) {
          const r = records.get(path);
          if (r !== undefined && !rows.has(path) && slugOfRecordPath(path) === slug)
            out.push([path, r.publishedAt]);
        }
        return out;
      },
    };
  }

  /**
   * The page state read for the first mint, if a mint needed it: the render stage takes it
   * instead of reading it again (pages.json and its journal: 0.3 s of CPU at 100,000 articles).
   * Nothing but the render stage writes it, after this.
   */
  get pageState(): PageState | null | undefined {
    return this.state;
  }

  /** A record saved in this run, with its URL. */
  note(record: string, url: string): void {
    const file = this.fileOf(url);
    if (file !== null && !this.noted.has(file)) this.noted.set(file, record);
  }
}

/** What PagesHeld walks when the chunks' sums let it skip the chunks whose stamp did not move. */
interface ShortWalk {
  /** The rows of the chunks read, and the rows this run changed (as they are now). */
  readonly rows: Map<string, RecordEntry>;
  /** What the chunks standing in add to each group's digest. */
  readonly sums: ReadonlyMap<string, [number, number]>;
  /** Walk too the chunks standing in whose sums go to a group not as saved. */
  settle(same: ReadonlySet<string>): void;
  /** Whether a row not walked is as saved (then it is in a chunk standing in). */
  standing(path: string, asSavedRow: (path: string, r: RecordEntry) => boolean): boolean;
  /** The rows not walked whose slug is `slug`: path → publishedAt. */
  slugHolders(slug: string): Iterable<readonly [string, string]>;
}

/** Keep the first path, by path order, that holds `file`. */
function firstByPath(map: Map<string, string>, file: string, path: string): void {
  const was = map.get(file);
  if (was === undefined || path < was) map.set(file, path);
}
