import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordEntry } from '../archive/catalogue.js';
import {
  readTable,
  saveTable,
  tableHead,
  type SavedTable,
  type TablePaths,
} from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import { statStamp } from '../io/stat-stamp.js';
import { monthFile } from '../render/page-paths.js';

/**
 * What the last publication of the pages was made from, so that a run renders only the pages
 * whose record or neighbours changed, without reading a page or walking out/ (docs/reference.md
 * "Pages"): for each record, the stamp of the catalogue row its page was made from and the
 * page's file; the months that had articles (their order
 * gives each month page its neighbours); the identity of out/ and out/articles/ (inode and
 * mtime: a folder's mtime moves when a file in it is created, renamed or deleted, so a deleted
 * page or a replaced out/ shows as two stats); and the page shapes html-validate accepted.
 * It is read only on runs that render; a run with nothing to do never opens it.
 */
export interface PageState {
  readonly fingerprint: string;
  /** Record path → its row (Maps: an object of 100,000 keys costs several times more). */
  readonly records: ReadonlyMap<string, PageRow>;
  /** `YYYY/MM` of the months with published articles, newest first. */
  readonly months: readonly string[];
  /**
   * Each month page's part name (`YYYY/MM`, `YYYY/MM/<n>`, model/month-parts.ts) → the key of
   * what it was made from (its records' rows and its links), so that a run renders again the
   * parts whose key moved: a new article's part, and the few whose links change with it.
   */
  readonly parts: ReadonlyMap<string, string>;
  readonly folders: Readonly<Record<string, string>>;
  /**
   * Keys of the page shapes html-validate accepted (validate/page-proof.ts), so that a run
   * that renders three pages of known shapes neither loads nor runs it.
   */
  readonly shapes?: readonly string[];
  /** Where its files stood when it was loaded (what the next save appends to). */
  readonly saved?: SavedTable;
}

/**
 * What a record's pages were made from: the stamp of its catalogue row and its page file ('' when
 * it has no page of ours). No list entry: a month part lists at most PART_SIZE records, read
 * when the part is rendered. Keeping every record's entry here (1 KB each, 80 % of the file)
 * made every run that renders read 10 MB at 10,000 articles and 100 MB at 100,000, to save
 * reading 100 records.
 */
export type PageRow = readonly [stamp: string, file: string];

export const pageStateFile = (stateDir: string): string => join(stateDir, 'pages.json');

/**
 * A journaled table (io/journaled-table.ts): one row per record, `[path, stamp, file]`, the
 * other fields in its header. A run that publishes one new article appends its row (and the
 * header) instead of rewriting 10,000 rows.
 */
const pageTable = (stateDir: string): TablePaths => ({
  snapshot: pageStateFile(stateDir),
  journal: join(stateDir, 'pages.journal'),
});

/** Rows saved before 2026-11-30 carry a list entry too: ignored, and dropped at the next save. */
type StoredRow = [path: string, stamp: string, file: string, entry?: unknown];
type Header = Omit<PageState, 'records' | 'parts' | 'saved'>;

/**
 * A month page's key is a row of the same table, `[PART + name, key, '']`, so that a run that
 * renders one part appends one row, not every part's key (a record's path is `YYYY/MM/…`,
 * never this).
 */
const PART = 'part:';

/** The page state as last saved, or null (the pages are all rendered again) if unreadable. */
export function loadPageState(stateDir: string): PageState | null {
  const records = new Map<string, PageRow>();
  const parts = new Map<string, string>();
  let entries = false;
  try {
    const { state, saved } = readTable<Header & { version?: number }, StoredRow>(
      pageTable(stateDir),
      ([path, stamp, file, entry]) => {
        if (path.startsWith(PART)) parts.set(path.slice(PART.length), stamp);
        else records.set(path, [stamp, file]);
        if (entry !== undefined) entries = true;
      },
      (path) =>
        void (path.startsWith(PART) ? parts.delete(path.slice(PART.length)) : records.delete(path)),
    );
    if (state.version !== STATE_VERSION) return null;
    return {
      fingerprint: state.fingerprint,
      records,
      parts,
      months: state.months,
      folders: state.folders,
      ...(state.shapes ? { shapes: state.shapes } : {}),
      // Rows with list entries: the next save writes a snapshot without them.
      ...(entries ? {} : { saved }),
    };
  } catch {
    return null;
  }
}

