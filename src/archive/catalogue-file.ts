import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_FILE, writeFileAtomic, writeMarker } from '../io/atomic-write.js';
import {
  appendRows,
  readTable,
  saveTable,
  tableHead,
  type Replayed,
  type SavedTable,
  type TablePaths,
} from '../io/journaled-table.js';
import { walkFiles } from '../io/walk-files.js';
import { readRegular } from '../io/read-regular.js';
import { ChangeMap, changedKeys, putRead, settle } from '../model/change-map.js';
import type { Issue } from '../model/issue.js';
import type { DateSource } from '../model/record.js';
import { OUT_MARKER, outputFiles } from '../model/outputs.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import {
  emptyCatalogue,
  RACY_MS,
  sameStat,
  type Catalogue,
  type InputEntry,
  type QuietScan,
  type RecordEntry,
  type StoredChunk,
} from './catalogue.js';
import type { Listing } from '../ingest/listing.js';
import { BUCKETS, NO_DIGEST, type ListingBuckets } from './input-buckets.js';
import { InputTable, isNotable, type BucketLoader, type BucketSummary } from './input-table.js';
import { attachKeyIndex, saveKeyIndex } from './key-index-file.js';
import { RecordRows } from './key-index.js';
import { RecordsUnreadableError, RowsOnDemand } from './rows-on-demand.js';
import {
  compareKeys,
  cutAll,
  inOrder,
  planChunks,
  type ChunkPlan,
  type RowChange,
  type SortKey,
} from './record-chunks.js';

/**
 * The catalogue on disk, in the state folder: `inputs.json` (read by every run) and
 * `records.json` (read only when something is to be archived or rendered). Rows are arrays,
 * not objects: at 100,000 articles this halves the bytes a no-change run parses.
 * `catalogue.dirty` exists while records are being written; if a run is killed, the next run
 * finds it and rebuilds the catalogue from the records.
 *
 * Each file is a snapshot plus a journal (`inputs.journal`, `records.journal`:
 * io/journaled-table.ts): a run that changes k rows appends one line of those k rows, so that
 * adding one article to 100,000 writes a few hundred bytes instead of 66 MB. The records file
 * is saved first, and the inputs file names the stamp of the records state it goes with: if a
 * run is killed between the two, the next run sees them disagree and rebuilds the catalogue.
 *
 * The records are the truth, and the catalogue is believed only while it indexes exactly them:
 * every run that writes records first puts a new random token, the generation, in a marker in
 * the records folder (`.feedkeeper-generation`), and the catalogue saved at its end carries
 * that token. A catalogue whose token is not the marker's (an older state folder restored; a
 * second configuration with its own state folder writing the same records; records restored
 * from a backup) is rebuilt from the records, never used to decide where a record goes. The
 * check costs one small file read per run.
 *
 * Since version 5 the inputs table is cut into BUCKETS buckets by a hash of the path
 * (archive/input-buckets.ts), each a table of its own in `inputs/xx.json` and `inputs/xx.journal`
 * (xx: the bucket in hex), and `inputs.json` is their root: its header as before (the
 * generation, the scan time, the corrupt records, the records' stamp, the quiet scan), one row
 * per bucket (`["\u0000xx", stamp, digest, normalizer, rows]`: the stamp of the bucket's files
 * it goes with, the digest of the part of the listing its rows were exactly), and a copy of
 * each row that is reported on every run (archive/input-table.ts, isNotable). A run reads the
 * buckets whose part of the listing changed, not the whole table (24 MB at 100,000 articles);
 * a bucket whose files are not at the stamp the root names (a run killed between the two
 * saves, a file restored by hand) is not trusted: the catalogue is rebuilt.
 *
 * Since version 6 the records table is stored in chunks (archive/record-chunks.ts): each a
 * contiguous run of one month's records in the order its parts are cut in, at most CHUNK_MAX
 * rows, a table of its own in `records/<YYYY-MM>-<n>.json` and `.journal`; `records.json` is
 * their root: its header (the version, the generation, the version its rows are good for) and
 * one row per chunk, in order (`[name, month, first, last, rows, live, newest, stamp, unseen]`:
 * its first and last sort keys, its row and live counts, the newest change of its rows, the
 * stamp of its files, its rows withdrawn before their embargo ended: absent in roots saved
 * before the twentieth session, which are read as they are). A save writes the chunks whose rows changed (a journal line each), then the
 * root, whose stamp the inputs root names as before: every save of a chunk changes the root. A
 * chunk whose files are not at the stamp the root names is not trusted: the catalogue is
 * rebuilt.
 */
const VERSION = 6;
/**
 * Version 1 files (no normalizer column: their records are of normalizer 1), version 2 (no
 * journal), version 3 and version 4 (the inputs' rows in `inputs.json` itself) are still read;
 * the next save writes version 5. Version 4 added the inputs' `declared` column, and vouches
 * that a records row without publishedFrom is of a record without it: a version 3 records file
 * may have been written by a feedkeeper from before publishedFrom (a rollback), which dropped it
 * from the rows it wrote, so the archive step reads the records of such rows once
 * (`sourcesUnsure`) before it plans on them.
 */
