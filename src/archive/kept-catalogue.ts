import { existsSync } from 'node:fs';
import { statStamp } from '../io/stat-stamp.js';
import { changedKeys } from '../model/change-map.js';
import type { Catalogue } from './catalogue.js';
import { readGeneration, type CatalogueFiles } from './catalogue-file.js';

/**
 * The catalogue a long-running `feedkeeper schedule` keeps between its runs (issue 15: "the
 * catalogue kept in memory"), so that a tick with work reads none of it: at 100,000 articles
 * reading `inputs.json` and `records.json` was 0.9 s of a 3.4 s run with one new article.
 *
 * It stays derived data, trusted only while it is exactly what its files hold: kept after a
 * run that saved it (no change left unsaved), taken back only if none of its four files
 * changed since (inode, size and mtime: a save by another run, `build` or a restored state
 * folder, renames or appends), the records folder has the same generation and no run left it
 * dirty. Taken out of memory for the run that uses it, and kept again only once that run is
 * done: a run that fails halfway leaves nothing kept, and the next reads the files.
 */
export interface RunMemory {
  kept: {
    readonly catalogue: Catalogue;
    readonly files: CatalogueFiles;
    readonly stamp: string;
  } | null;
}

const stampOf = (f: CatalogueFiles): string =>
  [f.inputs, f.inputsJournal, f.records, f.recordsJournal].map(statStamp).join('|');

const sameFiles = (a: CatalogueFiles, b: CatalogueFiles): boolean =>
  a.inputs === b.inputs && a.records === b.records && a.generation === b.generation;

/** The kept catalogue if it is still what `files` hold, else null; either way none is kept. */
export function takeKept(memory: RunMemory | undefined, files: CatalogueFiles): Catalogue | null {
  const kept = memory?.kept ?? null;
  if (memory) memory.kept = null;
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
export function keep(memory: RunMemory | undefined, files: CatalogueFiles, c: Catalogue): void {
  if (memory === undefined) return;
  const whole =
    c.saved?.inputs != null &&
    c.saved.records !== null &&
    c.generation !== null &&
    c.superseded.size === 0 &&
    changedKeys(c.inputs)?.size === 0 &&
    changedKeys(c.records)?.size === 0;
  memory.kept = whole ? { catalogue: c, files, stamp: stampOf(files) } : null;
}