/**
 * 3: month pages in parts (their keys), which a state of version 2 does not have. 4: `folders`
 * stamps every folder of the publication (publishedFolders()), not out/ and out/articles/ only:
 * a state of version 3 is not read, so the first run renders the pages and lists them all.
 */
const STATE_VERSION = 4;

/**
 * Save `state`: the rows that differ from `before` (the state loaded at the start of the run),
 * or a snapshot when there is no `before`. Returns the files written: none when nothing changed.
 */
export function savePageState(
  stateDir: string,
  state: PageState,
  before: PageState | null,
  /** Told of the state as the files now hold it (for a service to keep: keepPages()). */
  saved: (now: PageState) => void = () => undefined,
): string[] {
  const header = headerOf(state);
  // Every row (a new snapshot writes them all), and as changes only those that differ from
  // `before`: a row the run kept is the same array, so the comparison is mostly `===`.
  const rows = new ChangeMap<string, PageRow>();
  const oldRecords = before?.records ?? new Map<string, PageRow>();
  const oldParts = before?.parts ?? new Map<string, string>();
  for (const [path, row] of state.records)
    if (sameRow(oldRecords.get(path), row)) rows.put(path, row);
    else rows.set(path, row);
  for (const [name, key] of state.parts)
    if (oldParts.get(name) === key) rows.put(PART + name, [key, '']);
    else rows.set(PART + name, [key, '']);
  for (const path of oldRecords.keys()) if (!state.records.has(path)) rows.delete(path);
  for (const name of oldParts.keys()) if (!state.parts.has(name)) rows.delete(PART + name);
  if (
    before?.saved !== undefined &&
    rows.changed.size === 0 &&
    JSON.stringify(headerOf(before)) === JSON.stringify(header)
  ) {
    saved(before);
    return [];
  }
  const wrote: string[] = [];
  const table = saveTable<PageRow, StoredRow>(
    pageTable(stateDir),
    before?.saved ?? null,
    header,
    rows,
    (path, row) => [path, ...row] as StoredRow,
    wrote,
  );
  saved({ ...state, saved: table });
  return wrote;
}

/**
 * The page state a service keeps between its runs (pipeline/run-memory.ts), with the stamps
 * (inode, size, mtime) of its two files as the run that saved it left them: taken back only
 * while they are the same (another run, `build`, saves them otherwise).
 */
export interface KeptPages {
  readonly state: PageState;
  readonly stamp: string;
}

type Memory = { keptPages: KeptPages | null } | undefined;

const filesStamp = (stateDir: string): string => {
  const t = pageTable(stateDir);
  return `${statStamp(t.snapshot)}|${statStamp(t.journal)}`;
};

/** The kept page state if its files did not change since, else null; either way none is kept. */
export function takeKeptPages(memory: Memory, stateDir: string): PageState | null {
  const kept = memory?.keptPages ?? null;
  if (memory) memory.keptPages = null;
  return kept !== null && kept.stamp === filesStamp(stateDir) ? kept.state : null;
}

/** The kept page state if its files did not change since, left kept (for a look before the run's own). */
export function peekKeptPages(memory: Memory, stateDir: string): PageState | null {
  const kept = memory?.keptPages ?? null;
  return kept !== null && kept.stamp === filesStamp(stateDir) ? kept.state : null;
}

export function keepPages(memory: Memory, stateDir: string, state: PageState): void {
  if (memory && state.saved !== undefined)
    memory.keptPages = { state, stamp: filesStamp(stateDir) };
}