const READABLE = new Set([1, 2, 3, 4, 5, VERSION]);
/** From this version on, a records file's rows keep publishedFrom (sourcesUnsure). */
const SOURCES_KEPT = 4;
/** From this version on, `inputs.json` is the root of the buckets. */
const BUCKETED = 5;
/** From this version on, `records.json` is the root of the records' chunks. */
const CHUNKED = 6;
type InputRow = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  sha256: string,
  record: string | null,
  normalizer: number,
  issues?: Issue[] | null,
  /** InputEntry.declared (absent in older files, and when the record has that date). */
  declared?: string,
];
type InputRowV1 = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  sha256: string,
  record: string | null,
  issues?: Issue[],
];
type RecordRow = [
  path: string,
  id: string,
  slug: string,
  publishedAt: string,
  updatedAt: string,
  /** 0, or when it was withdrawn (1 in catalogue version 1: withdrawn, time unknown). */
  withdrawn: 0 | 1 | string,
  fingerprint: string,
  input: string,
  /** [title, section, tags, language], for `archive list` (absent in older files). */
  meta?: [string, string | null, string[], string] | null,
  /** The record's restoredAt, when it has one (absent in older files: none had one). */
  restoredAt?: string | null,
  /** The record's publishedFrom, when it has one (absent in older files). */
  publishedFrom?: DateSource,
];

/** A chunk's row in the records' root (since version 6). */
type ChunkRow = [
  name: string,
  month: string,
  first: SortKey,
  last: SortKey,
  rows: number,
  live: number,
  newest: string,
  stamp: string,
  /** ChunkSummary.unseen (absent in roots saved before it: unknown). */
  unseen?: number,
];

/** What a snapshot's first line and every journal line carry besides rows. */
interface Header {
  version?: number;
  generation?: string | null;
}
interface RecordsState extends Header {
  /** The version the rows are good for, when older than the file's (sourcesUnsure). */
  rowsVersion?: number;
}
interface InputsState extends Header {
  scannedAt: number;
  corrupt?: [string, Issue][];
  /** The records file's stamp this state goes with. */
  records?: string;
  /** What a run that finds the same listing again reports (catalogue.ts); null: no such run. */
  quiet?: QuietScan | null;
}
export interface CatalogueFiles {
  readonly inputs: string;
  readonly records: string;
  readonly inputsJournal: string;
  /** The inputs table's buckets (since version 5). */
  readonly inputsDir: string;
  readonly recordsJournal: string;
  /** The records table's chunks (since version 6). */
  readonly recordsDir: string;
  readonly dirty: string;
  /** The generation marker, in the records folder (hidden: never listed as a record). */
  readonly generation: string;
  /** The records' index by key (archive/key-index-file.ts): its root, and its buckets. */
  readonly keys: string;
  readonly keysJournal: string;
  readonly keysDir: string;
}

export const GENERATION_FILE = '.feedkeeper-generation';

export const catalogueFiles = (stateDir: string, recordsDir: string): CatalogueFiles => ({
  inputs: join(stateDir, 'inputs.json'),
  records: join(stateDir, 'records.json'),
  inputsJournal: join(stateDir, 'inputs.journal'),
  inputsDir: join(stateDir, 'inputs'),
  recordsJournal: join(stateDir, 'records.journal'),
  recordsDir: join(stateDir, 'records'),
  dirty: join(stateDir, 'catalogue.dirty'),
  generation: join(recordsDir, GENERATION_FILE),
  keys: join(stateDir, 'keys.json'),
  keysJournal: join(stateDir, 'keys.journal'),
  keysDir: join(stateDir, 'keys'),
});

const inputsTable = (files: CatalogueFiles): TablePaths => ({
  snapshot: files.inputs,
  journal: files.inputsJournal,
});
/** The files of one bucket of the inputs table. */
export const bucketTable = (files: CatalogueFiles, bucket: number): TablePaths => {
  const name = bucket.toString(16).padStart(2, '0');
  return {
    snapshot: join(files.inputsDir, `${name}.json`),
    journal: join(files.inputsDir, `${name}.journal`),
  };
};
/** The files of one chunk of the records table. */
export const chunkTable = (files: CatalogueFiles, name: string): TablePaths => ({
  snapshot: join(files.recordsDir, `${name}.json`),
  journal: join(files.recordsDir, `${name}.journal`),
});
const recordsTable = (files: CatalogueFiles): TablePaths => ({
  snapshot: files.records,
  journal: files.recordsJournal,
});

/** The records folder's generation token, or null if it has none (or it is unreadable). */
export function readGeneration(files: CatalogueFiles): string | null {
  try {
    const g = (
      JSON.parse(readRegular(files.generation, true).toString('utf8')) as { generation?: unknown }
    ).generation;
    return typeof g === 'string' && g !== '' ? g : null;
  } catch {
    return null;
  }
}

/**
 * Give the records folder a new generation (before a run changes a record): from then on, every
 * catalogue saved before is stale. Time first, so that people reading it see when; random after,
 * so that two state folders never hold the same token by chance.
 */
export function newGeneration(files: CatalogueFiles): string {
  const token = `${new Date().toISOString()}/${randomBytes(8).toString('hex')}`;
  writeFileAtomic(files.generation, `${JSON.stringify({ generation: token })}\n`);
  return token;
}

export interface Opened {
  /** null: missing, unreadable, left dirty, or stale; rebuild it from the records. */
  readonly catalogue: Catalogue | null;
  /** Why it is stale (its generation is not the records folder's), for the report. */
  readonly stale: string | null;
}

/** Loads inputs only; call loadRecordIndex() before anything that needs the records. */
export const loadCatalogue = (files: CatalogueFiles): Catalogue | null =>
  openCatalogue(files).catalogue;

