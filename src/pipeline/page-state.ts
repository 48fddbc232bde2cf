import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordEntry, StoredChunk } from '../archive/catalogue.js';
import {
  appendRows,
  readTable,
  saveTable,
  tableHead,
  type SavedTable,
  type TablePaths,
} from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import { monthOf } from '../model/month-parts.js';
import { statStamp } from '../io/stat-stamp.js';
import { monthFile } from '../render/page-paths.js';
import {
  cutAllGroups,
  cutGroup,
  digestOf,
  groupsByMonth,
  keyOfRow,
  placeOf,
  type GroupSummary,
  type PageRow,
} from './page-groups.js';
import { GroupRows, NextRows, WholeRows, type PageRows, type ReadGroup } from './page-rows.js';
import { chunkSumsOfRow, chunkSumsRow, nextChunkSums, type ChunkSums } from './chunk-sums.js';

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
  /**
   * Record path → its row, read by group on demand (page-rows.ts): a run asks for the rows of
   * the parts it renders, not for every record's (41 MB of heap at 100,000 records).
   */
  readonly records: PageRows;
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
  /** Where its root's files stood when it was loaded (what the next save appends to). */
  readonly saved?: SavedTable;
  /**
   * Records chunk name → what its rows add to the groups' digests, and the chunk's stamp then
   * (chunk-sums.ts): `PagesHeld` reads only the chunks whose stamp moved. Absent: none kept.
   */
  readonly chunkSums?: ReadonlyMap<string, ChunkSums>;
}

/**
 * The records table's chunks as saved, for a save of the page state to bring its chunk sums up
 * to date (chunk-sums.ts nextChunkSums): `rows` reads one (null: it cannot be read as named).
 */
export interface RecordChunkSource {
  readonly chunks: readonly StoredChunk[];
  rows(chunk: StoredChunk): readonly (readonly [string, RecordEntry])[] | null;
  /** The run's clock. */
  readonly now: string;
}

/**
 * What a record's pages were made from: the stamp of its catalogue row and its page file ('' when
 * it has no page of ours). No list entry: a month part lists at most PART_SIZE records, read
 * when the part is rendered. Keeping every record's entry here (1 KB each, 80 % of the file)
 * made every run that renders read 10 MB at 10,000 articles and 100 MB at 100,000, to save
 * reading 100 records.
 */
export type { PageRow };

export const pageStateFile = (stateDir: string): string => join(stateDir, 'pages.json');

/**
 * The root (`pages.json` + `pages.journal`, a journaled table: io/journaled-table.ts): its header
 * (fingerprint, months, folders, shapes), and rows of three kinds: `['part:'+name, key, '']` per
 * month part, `['g:'+name, month, firstPublishedAt, firstPath, rows, stamp, snapshotBytes,
 * journalBytes]` per group of record rows, and `['h:'+path, file]` per record whose page file is
 * not `articles/<its path's slug>.html` (a front-matter url: few), so that which record holds a
 * page file is known without the groups. The record rows, `[path, stamp, file]`, are in the
 * groups (page-groups.ts), `pages/<YYYY-MM>-<n>.json` + `.journal`, each a journaled table.
 */
const pageTable = (stateDir: string): TablePaths => ({
  snapshot: pageStateFile(stateDir),
  journal: join(stateDir, 'pages.journal'),
});

/** The folder of the groups' files (pipeline/claim-folders.ts lists it as ours). */
export const pageGroupsDir = (stateDir: string): string => join(stateDir, 'pages');

const groupTable = (stateDir: string, name: string): TablePaths => ({
  snapshot: join(pageGroupsDir(stateDir), `${name}.json`),
  journal: join(pageGroupsDir(stateDir), `${name}.journal`),
});

/** Rows saved before 2026-11-30 carry a list entry too: ignored, and dropped at the next save. */
type StoredRow = [path: string, stamp: string, file: string, entry?: unknown];
type RootRow = [key: string, ...rest: unknown[]];
type Header = Omit<PageState, 'records' | 'parts' | 'saved'> & {
  version?: number;
  /**
   * Set by a save before it writes a group, cleared by the same save's last line: a state left
   * so (a run killed between a group's save and the root's) is not trusted, and every page is
   * rendered again (pagesStale), as for an unreadable state.
   */
  pending?: boolean;
};

/** A group as the root names it: its summary and where its files stood. */
interface StoredGroup extends GroupSummary {
  readonly stamp: string;
  readonly snapshotBytes: number;
  readonly journalBytes: number;
}