const headerOf = (s: PageState): Header & { version: number } => ({
  version: STATE_VERSION,
  fingerprint: s.fingerprint,
  months: s.months,
  folders: s.folders,
  ...(s.shapes ? { shapes: s.shapes } : {}),
});

const sameRow = (a: PageRow | undefined, b: PageRow): boolean =>
  a === b || (a !== undefined && a[0] === b[0] && a[1] === b[1]);

/**
 * Must every page be rendered again? When there is no page state, the configuration or
 * feedkeeper changed (the fingerprint), or `--full`. A folder of out/ changed under us is not
 * a reason: what changed in it is found at its cost (folder-changes.ts).
 */
export const pagesStale = (before: PageState | null, fingerprint: string, full: boolean): boolean =>
  full || before === null || before.fingerprint !== fingerprint;

/**
 * What a page is made from: a revision moves updatedAt, a withdrawal sets withdrawnAt; and
 * publishedAt last, so that a run knows the month a record was listed in when its date moves.
 * Any edit to what readers see (title, summary, URL, body) makes a revision
 * (archive/merge-record.ts), so an unchanged stamp means an unchanged entry.
 */
export const stampOf = (r: RecordEntry): string =>
  `${r.updatedAt}|${r.withdrawnAt ?? (r.withdrawn ? 'withdrawn' : '')}|${r.fingerprint}|${r.publishedAt}`;

/**
 * The first folder of out/ that changed since the last publication (a file in it deleted, added
 * or renamed by hand: a page, an archive document, a `.gz` or `.br` copy; or out/ replaced),
 * read from the page state's header alone: asked by every run, before anything is rendered
 * (render-reason.ts), so that a run with no changed article still puts a deleted file back.
 * One stat per folder the last publication wrote into (a folder's mtime moves when a name in it
 * changes), no file read. null: none moved, or unknown (no readable state: the run's other
 * reasons decide).
 */
export function movedFolder(stateDir: string, outDir: string): string | null {
  const folders = tableHead<Header>(pageTable(stateDir))?.state.folders;
  if (folders === undefined) return null;
  const now = folderStamps(outDir, Object.keys(folders));
  for (const [name, stamp] of Object.entries(folders)) if (now[name] !== stamp) return name;
  return null;
}

/**
 * Whether the saved page state is of another version than this feedkeeper reads (loadPageState
 * would drop it): the pages are rendered again, and the state saved as this version writes it.
 * Header only. false when there is none (the caller says "never published").
 */
export function pageStateOutdated(stateDir: string): boolean {
  const head = tableHead<Header & { version?: number }>(pageTable(stateDir));
  return head !== null && head.state.version !== STATE_VERSION;
}

/**
 * The folders of out/ the files of a publication are in: out/, out/articles/ and each folder of
 * a page (its record's, its month's) or of an archive document. The page state keeps a stamp
 * of each (movedFolder()): out/ and out/articles/ alone let a copy deleted under
 * out/archive/<month>/ go unnoticed (found by an outside try).
 */
export function publishedFolders(state: PageState, docs: Iterable<string>): string[] {
  const folders = new Set(['.', 'articles']);
  const add = (file: string): void => {
    const i = file.lastIndexOf('/');
    if (i > 0) folders.add(file.slice(0, i));
  };
  for (const [, file] of state.records.values()) if (file !== '') add(file);
  for (const name of state.parts.keys()) add(monthFile(name));
  for (const name of docs) add(`archive/${name}/rss.xml`);
  return [...folders].sort();
}

/** Each folder of out/ named, as `ino:mtimeMs` (or '-' when absent). */
export function folderStamps(
  outDir: string,
  names: readonly string[] = ['.', 'articles'],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of names) {
    const s = statSync(join(outDir, name), { throwIfNoEntry: false });
    out[name] = s ? `${s.ino}:${s.mtimeMs}` : '-';
  }
  return out;
}