export function openCatalogue(files: CatalogueFiles): Opened {
  if (existsSync(files.dirty)) return { catalogue: null, stale: null };
  const summaries = new Map<string, BucketRow>();
  const rows = new Map<string, InputRow | InputRowV1>();
  let read: Replayed<InputsState>;
  try {
    read = readTable<InputsState, BucketRow | InputRow | InputRowV1>(
      inputsTable(files),
      (row) => {
        if (row[0].startsWith(BUCKET_KEY)) summaries.set(row[0], row as BucketRow);
        else rows.set(row[0], row as InputRow | InputRowV1);
      },
      (key) => {
        summaries.delete(key);
        rows.delete(key);
      },
    );
  } catch {
    return { catalogue: null, stale: null };
  }
  const { state, saved } = read;
  const distrusted = distrust(state, files);
  if (distrusted !== null) return { catalogue: null, stale: distrusted.stale };
  if (!recordsAgree(state, files)) return { catalogue: null, stale: null };
  const bucketed = (state.version ?? 0) >= BUCKETED;
  const c = bucketed
    ? { ...emptyCatalogue(), inputs: openedInputs(files, summaries, rows) }
    : emptyCatalogue();
  // Before buckets, every row was in this file: read whole, and saved in buckets next time
  // (set, not put: every row is a change to save, in a root written anew).
  if (!bucketed) for (const [path, row] of rows) c.inputs.set(path, inputEntryOf(row));
  c.scannedAt = state.scannedAt;
  c.generation = state.generation ?? null;
  for (const [path, issue] of state.corrupt ?? []) c.corrupt.set(path, issue);
  c.saved = {
    inputs: bucketed ? saved : null,
    records: null,
    recordsGeneration: null,
    recordsStamp: state.records ?? '',
  };
  return { catalogue: c, stale: null };
}

/** The key of a bucket's row in the root: NUL cannot begin a path. */
const BUCKET_KEY = '\u0000';
const bucketKey = (bucket: number): string => BUCKET_KEY + bucket.toString(16).padStart(2, '0');
type BucketRow = [key: string, stamp: string, digest: string, normalizer: number, rows: number];

/** The inputs of a version 5 root: its buckets are read from their files when asked for. */
function openedInputs(
  files: CatalogueFiles,
  summaries: ReadonlyMap<string, BucketRow>,
  rows: ReadonlyMap<string, InputRow | InputRowV1>,
): InputTable {
  const all: (BucketSummary | undefined)[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    const row = summaries.get(bucketKey(b));
    all.push(row && { stamp: row[1], digest: row[2], normalizer: row[3], rows: row[4] });
  }
  const notable = new Map<string, InputEntry>();
  for (const [path, row] of rows) notable.set(path, inputEntryOf(row));
  return InputTable.opened(all, notable, bucketLoader(files));
}

/** Reads one bucket's files, trusted only at the stamp the root names. */
const bucketLoader =
  (files: CatalogueFiles): BucketLoader =>
  (bucket, summary) => {
    const rows = new ChangeMap<string, InputEntry>();
    try {
      const { state, saved } = readTable<Header, InputRow | InputRowV1>(
        bucketTable(files, bucket),
        (row) => rows.put(row[0], inputEntryOf(row)),
        (path) => rows.delete(path),
      );
      if ((state.version ?? 0) < BUCKETED || saved.stamp !== summary.stamp) return null;
      return { rows, saved };
    } catch {
      return null;
    }
  };

/**
 * Why the inputs file's header cannot be believed, or null when it can (openCatalogue() and
 * quietSince() ask the same): `stale: null` for a file of another version, or from before
 * generations (or saved while another run wrote the records): rebuilt once, without a word;
 * `stale: why` for one of another generation than the records folder's.
 */
function distrust(state: InputsState, files: CatalogueFiles): { stale: string | null } | null {
  if (!READABLE.has(state.version ?? 0) || typeof state.generation !== 'string')
    return { stale: null };
  const records = readGeneration(files);
  if (state.generation === records) return null;
  return {
    stale:
      records === null
        ? `the records folder has no generation marker (${GENERATION_FILE}): restored or copied without it`
        : 'it indexes another state of the records (an older state folder restored, records restored from a backup, or another configuration with its own state folder writing the same records)',
  };
}

/**
 * Whether records.json and its journal are where the inputs file says (the records' stamp it
 * was saved with), read from their first and last lines: a records file deleted or garbled
 * by hand was otherwise found only by a run that needed the records, so runs with nothing to
 * do left it broken (and `status`, `archive list` and `verify` with it); now the run rebuilds
 * the catalogue. Files of before the stamp (none in the inputs file) are not asked.
 */
function recordsAgree(state: InputsState, files: CatalogueFiles): boolean {
  if (typeof state.records !== 'string' || state.records === '') return true;
  return tableHead<Header>(recordsTable(files))?.saved.stamp === state.records;
}

/**
 * What a run reports when the last saved catalogue says nothing changed for this listing (its
 * QuietScan, saved with it, has this listing's digest), read from the inputs file's header and
 * last journal line without parsing a row: 0.6 s of a 2 s no-change run at 100,000 articles.
 * The same conditions as openCatalogue() and a run over the rows: not dirty, of the records
 * folder's generation, no unreadable record, rules unchanged, and no file modified within
 * RACY_MS of the scan it was saved after (such a file may hide an edit: it is read again).
 * null when any of it does not hold: the run reads the catalogue as always.
 */
export function quietSince(
  files: CatalogueFiles,
  listing: Listing,
  digest: string,
): QuietScan | null {
  if (existsSync(files.dirty)) return null;
  const state = tableHead<InputsState>(inputsTable(files))?.state ?? null;
  const quiet = state?.quiet;
  if (
    state === null ||
    !quiet ||
    quiet.listing !== digest ||
    quiet.normalizer !== NORMALIZER_VERSION ||
    !Number.isSafeInteger(quiet.unchanged) ||
    !Number.isSafeInteger(quiet.duplicates) ||
    typeof state.scannedAt !== 'number' ||
    (state.corrupt?.length ?? 0) > 0 ||
    distrust(state, files) !== null ||
    !recordsAgree(state, files)
  )
    return null;
  // isRacy() (catalogue.ts) of every entry, on the listing's numbers.
  return listing.modifiedWithin(state.scannedAt, RACY_MS) ? null : quiet;
}

