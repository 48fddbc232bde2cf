import { changedKeys } from '../model/change-map.js';
import type { Catalogue, RecordEntry } from './catalogue.js';
import { readChunk, type CatalogueFiles } from './catalogue-file.js';
import type { ChunkSummary } from './record-chunks.js';
import type { RecordChunks } from './record-view.js';

/**
 * A chunk of the records table whose files are not as the root names them (another stamp,
 * another count of rows, unreadable): the run cannot trust the chunks, and rebuilds the
 * catalogue from the records (pipeline/run.ts), as a load that finds one does
 * (catalogue-file.ts, loadRecordIndex).
 */
export class RecordChunkError extends Error {
  constructor(readonly chunk: string) {
    super(
      `the records' chunk ${chunk} is not as the catalogue's root (records.json) names it: the catalogue is rebuilt from the records`,
    );
  }
}

/**
 * The records table of `c` as its files hold it, read a chunk at a time (RecordChunks), or
 * null when its files do not hold exactly its rows: a catalogue never saved (rebuilt in
 * memory), saved before chunks, or with rows changed since it was saved or read (a dry run's
 * changes, which are never saved). Its root is the one the catalogue was saved with or read
 * from (`saved.recordChunks`): every chunk read is checked against the stamp and the count of
 * rows the root names, and one that is not as named throws RecordChunkError.
 */
export function savedRecordChunks(files: CatalogueFiles, c: Catalogue): RecordChunks | null {
  const chunks = c.saved?.recordChunks ?? null;
  if (chunks === null || changedKeys(c.records)?.size !== 0) return null;
  const named = new Map(chunks.map((chunk) => [chunk.name, chunk]));
  const kept = new Map<string, readonly [string, RecordEntry][]>();
  const read = new Set<string>();
  return {
    chunks,
    rows(chunk: ChunkSummary) {
      const known = kept.get(chunk.name);
      if (known !== undefined) return known;
      const stored = named.get(chunk.name);
      const got = stored === undefined ? null : readChunk(files, stored);
      if (got === null) throw new RecordChunkError(chunk.name);
      const rows = [...got.rows];
      kept.set(chunk.name, rows);
      read.add(chunk.name);
      return rows;
    },
    read,
  };
}
