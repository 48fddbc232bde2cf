import type { RecordEntry } from './catalogue.js';
import { cutAll, type ChunkSummary } from './record-chunks.js';

/**
 * The records table as the render side reads it (docs/development.md, "Steps 3 to 5 after step
 * 2"): the root's summary of every chunk, and the rows of a chunk read only when asked. A run
 * that plans from the summaries and the changes reads a few chunks, not the archive; `read`
 * says which, so a test can count them (the measure of each step, not the time).
 */
export interface RecordChunks {
  /** Every chunk, in order (record-chunks.ts compareKeys of their first keys). */
  readonly chunks: readonly ChunkSummary[];
  /** The rows of `chunk`, in order: read on the first ask, then kept. */
  rows(chunk: ChunkSummary): readonly (readonly [string, RecordEntry])[];
  /** The names of the chunks read so far. */
  readonly read: ReadonlySet<string>;
}

/**
 * Rows held whole (a catalogue just rebuilt, a dry run's, a test's), cut as a save would cut
 * them: what a function of the chunks must agree with a function of every row on.
 */
export function chunksOfRows(records: Iterable<[string, RecordEntry]>, max?: number): RecordChunks {
  const plan = cutAll(records, max);
  const byName = new Map(plan.writes.map((w) => [w.name, w.rows]));
  const read = new Set<string>();
  return {
    chunks: plan.chunks,
    rows(chunk) {
      const rows = byName.get(chunk.name);
      if (rows === undefined) throw new Error(`no chunk ${chunk.name} in this table`);
      read.add(chunk.name);
      return rows;
    },
    read,
  };
}

/** Every row, in order, reading every chunk (what an inspection command may do). */
export function* allRows(view: RecordChunks): Generator<readonly [string, RecordEntry]> {
  for (const chunk of view.chunks) yield* view.rows(chunk);
}