/**
 * Fill `c.records` from records.json (the root) and every chunk it names; false if one is
 * missing or unreadable, a chunk's files are not at the stamp the root names, the root is of
 * another generation than `c`, or of another save than the inputs file was saved with (then
 * the caller rebuilds the catalogue).
 */
export function loadRecordIndex(files: CatalogueFiles, c: Catalogue): boolean {
  const rows = readRecordRows(files, true);
  if (rows === null || rows.generation !== c.generation || c.generation === null) return false;
  if (c.saved?.inputs && rows.saved.stamp !== c.saved.recordsStamp) return false;
  for (const [path, r] of rows.records) putRead(c.records, path, r);
  settle(c.records);
  attachKeyIndex(files, c.records, rows.saved.stamp, rows.generation);
  c.saved = {
    inputs: c.saved?.inputs ?? null,
    records: rows.saved,
    recordsGeneration: rows.generation,
    recordsStamp: rows.saved.stamp,
    recordsVersion: rows.version,
    recordChunks: rows.chunks,
  };
  return true;
}

/**
 * loadRecordIndex() without reading a row: the root alone, its chunks read as their rows are
 * asked for (key-index.ts, RecordRows.onDemand; a run with few changes, pipeline/archive-
 * articles.ts). The same checks of the root; a root of before chunks is read whole. false: the
 * caller rebuilds the catalogue (as for loadRecordIndex); a chunk found not at its stamp later
 * throws RecordsUnreadableError (rows-on-demand.ts), which rebuilds it too.
 */
export function openRecordRows(files: CatalogueFiles, c: Catalogue): boolean {
  if (!(c.records instanceof RecordRows) || c.records.onDemandSource !== null)
    return loadRecordIndex(files, c);
  const root = readRecordChunks(files);
  if (root === null) return loadRecordIndex(files, c);
  if (root.generation !== c.generation || c.generation === null) return false;
  if (c.saved?.inputs && root.saved.stamp !== c.saved.recordsStamp) return false;
  c.records.onDemand(new RowsOnDemand(root.chunks, (chunk) => chunkEntries(files, chunk)));
  attachKeyIndex(files, c.records, root.saved.stamp, root.generation);
  c.saved = {
    inputs: c.saved?.inputs ?? null,
    records: root.saved,
    recordsGeneration: root.generation,
    recordsStamp: root.saved.stamp,
    recordsVersion: root.rowsVersion,
    recordChunks: root.chunks,
  };
  return true;
}

/**
 * The rows of `c` not read yet, when its records are read on demand (openRecordRows): every
 * chunk left, so that what follows may go over every row. false: one could not be read as the
 * root names it (the caller rebuilds the catalogue, as when loadRecordIndex() is false).
 */
export function readRest(c: Catalogue): boolean {
  try {
    if (c.records instanceof RecordRows) c.records.loadAll();
    return true;
  } catch (error) {
    if (error instanceof RecordsUnreadableError) return false;
    throw error;
  }
}

/**
 * The root of the records table as saved (version 6 on): its chunks in order, with their
 * summaries and stamps, without reading a row. null: missing, unreadable, or of an older
 * version (its rows are in the root itself: read them with loadRecordIndex).
 */
export function readRecordChunks(files: CatalogueFiles): {
  chunks: StoredChunk[];
  generation: string | null;
  saved: SavedTable;
  /** The version the rows are good for (sourcesUnsure). */
  rowsVersion: number;
} | null {
  const rows = new Map<string, ChunkRow>();
  try {
    const { state, saved } = readTable<RecordsState, ChunkRow>(
      recordsTable(files),
      (row) => rows.set(row[0], row),
      (name) => rows.delete(name),
    );
    if (state.version !== CHUNKED) return null;
    const chunks = [...rows.values()].map(storedChunkOf);
    chunks.sort((a, b) => compareKeys(a.first, b.first));
    return {
      chunks,
      generation: state.generation ?? null,
      saved,
      rowsVersion: state.rowsVersion ?? CHUNKED,
    };
  } catch {
    return null;
  }
}

/**
 * The rows of one chunk, in order, and where its files stand; null when they cannot be read, or
 * are not at the stamp the root names (`chunk.stamp`), or hold another count of rows.
 */
export function readChunk(
  files: CatalogueFiles,
  chunk: Pick<StoredChunk, 'name' | 'stamp' | 'rows'>,
): { rows: Map<string, RecordEntry>; saved: SavedTable } | null {
  const got = chunkEntries(files, chunk);
  return got && { rows: new Map(got.entries), saved: got.saved };
}

/** readChunk(), as an array of rows in order (what a whole load appends to its map). */
function chunkEntries(
  files: CatalogueFiles,
  chunk: Pick<StoredChunk, 'name' | 'stamp' | 'rows'>,
): { entries: [string, RecordEntry][]; saved: SavedTable } | null {
  const read = new Map<string, RecordEntry>();
  try {
    const { state, saved } = readTable<Header, RecordRow>(
      chunkTable(files, chunk.name),
      (row) => read.set(row[0], recordEntryOfRow(row)),
      (path) => read.delete(path),
    );
    if (state.version !== CHUNKED || saved.stamp !== chunk.stamp || read.size !== chunk.rows)
      return null;
    // A journal's rows come after the snapshot's: put back in order (at most CHUNK_MAX rows).
    return { entries: inOrder([...read]), saved };
  } catch {
    return null;
  }
}

