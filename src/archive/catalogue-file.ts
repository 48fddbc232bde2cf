import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_FILE, writeFileAtomic, writeLinesAtomic, writeMarker } from '../io/atomic-write.js';
import { readLines } from '../io/read-lines.js';
import { walkFiles } from '../io/walk-files.js';
import type { Issue } from '../model/issue.js';
import { outputFiles } from '../model/outputs.js';
import { fingerprintOf } from '../normalize/fingerprint.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import {
  emptyCatalogue,
  firstArchived,
  recordEntryOf,
  type Catalogue,
  type InputEntry,
  type RecordEntry,
} from './catalogue.js';
import { readRecord, salvageOwner } from './read-record.js';

/**
 * The catalogue on disk, in the state folder: `inputs.json` (read by every run) and
 * `records.json` (read only when something is to be archived or rendered). Rows are arrays,
 * not objects: at 100,000 articles this halves the bytes a no-change run parses.
 * `catalogue.dirty` exists while records are being written; if a run is killed, the next run
 * finds it and rebuilds the catalogue from the records.
 *
 * The records are the truth, and the catalogue is believed only while it indexes exactly them:
 * every run that writes records first puts a new random token, the generation, in a marker in
 * the records folder (`.feedkeeper-generation`), and the catalogue saved at its end carries
 * that token. A catalogue whose token is not the marker's (an older state folder restored; a
 * second configuration with its own state folder writing the same records; records restored
 * from a backup) is rebuilt from the records, never used to decide where a record goes. The
 * check costs one small file read per run.
 */
const VERSION = 2;
/** Version 1 files (no normalizer column: their records are of normalizer 1) are still read. */
const READABLE = new Set([1, VERSION]);
type InputRow = [
  path: string,
  size: number,
  mtimeMs: number,
  ctimeMs: number,
  ino: number,
  sha256: string,
  record: string | null,
  normalizer: number,
  issues?: Issue[],
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
  meta?: [string, string | null, string[], string],
];

export interface CatalogueFiles {
  readonly inputs: string;
  readonly records: string;
  readonly dirty: string;
  /** The generation marker, in the records folder (hidden: never listed as a record). */
  readonly generation: string;
}

export const GENERATION_FILE = '.feedkeeper-generation';

export const catalogueFiles = (stateDir: string, recordsDir: string): CatalogueFiles => ({
  inputs: join(stateDir, 'inputs.json'),
  records: join(stateDir, 'records.json'),
  dirty: join(stateDir, 'catalogue.dirty'),
  generation: join(recordsDir, GENERATION_FILE),
});

