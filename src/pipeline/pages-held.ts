import type { Catalogue } from '../archive/catalogue.js';
import type { ArchiveRecord } from '../model/record.js';
import { pagePlaceOf } from '../render/page-paths.js';
import { slugOfRecordPath } from '../archive/record-path.js';
import { visibleRows } from './embargo.js';
import { placeOf } from './page-groups.js';
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
   * What the last publication and the records say, read once per run: the first record, in
   * the catalogue's order, whose page is the file (its row's, when the row is as its
   * catalogue row; else its record's url).
   */
  private load(): (file: string) => string | undefined {
    const state =
      peekKeptPages(this.where.memory, this.where.state) ?? loadPageState(this.where.state);
    this.state = state;
    const order = [...this.cat.records];
    // The records whose row is not as their catalogue row (or missing): their record is read.
    // A group of rows whose digest is that of the catalogue rows its range holds (page-rows.ts
    // asSaved) has each of them at its stamp, unread; so only the groups changed since the
    // last publication are read, not every row. Which records count as visible only decides
    // which groups are read (one that holds another set of rows is read and compared).
    const visible =
      state === null
        ? null
        : new Map(
            visibleRows(
              this.cat.records,
              this.where.now ?? new Date().toISOString(),
              new Set<string>(),
            ),
          );
    const rows = state?.records;
    const same =
      rows instanceof GroupRows && visible !== null
        ? rows.asSaved(
            (function* () {
              for (const [path, r] of visible) yield [path, r.publishedAt, stampOf(r)] as const;
            })(),
          )
        : new Set<string>();
    const asSaved = (path: string): boolean => {
      const r = visible?.get(path);
      if (r === undefined || !(rows instanceof GroupRows)) return false;
      const g = placeOf(rows.byMonth, [r.publishedAt, path]);
      return g !== undefined && same.has(g.name);
    };
    const read = new Map<string, string>();
    // Only records there are: the page state keeps the row of a record deleted by hand.
    for (const [path, entry] of order) {
      if (asSaved(path)) continue;
      const row = state?.records.row(path, entry.publishedAt);
      const file =
        row !== undefined && row[0] === stampOf(entry)
          ? row[1] || null
          : this.fileOf(this.read(path)?.url ?? null);
      if (file !== null && !read.has(file)) read.set(file, path);
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
          for (const [path] of order) {
            const s = slugOfRecordPath(path);
            bySlug.set(s, [...(bySlug.get(s) ?? []), path]);
          }
        }
        for (const path of bySlug.get(slug) ?? []) {
          const entry = visible?.get(path);
          if (entry === undefined || !asSaved(path) || state.records.held.has(path)) continue;
          if (state.records.row(path, entry.publishedAt)?.[1] === file) found.add(path);
        }
      }
      if (found.size <= 1) return [...found][0];
      return order.find(([path]) => found.has(path))?.[0];
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