/**
 * The records of one month (`YYYY/MM`), in order, read from its chunks alone; null when one of
 * them cannot be read as the root says. `chunks`: readRecordChunks()'s.
 */
export function monthRecords(
  files: CatalogueFiles,
  chunks: readonly StoredChunk[],
  month: string,
): Map<string, RecordEntry> | null {
  const out = new Map<string, RecordEntry>();
  for (const chunk of chunks) {
    if (chunk.month !== month) continue;
    const got = readChunk(files, chunk);
    if (got === null) return null;
    for (const [path, r] of got.rows) out.set(path, r);
  }
  return out;
}

/**
 * The records rows whose publishedFrom may have been lost: those without one, in a records file
 * of a version before SOURCES_KEPT (a feedkeeper from before publishedFrom, run after a newer one, wrote
 * its rows without it). Taken as they are, such a record counted as declared, and a rename that
 * adds a date to its undated article published the story again (the rule for undated articles,
 * archive/plan-archive.ts, did not apply) until `build --full`. Empty for a file of this
 * version, or once `confirmSources` has run.
 */
export function sourcesUnsure(c: Catalogue): string[] {
  if ((c.saved?.recordsVersion ?? VERSION) >= SOURCES_KEPT) return [];
  const out: string[] = [];
  for (const [path, r] of c.records) if (r.publishedFrom === undefined) out.push(path);
  return out;
}

/**
 * Give the rows of sourcesUnsure() the publishedFrom their records have (`sourceOf`: the
 * record's, undefined if it has none or cannot be read), and have the next save write the
 * records file in this version: read once, not on every run.
 */
export function confirmSources(
  c: Catalogue,
  sourceOf: (path: string) => DateSource | undefined,
): void {
  for (const path of sourcesUnsure(c)) {
    const r = c.records.get(path);
    const from = sourceOf(path);
    if (r !== undefined && from !== undefined) c.records.set(path, { ...r, publishedFrom: from });
  }
  if (c.saved !== null) c.saved = { ...c.saved, recordsVersion: VERSION, rewriteRecords: true };
}

/**
 * The records as records.json and its chunks hold them, whatever their generation; null if
 * unreadable. `strict`: null also when a chunk cannot be read as the root names it (else such a
 * chunk is left out: previousRecordRows() takes what there is). `version`: the version the rows
 * are good for (sourcesUnsure); `chunks`: null for a file of before chunks (its rows are in it).
 */
function readRecordRows(
  files: CatalogueFiles,
  strict: boolean,
): {
  records: Iterable<[string, RecordEntry]>;
  saved: SavedTable;
  generation: string | null;
  version: number;
  chunks: StoredChunk[] | null;
} | null {
  // The root's rows are records before version 6, chunks after: told apart once the header,
  // read with them, says which.
  const rows = new Map<string, RecordRow | ChunkRow>();
  let read: Replayed<RecordsState>;
  try {
    read = readTable<RecordsState, RecordRow | ChunkRow>(
      recordsTable(files),
      (row) => rows.set(row[0], row),
      (key) => rows.delete(key),
    );
  } catch {
    return null;
  }
  const { state, saved } = read;
  const version = state.version ?? 0;
  if (!READABLE.has(version)) return null;
  const generation = state.generation ?? null;
  if (version < CHUNKED) {
    const records = new Map<string, RecordEntry>();
    for (const [path, row] of rows) records.set(path, recordEntryOfRow(row as RecordRow));
    return { records, saved, generation, version, chunks: null };
  }
  // Each chunk's rows in order, the chunks in order: no map made here (the caller's is the one
  // that costs, at 100,000 rows).
  const records: [string, RecordEntry][][] = [];
  const chunks = [...rows.values()].map((row) => storedChunkOf(row as ChunkRow));
  chunks.sort((a, b) => compareKeys(a.first, b.first));
  for (const chunk of chunks) {
    const got = chunkEntries(files, chunk);
    if (got === null) {
      if (strict) return null;
      continue;
    }
    records.push(got.entries);
  }
  return {
    records: records.flat(),
    saved,
    generation,
    version: state.rowsVersion ?? version,
    chunks,
  };
}

const storedChunkOf = ([
  name,
  month,
  first,
  last,
  rows,
  live,
  newest,
  stamp,
  unseen,
]: ChunkRow): StoredChunk => ({
  name,
  month,
  first,
  last,
  rows,
  live,
  newest,
  stamp,
  ...(typeof unseen === 'number' ? { unseen } : {}),
});

const chunkRowOf = (c: StoredChunk): ChunkRow =>
  c.unseen === undefined
    ? [c.name, c.month, c.first, c.last, c.rows, c.live, c.newest, c.stamp]
    : [c.name, c.month, c.first, c.last, c.rows, c.live, c.newest, c.stamp, c.unseen];

/**
 * What the last saved catalogue knew of each record, even if it is stale or was left dirty: a
 * hint, used only to tell which article an unreadable record belongs to (its id and first
 * path never change; a stale row at worst names where the article was).
 */
export const previousRecordRows = (files: CatalogueFiles): ReadonlyMap<string, RecordEntry> =>
  new Map(readRecordRows(files, false)?.records);

/**
 * The publication dates the last saved catalogue's rows say their files declared while their
 * records kept their own (InputEntry.declared), even if it is stale or was left dirty, with the
 * record and the file's hash each was found with: for a rebuild (pipeline/archive-articles.ts)
 * whose run no longer has the file to read again (renamed in that run). Such a row is reported
 * on every run (DATE_PUBLISHED_KEPT), so the root has a copy of it (input-table.ts, isNotable):
 * the buckets are not read. A hint: the caller takes it only for the same record and bytes.
 */
