import { existsSync } from 'node:fs';
import { statStamp } from '../io/stat-stamp.js';
import { changedKeys } from '../model/change-map.js';
import type { Catalogue } from './catalogue.js';
import { readGeneration, type CatalogueFiles } from './catalogue-file.js';

/**
 * The catalogue a service keeps between its runs (pipeline/run-memory.ts). Trusted only while
 * it is exactly what its files hold: kept after a run that saved it (no change left unsaved),
 * taken back only if none of its six files changed since (inode, size and mtime: a save by
 * another run, `build` or a restored state folder, renames or appends), the records folder
 * has the same generation and no run left it dirty.
 */
export interface KeptCatalogue {
  readonly catalogue: Catalogue;
  readonly files: CatalogueFiles;
  readonly stamp: string;
}

/** Where a run finds it: its RunMemory (pipeline/run-memory.ts), or nothing. */
type Memory = { keptCatalogue: KeptCatalogue | null } | undefined;

// The records' chunks (records/, archive/catalogue-file.ts) need no stat of their own: every
// save of a chunk writes a line to the records root, whose stamp this is. A chunk's file put
// back by hand alone is found by the next save that touches it (not at the root's stamp: every
// chunk is written anew from the rows in memory).
const stampOf = (f: CatalogueFiles): string =>
  [f.inputs, f.inputsJournal, f.records, f.recordsJournal, f.keys, f.keysJournal]
    .map(statStamp)
    .join('|');

const sameFiles = (a: CatalogueFiles, b: CatalogueFiles): boolean =>
  a.inputs === b.inputs && a.records === b.records && a.generation === b.generation;

/** The kept catalogue if it is still what `files` hold, else null; either way none is kept. */
export function takeKept(memory: Memory, files: CatalogueFiles): Catalogue | null {
  const kept = memory?.keptCatalogue ?? null;
  if (memory) memory.keptCatalogue = null;
  if (
    kept === null ||
    !sameFiles(kept.files, files) ||
    existsSync(files.dirty) ||
    stampOf(files) !== kept.stamp ||
    readGeneration(files) !== kept.catalogue.generation
  )
    return null;
  return kept.catalogue;
}

/**
 * Keep `c` for the next run if it is what its files hold: read or saved with its records, and
 * no change left unsaved (a dry run's changes are never saved).
 */
export function keep(memory: Memory, files: CatalogueFiles, c: Catalogue): void {
  if (memory === undefined) return;
  const whole =
    c.saved?.inputs != null &&
    c.saved.records !== null &&
    c.generation !== null &&
    c.superseded.size === 0 &&
    c.inputs.changes() === 0 &&
    changedKeys(c.records)?.size === 0;
  memory.keptCatalogue = whole ? { catalogue: c, files, stamp: stampOf(files) } : null;
}
