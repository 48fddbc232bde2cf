import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { TEMP_FILE, writeLinesAtomic, writeMarker } from '../io/atomic-write.js';
import { readLines } from '../io/read-lines.js';
import { walkFiles } from '../io/walk-files.js';
import type { Issue } from '../model/issue.js';
import { outputFiles } from '../model/outputs.js';
import { fingerprintOf } from '../normalize/fingerprint.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import {
  emptyCatalogue,
  recordEntryOf,
  type Catalogue,
  type InputEntry,
  type RecordEntry,
} from './catalogue.js';
import { readRecord } from './read-record.js';

/**
 * The catalogue on disk, in the state folder: `inputs.json` (read by every run) and
 * `records.json` (read only when something is to be archived or rendered). Rows are arrays,
 * not objects: at 100,000 articles this halves the bytes a no-change run parses.
 * `catalogue.dirty` exists while records are being written; if a run is killed, the next run
 * finds it and rebuilds the catalogue from the records.
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
}

export const catalogueFiles = (stateDir: string): CatalogueFiles => ({
  inputs: join(stateDir, 'inputs.json'),
  records: join(stateDir, 'records.json'),
  dirty: join(stateDir, 'catalogue.dirty'),
});

/** Loads inputs only; call loadRecordIndex() before anything that needs the records. */
export function loadCatalogue(files: CatalogueFiles): Catalogue | null {
  if (existsSync(files.dirty)) return null;
  try {
    const c = emptyCatalogue();
    const header = readRows<{ version: number; scannedAt: number }, InputRow | InputRowV1>(
      files.inputs,
      (row) => {
        const [path, size, mtimeMs, ctimeMs, ino, sha256, record, seventh, eighth] = row;
        const v1 = typeof seventh !== 'number';
        c.inputs.set(path, {
          stat: { size, mtimeMs, ctimeMs, ino },
          sha256,
          record,
          normalizer: v1 ? 1 : seventh,
          issues: (v1 ? seventh : eighth) ?? [],
        });
      },
    );
    if (!READABLE.has(header.version)) return null;
    c.scannedAt = header.scannedAt;
    return c;
  } catch {
    return null;
  }
}

/** Fill `c.records` from records.json; false if that file is missing or unreadable. */
export function loadRecordIndex(files: CatalogueFiles, c: Catalogue): boolean {
  try {
    const header = readRows<{ version: number; corrupt?: [string, Issue][] }, RecordRow>(
      files.records,
      (row) => {
        const [path, id, slug, publishedAt, updatedAt, withdrawn, fingerprint, input, meta] = row;
        c.records.set(path, {
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
    if (!READABLE.has(header.version)) {
      c.records.clear();
      return false;
    }
    for (const [path, issue] of header.corrupt ?? []) c.corrupt.set(path, issue);
    return true;
  } catch {
    c.records.clear();
    return false;
  }
}

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

/** Returns the files it wrote. Rows are streamed: the file is never one string in memory. */
export function saveCatalogue(files: CatalogueFiles, c: Catalogue, withRecords: boolean): string[] {
  writeLinesAtomic(files.inputs, inputLines(c));
  const wrote = [files.inputs];
  if (withRecords) {
    writeLinesAtomic(files.records, recordLines(c));
    wrote.push(files.records);
  }
  rmSync(files.dirty, { force: true });
  return wrote;
}

function* inputLines(c: Catalogue): Generator<string> {
  yield `{"version":${VERSION},"scannedAt":${c.scannedAt},"rows":[`;
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

function* recordLines(c: Catalogue): Generator<string> {
  yield `{"version":${VERSION},"corrupt":${JSON.stringify([...c.corrupt])},"rows":[`;
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

/**
 * Rebuild the catalogue from the records themselves (after a crash, or on first use of an
 * existing archive). Inputs get no stat, so each is read and hashed once by the next step.
 */
export function rebuildCatalogue(recordsDir: string, root: string): Catalogue {
  const c = emptyCatalogue();
  for (const rel of listRecordFiles(recordsDir)) {
    const read = readRecord(recordsDir, rel, root);
    if ('issue' in read) {
      c.corrupt.set(rel, read.issue);
      continue;
    }
    const r = read.record;
    c.records.set(rel, recordEntryOf(r, fingerprintOf(r)));
    if (r.withdrawnAt === null) {
      c.inputs.set(r.input.path, {
        stat: { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0 },
        sha256: r.input.sha256,
        record: rel,
        // After a crash: the records were made by this feedkeeper (an upgrade whose first run
        // was killed leaves some of older rules, normalized again on their next edit).
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
 * atomically there, a `.json` record or state file or a feed of OUTPUTS. A newsroom's own
 * `.notes.txt.tmp-1234` is left alone even in those folders.
 */
export function removeTempFiles(dir: string): number {
  const outputs = new Set(outputFiles());
  const ours = (name: string): boolean => {
    if (!TEMP_FILE.test(name)) return false;
    const target = name.slice(1, name.lastIndexOf('.tmp-'));
    return target.endsWith('.json') || outputs.has(target);
  };
  const temps = walkFiles(dir, ours);
  for (const rel of temps) rmSync(join(dir, rel), { force: true });
  return temps.length;
}

export type { InputEntry, RecordEntry };