/**
 * A month page's key is a row of the same table, `[PART + name, key, '']`, so that a run that
 * renders one part appends one row, not every part's key (a record's path is `YYYY/MM/…`,
 * never this).
 */
const PART = 'part:';
const GROUP = 'g:';
const HELD = 'h:';
/** A records chunk's sums (chunk-sums.ts): `['k:'+chunk, stamp, layout, clock, sums, check]`. */
const CHUNK = 'k:';

const groupRow = (g: StoredGroup): RootRow => [
  GROUP + g.name,
  g.month,
  g.first[0],
  g.first[1],
  g.rows,
  g.stamp,
  g.snapshotBytes,
  g.journalBytes,
  g.digest ?? '',
];

function groupOfRow(row: readonly unknown[]): StoredGroup {
  const [key, month, at, path, rows, stamp, snapshotBytes, journalBytes, digest] = row;
  if (
    typeof key !== 'string' ||
    typeof month !== 'string' ||
    typeof at !== 'string' ||
    typeof path !== 'string' ||
    typeof rows !== 'number' ||
    typeof stamp !== 'string' ||
    typeof snapshotBytes !== 'number' ||
    typeof journalBytes !== 'number'
  )
    throw new Error(`pages.json: a group row out of shape: ${JSON.stringify(row)}`);
  return {
    name: key.slice(GROUP.length),
    month,
    first: [at, path],
    rows,
    stamp,
    snapshotBytes,
    journalBytes,
    ...(typeof digest === 'string' && digest !== '' ? { digest } : {}),
  };
}

/** Whether a group's files are the size the root says (a save killed before the root's is not). */
function groupFilesAsSaved(stateDir: string, g: StoredGroup): boolean {
  const t = groupTable(stateDir, g.name);
  const snapshot = statSync(t.snapshot, { throwIfNoEntry: false });
  const journal = statSync(t.journal, { throwIfNoEntry: false });
  return snapshot?.size === g.snapshotBytes && (journal?.size ?? 0) === g.journalBytes;
}

/**
 * One group's rows. Its files not at the stamp and count the root names (changed by hand: the
 * root's check of their sizes at load did not see it) make it empty: its records have no row,
 * so their pages are rendered again, and the next save writes it anew.
 */
function readGroup(stateDir: string, g: StoredGroup): ReadGroup {
  const rows = new Map<string, PageRow>();
  try {
    const { saved } = readTable<object, StoredRow>(
      groupTable(stateDir, g.name),
      ([path, stamp, file]) => rows.set(path, [stamp, file]),
      (path) => void rows.delete(path),
    );
    if (saved.stamp === g.stamp && rows.size === g.rows) return { rows, saved };
  } catch {
    // Unreadable: as not as the root says.
  }
  return { rows: new Map(), saved: null };
}

/** The page state as last saved, or null (the pages are all rendered again) if unreadable. */
export function loadPageState(stateDir: string): PageState | null {
  const records = new Map<string, PageRow>();
  const parts = new Map<string, string>();
  const groups = new Map<string, StoredGroup>();
  const held = new Map<string, string>();
  const chunkSums = new Map<string, ChunkSums>();
  let entries = false;
  try {
    const { state, saved } = readTable<Header, RootRow>(
      pageTable(stateDir),
      (row) => {
        const [key, stamp, file, entry] = row as StoredRow;
        if (key.startsWith(PART)) parts.set(key.slice(PART.length), stamp);
        else if (key.startsWith(GROUP)) groups.set(key.slice(GROUP.length), groupOfRow(row));
        else if (key.startsWith(HELD)) held.set(key.slice(HELD.length), stamp);
        else if (key.startsWith(CHUNK)) {
          // One not believed (out of shape, its check wrong) is as none: its chunk is read.
          const sums = chunkSumsOfRow(row);
          if (sums === null) chunkSums.delete(key.slice(CHUNK.length));
          else chunkSums.set(key.slice(CHUNK.length), sums);
        } else records.set(key, [stamp, file]);
        if (entry !== undefined) entries = true;
      },
      (key) =>
        void (key.startsWith(PART)
          ? parts.delete(key.slice(PART.length))
          : key.startsWith(GROUP)
            ? groups.delete(key.slice(GROUP.length))
            : key.startsWith(HELD)
              ? held.delete(key.slice(HELD.length))
              : key.startsWith(CHUNK)
                ? chunkSums.delete(key.slice(CHUNK.length))
                : records.delete(key)),
    );
    if (state.pending === true) return null;
    const head = {
      fingerprint: state.fingerprint,
      parts,
      months: state.months,
      folders: state.folders,
      ...(state.shapes ? { shapes: state.shapes } : {}),
    };
    // The layout before groups (version 4): every row in the root, read whole; the next save
    // writes the groups and a new root.
    if (state.version === WHOLE_VERSION)
      return { ...head, records: new WholeRows(records), ...(entries ? {} : { saved }) };
    if (state.version !== STATE_VERSION) return null;
    for (const g of groups.values()) if (!groupFilesAsSaved(stateDir, g)) return null;
    const stored = [...groups.values()];
    return {
      ...head,
      records: new GroupRows(stored, held, (g) => readGroup(stateDir, g as StoredGroup)),
      saved,
      chunkSums,
    };
  } catch {
    return null;
  }
}