export function previousDeclared(
  files: CatalogueFiles,
): ReadonlyMap<string, { record: string; sha256: string; declared: string }> {
  const out = new Map<string, { record: string; sha256: string; declared: string }>();
  try {
    readTable<Header, BucketRow | InputRow | InputRowV1>(
      inputsTable(files),
      (row) => {
        if (row[0].startsWith(BUCKET_KEY)) return;
        const [path, , , , , sha256, record, , , declared] = row as InputRow;
        if (typeof declared === 'string' && typeof record === 'string')
          out.set(path, { record, sha256, declared });
        else out.delete(path);
      },
      (path) => out.delete(path),
    );
  } catch {
    return new Map();
  }
  return out;
}

export const markDirty = (files: CatalogueFiles): void => writeMarker(files.dirty);

/**
 * Save what changed since the catalogue was read (the records first, then the inputs, which
 * name the records' state): a journal line, or a new snapshot when there is none to extend or
 * the journal has grown too long. Returns the files it wrote. A snapshot's rows are streamed:
 * the file is never one string in memory. The catalogue is saved with its generation only if
 * the records folder still has it: if another process gave the folder a new one during this
 * run, the next run rebuilds the catalogue. `quiet`: quietScanOf() this catalogue and the run's
 * listing, for the next run's quietSince(). `listing`: the run's listing cut in buckets, so that
 * each bucket saved is left unread by the next run that finds its part of the listing again
 * (without it, every bucket saved is read again next time).
 */
export function saveCatalogue(
  files: CatalogueFiles,
  c: Catalogue,
  withRecords: boolean,
  quiet: QuietScan | null = null,
  listing: { readonly listing: Listing; readonly buckets: ListingBuckets } | null = null,
): string[] {
  const generation =
    c.generation !== null && readGeneration(files) === c.generation ? c.generation : null;
  const wrote: string[] = [];
  const before = c.saved;
  let records = before?.records ?? null;
  let recordsGeneration = before?.recordsGeneration ?? null;
  // Rows not confirmed (sourcesUnsure) keep their file's version: the next run confirms them.
  const recordsVersion = before?.recordsVersion ?? VERSION;
  let recordChunks = before?.recordChunks ?? null;
  if (
    withRecords &&
    (records === null ||
      recordChunks === null ||
      changedKeys(c.records)?.size !== 0 ||
      recordsGeneration !== generation ||
      before?.rewriteRecords === true)
  ) {
    const rowsVersion = recordsVersion >= SOURCES_KEPT ? VERSION : recordsVersion;
    const state = { version: VERSION, generation, rowsVersion };
    ({ root: records, chunks: recordChunks } = saveRecords(
      files,
      c.records,
      records,
      recordChunks,
      state,
      wrote,
    ));
    recordsGeneration = generation;
  }
  const recordsStamp = records?.stamp ?? before?.recordsStamp ?? '';
  // The index by key names the records' state it goes with: saved after them, before the
  // inputs' root (archive/key-index-file.ts).
  if (withRecords) saveKeyIndex(files, c.records, generation, recordsStamp, wrote);
  const state = {
    version: VERSION,
    scannedAt: c.scannedAt,
    generation,
    // The corrupt records are here, in the file every run reads: each run reads them again
    // (there are few), so that a restored one is taken back at once.
    corrupt: [...c.corrupt],
    records: recordsStamp,
    // Always written, null or not: the next run reads the last save's (quietSince()).
    quiet,
  };
  const inputs = saveInputs(files, c.inputs, before?.inputs ?? null, state, listing, wrote);
  rmSync(files.dirty, { force: true });
  settle(c.records);
  c.saved = { inputs, records, recordsGeneration, recordsStamp, recordsVersion, recordChunks };
  return wrote;
}

/**
 * Save the records: the chunks whose rows changed since `chunks` were saved (a journal line
 * each, or a snapshot for a new chunk or a full journal), then the root (a journal line of the
 * chunks' new summaries and stamps), then remove the files of the chunks emptied. Without a
 * saved state to extend (`root` or `chunks` null: a new or rebuilt catalogue, a file of before
 * chunks), or if it does not hold together, every chunk is cut and written anew, and any other
 * file in the chunks' folder removed. The rows are written in order (oldest first, the order
 * every list and part is cut in, model/month-parts.ts): the next runs' sorts become single
 * passes over runs already in order.
 */