/** The records folder's generation token, or null if it has none (or it is unreadable). */
export function readGeneration(files: CatalogueFiles): string | null {
  try {
    const g = (JSON.parse(readFileSync(files.generation, 'utf8')) as { generation?: unknown })
      .generation;
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
  let header: InputsHeader;
  const c = emptyCatalogue();
  try {
    header = readRows<InputsHeader, InputRow | InputRowV1>(files.inputs, (row) => {
      const [path, size, mtimeMs, ctimeMs, ino, sha256, record, seventh, eighth] = row;
      const v1 = typeof seventh !== 'number';
      c.inputs.set(path, {
        stat: { size, mtimeMs, ctimeMs, ino },
        sha256,
        record,
        normalizer: v1 ? 1 : seventh,
        issues: (v1 ? seventh : eighth) ?? [],
      });
    });
  } catch {
    return { catalogue: null, stale: null };
  }
  if (!READABLE.has(header.version)) return { catalogue: null, stale: null };
  // A catalogue from before generations (or saved while another run wrote the records): rebuilt
  // once, without a word.
  if (typeof header.generation !== 'string') return { catalogue: null, stale: null };
  const records = readGeneration(files);
  if (header.generation !== records)
    return {
      catalogue: null,
      stale:
        records === null
          ? `the records folder has no generation marker (${GENERATION_FILE}): restored or copied without it`
          : 'it indexes another state of the records (an older state folder restored, records restored from a backup, or another configuration with its own state folder writing the same records)',
    };
  c.scannedAt = header.scannedAt;
  c.generation = header.generation;
  for (const [path, issue] of header.corrupt ?? []) c.corrupt.set(path, issue);
  return { catalogue: c, stale: null };
}

interface InputsHeader {
  version: number;
  scannedAt: number;
  generation?: string | null;
  corrupt?: [string, Issue][];
}

/**
 * Fill `c.records` from records.json; false if that file is missing, unreadable, or of another
 * generation than `c` (then the caller rebuilds the catalogue).
 */
export function loadRecordIndex(files: CatalogueFiles, c: Catalogue): boolean {
  const rows = readRecordRows(files);
  if (rows === null || rows.generation !== c.generation || c.generation === null) return false;
  for (const [path, r] of rows.records) c.records.set(path, r);
  return true;
}

/** records.json as it is, whatever its generation; null if it is missing or unreadable. */
function readRecordRows(
  files: CatalogueFiles,
): { records: Map<string, RecordEntry>; generation: string | null } | null {
  const records = new Map<string, RecordEntry>();
  try {
    const header = readRows<{ version: number; generation?: string | null }, RecordRow>(
      files.records,
      (row) => {
        const [path, id, slug, publishedAt, updatedAt, withdrawn, fingerprint, input, meta] = row;
        records.set(path, {
          id,
          slug,
          publishedAt,
          updatedAt,
          withdrawn: withdrawn !== 0,
          withdrawnAt: typeof withdrawn === 'string' ? withdrawn : null,
          fingerprint,
          input,
          ...(meta
            ? { meta: { title: meta[0], section: meta[1], tags: meta[2], language: meta[3] } }
            : {}),
        });
      },
    );
    if (!READABLE.has(header.version)) return null;
    return { records, generation: header.generation ?? null };
  } catch {
    return null;
  }
}

/**
 * What the last saved catalogue knew of each record, even if it is stale or was left dirty: a
 * hint, used only to tell which article an unreadable record belongs to (its id and first
 * path never change; a stale row at worst names where the article was).
 */
export const previousRecordRows = (files: CatalogueFiles): ReadonlyMap<string, RecordEntry> =>
  readRecordRows(files)?.records ?? new Map();

/**
 * Parse a catalogue file as saveCatalogue() writes it, one row per line: the header line (which
 * closes to `{..."rows":[]}`), then `[row],` lines, then `]}`. At 100,000 articles, parsing it
 * whole held the text and every row array at once beside the entries they become: 100 MB more.
 * Anything else (truncated, reformatted) throws, and the caller rebuilds the catalogue.
 */
function readRows<H, R>(path: string, onRow: (row: R) => void): H {
  let header: H | undefined;
  let ended = false;
  for (const line of readLines(path)) {
    if (ended) {
      if (line.trim() === '') continue;
      throw new Error(`${path}: text after the end`);
    }
    if (header === undefined) header = JSON.parse(`${line}]}`) as H;
    else if (line === ']}') ended = true;
    else onRow(JSON.parse(line.endsWith(',') ? line.slice(0, -1) : line) as R);
  }
  if (header === undefined || !ended) throw new Error(`${path}: truncated`);
  return header;
}

export const markDirty = (files: CatalogueFiles): void => writeMarker(files.dirty);

/**
 * Returns the files it wrote. Rows are streamed: the file is never one string in memory. The
 * catalogue is saved with its generation only if the records folder still has it: if another
 * process gave the folder a new one during this run, the next run rebuilds the catalogue.
 */
export function saveCatalogue(files: CatalogueFiles, c: Catalogue, withRecords: boolean): string[] {
  const generation =
    c.generation !== null && readGeneration(files) === c.generation ? c.generation : null;
  writeLinesAtomic(files.inputs, inputLines(c, generation));
  const wrote = [files.inputs];
  if (withRecords) {
    writeLinesAtomic(files.records, recordLines(c, generation));
    wrote.push(files.records);
  }
  rmSync(files.dirty, { force: true });
  return wrote;
}

function* inputLines(c: Catalogue, generation: string | null): Generator<string> {
  // The corrupt records are here, in the file every run reads: each run reads them again (there
  // are few), so that a restored one is taken back at once.
  yield `{"version":${VERSION},"scannedAt":${c.scannedAt},"generation":${JSON.stringify(generation)},"corrupt":${JSON.stringify([...c.corrupt])},"rows":[`;
  let sep = '\n';
  for (const [path, e] of c.inputs) {
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
    if (e.issues.length > 0) row.push([...e.issues]);
    yield sep + JSON.stringify(row);
    sep = ',\n';
  }
  yield '\n]}\n';
}

function* recordLines(c: Catalogue, generation: string | null): Generator<string> {
  yield `{"version":${VERSION},"generation":${JSON.stringify(generation)},"rows":[`;
  let sep = '\n';
  for (const [path, r] of c.records) {
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
    yield sep + JSON.stringify(row);
    sep = ',\n';
  }
  yield '\n]}\n';
}

/** A stat no file has: the stored article it belongs to is read (and hashed) on the next run. */
export const UNKNOWN_STAT = { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0 } as const;

/**
 * Rebuild the catalogue from the records themselves (after a crash, on first use of an existing
 * archive, or when the catalogue is stale). Inputs get no stat, so each is read and hashed once
 * by the next step.
 *
 * Two live records of one article (the same stored file, or the same id: a record minted while
 * the article's own record was unreadable, and the original restored since) are both indexed;
 * the first archived keeps the article and the other goes to `superseded`, for the run to
 * withdraw. An unreadable record keeps its article: the stored file it names (read from what is
 * left of its text, else from `previous`, the last catalogue's rows) is tied to it, so that the
 * article waits for the record to be repaired instead of getting a second one.
 */
export function rebuildCatalogue(
  recordsDir: string,
  root: string,
  previous: () => ReadonlyMap<string, RecordEntry> = () => new Map(),
): Catalogue {
  const c = emptyCatalogue();
  const liveById = new Map<string, string>();
  for (const rel of listRecordFiles(recordsDir)) {
    const read = readRecord(recordsDir, rel, root);
    if ('issue' in read) {
      c.corrupt.set(rel, read.issue);
      continue;
    }
    const r = read.record;
    const entry = recordEntryOf(r, fingerprintOf(r));
    c.records.set(rel, entry);
    if (r.withdrawnAt !== null) continue;
    const rival = c.inputs.get(r.input.path)?.record ?? liveById.get(r.id);
    const other = rival ? c.records.get(rival) : undefined;
    if (rival && other) {
      const [winner, loser] = firstArchived(other, entry) ? [rival, rel] : [rel, rival];
      c.superseded.set(loser, winner);
      if (winner === rival) continue;
    }
    liveById.set(r.id, rel);
    c.inputs.set(r.input.path, {
      stat: UNKNOWN_STAT,
      sha256: r.input.sha256,
      record: rel,
      // After a crash: the records were made by this feedkeeper (an upgrade whose first run
      // was killed leaves some of older rules, normalized again on their next edit).
      normalizer: NORMALIZER_VERSION,
      issues: [],
    });
  }
  if (c.corrupt.size > 0) {
    let hints: ReadonlyMap<string, RecordEntry> | undefined;
    for (const rel of c.corrupt.keys()) {
      const input = salvageOwner(recordsDir, rel).input ?? (hints ??= previous()).get(rel)?.input;
      if (input === undefined || input === null || c.inputs.has(input)) continue;
      c.inputs.set(input, {
        stat: UNKNOWN_STAT,
        sha256: '',
        record: rel,
        normalizer: NORMALIZER_VERSION,
        issues: [],
      });
    }
  }
  return c;
}

export const listRecordFiles = (recordsDir: string): string[] =>
  walkFiles(recordsDir, (name) => name.endsWith('.json') && !name.startsWith('.'));

/**
 * Remove temp files a killed run left in a folder feedkeeper writes (records, out, state; never
 * a record itself): `.<name>.tmp-<digits>` (TEMP_FILE) where `<name>` is one feedkeeper writes
 * atomically there, a `.json` record or state file, the generation marker or a feed of OUTPUTS. A newsroom's own
 * `.notes.txt.tmp-1234` is left alone even in those folders.
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
      outputs.has(target)
    );
  };
  const temps = walkFiles(dir, ours);
  for (const rel of temps) rmSync(join(dir, rel), { force: true });
  return temps.length;
}

export type { InputEntry, RecordEntry };