/**
 * 3: month pages in parts (their keys), which a state of version 2 does not have. 4: `folders`
 * stamps every folder of the publication (publishedFolders()), not out/ and out/articles/ only:
 * a state of version 3 is not read, so the first run renders the pages and lists them all.
 * 5: the record rows in groups (page-groups.ts); a state of version 4 is read whole, and the
 * next save writes version 5.
 */
const STATE_VERSION = 5;
const WHOLE_VERSION = 4;

/**
 * Save `state`: the rows that differ from `before` (the state loaded at the start of the run)
 * to the groups that hold them, a journal line each, then the root; or every group and the root
 * anew when there is no `before` to extend. Returns the files written: none when nothing
 * changed.
 */
export function savePageState(
  stateDir: string,
  state: PageState,
  before: PageState | null,
  /** Told of the state as the files now hold it (for a service to keep: keepPages()). */
  saved: (now: PageState) => void = () => undefined,
  /**
   * The records' chunks as saved, to bring the chunk sums up to date; absent (a dry run's
   * catalogue, one rebuilt in memory, a test's): those of `before` are kept as they are, each
   * checked where it is used (chunk-sums.ts standsIn).
   */
  chunkSource?: RecordChunkSource,
): string[] {
  const header = headerOf(state);
  const base = before?.records;
  const next = state.records;
  // Incremental: a state made from `before` (render-pages.ts), or `before` itself.
  const groupsBefore =
    before?.saved !== undefined &&
    base instanceof GroupRows &&
    (next === base || (next instanceof NextRows && next.base === base))
      ? base
      : null;
  const wrote: string[] = [];
  mkdirSync(pageGroupsDir(stateDir), { recursive: true });
  const plan =
    groupsBefore === null
      ? wholeGroups(next.all())
      : next === groupsBefore
        ? { groups: [...groupsBefore.groups] as StoredGroup[], writes: [], removed: [] }
        : changedGroups(stateDir, groupsBefore, next as NextRows);
  const held = next.held;
  const root = new ChangeMap<string, RootRow>();
  if (groupsBefore !== null) {
    for (const [name, key] of before?.parts ?? []) root.put(PART + name, [PART + name, key, '']);
    for (const g of groupsBefore.groups) root.put(GROUP + g.name, groupRow(g as StoredGroup));
    for (const [path, file] of groupsBefore.held) root.put(HELD + path, [HELD + path, file]);
    for (const [name, e] of before?.chunkSums ?? [])
      root.put(CHUNK + name, chunkSumsRow(CHUNK + name, e) as RootRow);
    root.settle();
  }
  let chunkSums: ReadonlyMap<string, ChunkSums> = before?.chunkSums ?? new Map();
  const sumsFor = (groups: readonly StoredGroup[]): void => {
    if (chunkSource === undefined) return;
    chunkSums = nextChunkSums(
      before?.chunkSums,
      chunkSource.chunks,
      (chunk) => chunkSource.rows(chunk),
      groupsByMonth(groups),
      chunkSource.now,
    );
  };
  const rootAfterWrites = (groups: readonly StoredGroup[]): void => {
    const want = new Map<string, RootRow>();
    for (const [name, key] of state.parts) want.set(PART + name, [PART + name, key, '']);
    for (const g of groups) want.set(GROUP + g.name, groupRow(g));
    for (const [path, file] of held) want.set(HELD + path, [HELD + path, file]);
    for (const [name, e] of chunkSums)
      want.set(CHUNK + name, chunkSumsRow(CHUNK + name, e) as RootRow);
    for (const key of [...root.keys()]) if (!want.has(key)) root.delete(key);
    for (const [key, row] of want)
      if (JSON.stringify(root.get(key)) !== JSON.stringify(row)) root.set(key, row);
  };
  if (groupsBefore !== null && plan.writes.length === 0 && plan.removed.length === 0) {
    sumsFor(plan.groups);
    rootAfterWrites(plan.groups);
    if (
      root.changed.size === 0 &&
      JSON.stringify(headerOf(before as PageState)) === JSON.stringify(header)
    ) {
      saved(before as PageState);
      return [];
    }
  }
  // Before a group is written, the root says a save is under way: killed before its end, the
  // state is not trusted (loadPageState: null), never read with groups at another stamp.
  let rootSaved = groupsBefore === null ? null : (before?.saved ?? null);
  if (plan.writes.length > 0 && before?.saved !== undefined) {
    const pending = appendRows(
      pageTable(stateDir),
      before.saved,
      { ...headerOf(before), pending: true },
      [],
      [],
      wrote,
    );
    if (pending === null) {
      rmSync(pageStateFile(stateDir), { force: true });
      rootSaved = null;
    } else if (rootSaved !== null) rootSaved = pending;
  } else if (plan.writes.length > 0 && existsSync(pageStateFile(stateDir)))
    rmSync(pageStateFile(stateDir), { force: true });
  const groups: StoredGroup[] = [];
  const loaded = new Map<string, ReadGroup>();
  const written = new Map<string, StoredGroup>();
  for (const w of plan.writes) {
    const rows = new ChangeMap<string, PageRow>();
    for (const [path, row] of w.old?.rows ?? []) rows.put(path, row);
    rows.settle();
    const want = new Map(w.rows);
    for (const path of [...rows.keys()]) if (!want.has(path)) rows.delete(path);
    for (const [path, row] of want) if (!sameRow(rows.get(path), row)) rows.set(path, row);
    const table = saveTable<PageRow, StoredRow>(
      groupTable(stateDir, w.summary.name),
      w.old?.saved ?? null,
      { version: STATE_VERSION },
      w.old ? rows : new Map(w.rows),
      (path, row) => [path, ...row] as StoredRow,
      wrote,
    );
    const g: StoredGroup = {
      ...w.summary,
      digest: digestOf(w.rows.map(([path, [stamp]]) => [path, stamp] as const)),
      stamp: table.stamp,
      snapshotBytes: table.snapshotBytes,
      journalBytes: table.journalBytes,
    };
    written.set(g.name, g);
    loaded.set(g.name, { rows: new Map(w.rows), saved: table });
  }
  for (const g of plan.groups) groups.push(written.get(g.name) ?? g);
  for (const g of written.values()) if (!plan.groups.some((x) => x.name === g.name)) groups.push(g);
  sumsFor(groups);
  rootAfterWrites(groups);
  const table = saveTable<RootRow, RootRow>(
    pageTable(stateDir),
    rootSaved,
    { ...header, pending: false },
    root,
    (_key, row) => row,
    wrote,
  );
  // After the root: the files of groups it no longer names.
  for (const name of plan.removed) {
    const t = groupTable(stateDir, name);
    for (const f of [t.snapshot, t.journal])
      if (existsSync(f)) {
        rmSync(f, { force: true });
        wrote.push(f);
      }
  }
  if (groupsBefore === null) removeOtherGroups(stateDir, new Set(groups.map((g) => g.name)), wrote);
  for (const [name, g] of groupsBefore?.loaded ?? [])
    if (!loaded.has(name) && groups.some((x) => x.name === name)) loaded.set(name, g);
  saved({
    ...state,
    records: new GroupRows(
      groups,
      new Map(held),
      (g) => readGroup(stateDir, g as StoredGroup),
      loaded,
    ),
    saved: table,
    chunkSums,
  });
  return [...new Set(wrote)];
}