function saveRecords(
  files: CatalogueFiles,
  records: ReadonlyMap<string, RecordEntry>,
  root: SavedTable | null,
  chunks: readonly StoredChunk[] | null,
  state: Record<string, unknown>,
  wrote: string[],
): { root: SavedTable; chunks: StoredChunk[] } {
  const changed = changedKeys(records);
  const before =
    records instanceof ChangeMap ? (records.before as Map<string, RecordEntry | undefined>) : null;
  const read = new Map<string, { rows: Map<string, RecordEntry>; saved: SavedTable }>();
  let plan: ChunkPlan | null = null;
  if (root !== null && chunks !== null && changed !== null && before !== null) {
    const named = new Map(chunks.map((chunk) => [chunk.name, chunk]));
    const changes: RowChange[] = [];
    for (const path of changed)
      changes.push({ path, before: before.get(path), after: records.get(path) });
    // A chunk read on demand this run to find a row is not read again.
    const onDemand = records instanceof RecordRows ? records.onDemandSource : null;
    plan = planChunks(chunks, changes, (name) => {
      const chunk = named.get(name);
      const kept = onDemand?.kept(name);
      const got =
        kept !== undefined
          ? { rows: new Map(kept.entries), saved: kept.saved }
          : chunk
            ? readChunk(files, chunk)
            : null;
      if (got !== null) read.set(name, got);
      return got?.rows ?? null;
    });
  }
  const fresh = plan === null;
  plan ??= cutAll(records);
  const stamps = new Map((chunks ?? []).map((chunk) => [chunk.name, chunk.stamp]));
  for (const w of plan.writes) {
    const paths = chunkTable(files, w.name);
    const header = { version: VERSION, chunk: w.name };
    const rows = new Map(w.rows);
    const prior = fresh || w.fresh ? undefined : read.get(w.name);
    const now =
      (prior &&
        appendRows(
          paths,
          prior.saved,
          header,
          w.set.map((path) => recordRowOf(path, rows.get(path)!)),
          w.gone,
          wrote,
        )) ??
      saveTable(paths, null, header, rows, recordRowOf, wrote);
    stamps.set(w.name, now.stamp);
  }
  const next = plan.chunks.map((chunk) => ({ ...chunk, stamp: stamps.get(chunk.name)! }));
  const written = new Set(plan.writes.map((w) => w.name));
  let saved: SavedTable | null = null;
  if (!fresh && root !== null)
    saved = appendRows(
      recordsTable(files),
      root,
      state,
      next.filter((chunk) => written.has(chunk.name)).map(chunkRowOf),
      plan.removed,
      wrote,
    );
  saved ??= saveTable(
    recordsTable(files),
    null,
    state,
    new Map(next.map((chunk) => [chunk.name, chunkRowOf(chunk)])),
    (_, row) => row,
    wrote,
  );
  // Rows read on demand: the map holds the rows of the chunks just written.
  if (records instanceof RecordRows) records.chunksSaved(next, plan.writes);
  // After the root: until it is saved, the root before names them.
  const stale = fresh ? strayChunkFiles(files, next) : plan.removed;
  for (const name of stale)
    for (const f of Object.values(chunkTable(files, name)))
      if (existsSync(f)) {
        rmSync(f, { force: true });
        wrote.push(f);
      }
  return { root: saved, chunks: next };
}

/** The chunks whose files are in the chunks' folder but not in `chunks`. */
function strayChunkFiles(files: CatalogueFiles, chunks: readonly StoredChunk[]): string[] {
  const named = new Set(chunks.map((chunk) => chunk.name));
  const out = new Set<string>();
  try {
    for (const f of readdirSync(files.recordsDir)) {
      const m = /^(.+)\.(?:json|journal)$/.exec(f);
      if (m && !named.has(m[1]!)) out.add(m[1]!);
    }
  } catch {
    // No folder: nothing stray.
  }
  return [...out];
}

/**
 * Save the inputs: each bucket read that changed (a journal line, or a snapshot), then the root
 * (`inputs.json`): a journal line of the buckets' new stamps and digests and the notable rows
 * that changed, or a snapshot of all of them when there is no root to extend.
 */
function saveInputs(
  files: CatalogueFiles,
  table: InputTable,
  rootSaved: SavedTable | null,
  state: Record<string, unknown>,
  listing: { readonly listing: Listing; readonly buckets: ListingBuckets } | null,
  wrote: string[],
): SavedTable {
  const clean = cleanBuckets(table, listing);
  const set: (BucketRow | InputRow)[] = [];
  const gone: string[] = [];
  const was = table.savedNotable();
  for (const { bucket, rows, saved, summary } of [...table.readBuckets()]) {
    const changed = changedKeys(rows) ?? new Set<string>();
    let now = saved;
    const paths = bucketTable(files, bucket);
    if (rows.size === 0) {
      now = null;
      if (summary.stamp !== '' || changed.size > 0 || rootSaved === null)
        for (const f of [paths.snapshot, paths.journal])
          if (existsSync(f)) {
            rmSync(f, { force: true });
            wrote.push(f);
          }
    } else if (changed.size > 0 || saved === null)
      now = saveTable(paths, saved, { version: VERSION, bucket }, rows, inputRowOf, wrote);
    const next: BucketSummary = {
      stamp: now?.stamp ?? '',
      digest: clean[bucket] === 1 ? listing!.buckets.digests[bucket]! : NO_DIGEST,
      normalizer: normalizerOf(rows),
      rows: rows.size,
    };
    if (
      rootSaved === null ||
      next.stamp !== summary.stamp ||
      next.digest !== summary.digest ||
      next.normalizer !== summary.normalizer ||
      next.rows !== summary.rows
    )
      set.push(bucketRowOf(bucket, next));
    const notable: [string, InputEntry | undefined][] = [];
    for (const path of changed) {
      const e = rows.get(path);
      notable.push([path, e]);
      if (e !== undefined && isNotable(e)) set.push(inputRowOf(path, e));
      else if (was.has(path)) gone.push(path);
    }
    table.saved(bucket, now, next, notable);
  }
  table.settle();
  if (rootSaved !== null) {
    const appended = appendRows(inputsTable(files), rootSaved, state, set, gone, wrote);
    if (appended !== null) return appended;
  }
  // A new root: every bucket's row and every notable row.
  const root = new Map<string, BucketRow | InputRow>();
  for (let b = 0; b < BUCKETS; b++) root.set(bucketKey(b), bucketRowOf(b, table.summary(b)));
  for (const [path, e] of table.savedNotable()) root.set(path, inputRowOf(path, e));
  return saveTable(inputsTable(files), null, state, root, (_, row) => row, wrote);
}

const bucketRowOf = (bucket: number, s: BucketSummary): BucketRow => [
  bucketKey(bucket),
  s.stamp,
  s.digest,
  s.normalizer,
  s.rows,
];