interface GroupWrite {
  readonly summary: GroupSummary;
  readonly rows: readonly (readonly [string, PageRow])[];
  /** The group as read before (its rows and files): a journal line extends it. */
  readonly old?: ReadGroup;
}

interface GroupPlan {
  /** Every group after the save, those written with their summary as planned. */
  readonly groups: StoredGroup[];
  readonly writes: GroupWrite[];
  readonly removed: string[];
}

/** Every row in new groups (no state to extend). */
function wholeGroups(rows: ReadonlyMap<string, PageRow>): GroupPlan {
  const writes = cutAllGroups(rows).map((p) => ({ summary: p.summary, rows: p.rows }));
  return {
    groups: writes.map((w) => ({ ...w.summary, stamp: '', snapshotBytes: 0, journalBytes: 0 })),
    writes,
    removed: [],
  };
}

/** The groups the rows set and gone in `next` change, and how. */
function changedGroups(stateDir: string, base: GroupRows, next: NextRows): GroupPlan {
  const where = new Map<string, string>();
  for (const [name, g] of base.loaded) for (const path of g.rows.keys()) where.set(path, name);
  const byName = new Map(base.groups.map((g) => [g.name, g as StoredGroup]));
  const names = new Set(byName.keys());
  const newName = (month: string): string => {
    for (let n = 0; ; n++) {
      const name = `${month.replace('/', '-')}-${n}`;
      if (!names.has(name)) {
        names.add(name);
        return name;
      }
    }
  };
  /** Group name → its rows after the save (a copy of those read). */
  const touched = new Map<string, Map<string, PageRow>>();
  const fresh = new Map<string, GroupSummary>();
  const rowsOf = (name: string): Map<string, PageRow> => {
    let got = touched.get(name);
    if (got === undefined) {
      const g = byName.get(name);
      got = g === undefined ? new Map() : new Map(base.rowsOf(g).rows);
      touched.set(name, got);
    }
    return got;
  };
  const byMonth = base.byMonth;
  const remove = (path: string): void => {
    const at = where.get(path);
    if (at !== undefined) rowsOf(at).delete(path);
  };
  for (const path of next.gone) if (!next.set.has(path)) remove(path);
  for (const [path, row] of next.set) {
    const key = keyOfRow(path, row);
    const month = monthOf(key[0]);
    let target: GroupSummary | undefined = placeOf(byMonth, key);
    if (target === undefined) {
      target = [...fresh.values()].find((g) => g.month === month);
      if (target === undefined) {
        target = { name: newName(month), month, first: key, rows: 0 };
        fresh.set(target.name, target);
      }
    }
    // Not among the rows read: then in its place if anywhere (the groups read were its own and
    // the strays': render-pages.ts planPages).
    const own = byName.get(target.name);
    const at =
      where.get(path) ??
      (own !== undefined && base.rowsOf(own).rows.has(path) ? target.name : undefined);
    const old = at === undefined ? undefined : base.loaded.get(at)?.rows.get(path);
    if (at === target.name && sameRow(old, row)) continue;
    if (at !== undefined && at !== target.name) rowsOf(at).delete(path);
    rowsOf(target.name).set(path, row);
  }
  const writes: GroupWrite[] = [];
  const removed: string[] = [];
  const after: StoredGroup[] = [];
  for (const g of base.groups) {
    const rows = touched.get(g.name);
    if (rows === undefined) {
      after.push(g as StoredGroup);
      continue;
    }
    if (rows.size === 0) {
      removed.push(g.name);
      continue;
    }
    const old = base.loaded.get(g.name);
    for (const piece of cutGroup(g, [...rows], () => newName(g.month))) {
      const same = piece.summary.name === g.name && piece.rows.length === rows.size;
      writes.push({ summary: piece.summary, rows: piece.rows, ...(same && old ? { old } : {}) });
      after.push({ ...piece.summary, stamp: '', snapshotBytes: 0, journalBytes: 0 });
    }
  }
  for (const g of fresh.values()) {
    const rows = touched.get(g.name) ?? new Map<string, PageRow>();
    for (const piece of cutGroup(g, [...rows], () => newName(g.month))) {
      writes.push({ summary: piece.summary, rows: piece.rows });
      after.push({ ...piece.summary, stamp: '', snapshotBytes: 0, journalBytes: 0 });
    }
  }
  void stateDir;
  return { groups: after, writes, removed };
}

/** A save of every group: the files of any other in the folder go (after the root). */
function removeOtherGroups(stateDir: string, keep: ReadonlySet<string>, wrote: string[]): void {
  let names: string[];
  try {
    names = readdirSync(pageGroupsDir(stateDir));
  } catch {
    return;
  }
  for (const file of names) {
    const name = file.replace(/\.(json|journal)$/, '');
    if (keep.has(name) || name === file) continue;
    rmSync(join(pageGroupsDir(stateDir), file), { force: true });
    wrote.push(join(pageGroupsDir(stateDir), file));
  }
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

/** What a page is made from (page-groups.ts, where the groups' digests need it too). */
export { stampOf } from './page-groups.js';

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
  const head = tableHead<Header>(pageTable(stateDir));
  return (
    head !== null && head.state.version !== STATE_VERSION && head.state.version !== WHOLE_VERSION
  );
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
  // A record's page is articles/<slug>.html (in 'articles', above) unless the root lists it.
  for (const file of state.records.held.values()) add(file);
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