/** The normalization rules all rows share (the current ones for none), or 0. */
function normalizerOf(rows: ReadonlyMap<string, InputEntry>): number {
  let n = -1;
  for (const e of rows.values()) {
    if (n === -1) n = e.normalizer;
    else if (e.normalizer !== n) return 0;
  }
  return n === -1 ? NORMALIZER_VERSION : n;
}

/**
 * Which read buckets hold exactly their part of the listing (the same paths, the same stats):
 * their digest is saved, and the next run that finds that part again leaves them unread.
 */
function cleanBuckets(
  table: InputTable,
  cut: { readonly listing: Listing; readonly buckets: ListingBuckets } | null,
): Uint8Array {
  const clean = new Uint8Array(BUCKETS);
  if (cut === null) return clean;
  const { listing, buckets } = cut;
  for (let b = 0; b < BUCKETS; b++)
    if (
      table.isLoaded(b) &&
      buckets.digests[b] !== NO_DIGEST &&
      table.bucketSize(b) === buckets.counts[b]
    )
      clean[b] = 1;
  for (let i = 0; i < listing.length; i++) {
    const b = buckets.of[i]!;
    if (clean[b] !== 1) continue;
    const e = table.get(listing.path(i));
    if (e === undefined || !sameStat(e.stat, listing.stat(i))) clean[b] = 0;
  }
  return clean;
}

/** One empty list for every row without issues (nearly all): 100,000 arrays fewer to make. */
const NO_ISSUES: readonly Issue[] = Object.freeze([]);

function inputEntryOf(row: InputRow | InputRowV1): InputEntry {
  const [, size, mtimeMs, ctimeMs, ino, sha256, record, seventh, eighth, ninth] = row;
  const v1 = typeof seventh !== 'number';
  return {
    stat: { size, mtimeMs, ctimeMs, ino },
    sha256,
    record,
    normalizer: v1 ? 1 : seventh,
    issues: (v1 ? seventh : eighth) ?? NO_ISSUES,
    ...(!v1 && typeof ninth === 'string' ? { declared: ninth } : {}),
  };
}

/** An input's row as the files keep it (exported for the tests that write older versions). */
export function inputRowOf(path: string, e: InputEntry): InputRow {
  const row: InputRow = [
    path,
    e.stat.size,
    e.stat.mtimeMs,
    e.stat.ctimeMs,
    e.stat.ino,
    e.sha256,
    e.record,
    e.normalizer,
  ];
  if (e.issues.length > 0 || e.declared !== undefined)
    row.push(e.issues.length > 0 ? [...e.issues] : null);
  if (e.declared !== undefined) row.push(e.declared);
  return row;
}

function recordEntryOfRow(row: RecordRow): RecordEntry {
  const [
    ,
    id,
    slug,
    publishedAt,
    updatedAt,
    withdrawn,
    fingerprint,
    input,
    meta,
    restoredAt,
    from,
  ] = row;
  return {
    id,
    slug,
    publishedAt,
    ...(typeof from === 'string' ? { publishedFrom: from } : {}),
    updatedAt,
    withdrawn: withdrawn !== 0,
    withdrawnAt: typeof withdrawn === 'string' ? withdrawn : null,
    ...(typeof restoredAt === 'string' ? { restoredAt } : {}),
    fingerprint,
    input,
    ...(meta
      ? { meta: { title: meta[0], section: meta[1], tags: meta[2], language: meta[3] } }
      : {}),
  };
}

/** A record's row as the files keep it (exported for the tests that write older versions). */
export function recordRowOf(path: string, r: RecordEntry): RecordRow {
  const row: RecordRow = [
    path,
    r.id,
    r.slug,
    r.publishedAt,
    r.updatedAt,
    r.withdrawn ? (r.withdrawnAt ?? 1) : 0,
    r.fingerprint,
    r.input,
  ];
  if (r.meta) row.push([r.meta.title, r.meta.section, [...r.meta.tags], r.meta.language]);
  // Optional columns at the end, null where one before is absent (older files stop earlier).
  if (r.restoredAt !== undefined || r.publishedFrom !== undefined) {
    if (!r.meta) row.push(null);
    row.push(r.restoredAt ?? null);
    if (r.publishedFrom !== undefined) row.push(r.publishedFrom);
  }
  return row;
}

/**
 * Remove temp files a killed run left in a folder feedkeeper writes (records, out, state; never
 * a record itself): `.<name>.tmp-<digits>` (TEMP_FILE) where `<name>` is one feedkeeper writes
 * atomically there, a `.json` record or state file, the generation marker, out/'s marker or a
 * feed of OUTPUTS. A newsroom's own `.notes.txt.tmp-1234` is left alone even in those folders.
 */
export function removeTempFiles(dir: string): number {
  const outputs = new Set(outputFiles());
  const ours = (name: string): boolean => {
    if (!TEMP_FILE.test(name)) return false;
    // A published file's gzip and brotli copies (publish/precompress.ts) are written the same way.
    const target = name.slice(1, name.lastIndexOf('.tmp-')).replace(/\.(?:gz|br)$/, '');
    // Pages (front, month and article pages, and pages at a front-matter url) are .html files
    // written the same way, under out/ and its folders.
    return (
      target.endsWith('.json') ||
      target.endsWith('.html') ||
      target === GENERATION_FILE ||
      target === OUT_MARKER ||
      outputs.has(target)
    );
  };
  const temps = walkFiles(dir, ours);
  for (const rel of temps) rmSync(join(dir, rel), { force: true });
  return temps.length;
}

export type { InputEntry, RecordEntry };
