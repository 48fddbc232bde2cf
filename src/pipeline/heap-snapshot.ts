import { writeHeapSnapshot } from 'node:v8';

/**
 * For the bench (bench/heap-holders.ts): with `FEEDKEEPER_HEAP_SNAPSHOT=<file>`, the main
 * thread's heap is written to that file once the run has rendered and proven every output, and
 * before it publishes: the moment a cold build holds the most (everything read, rendered and
 * planned), so that the bench can say what holds its memory (issue 15: "says by how much it is
 * missed and why"). Unset, as in every real run, it costs one lookup.
 */
export function snapshotHeapIfAsked(): void {
  const file = process.env['FEEDKEEPER_HEAP_SNAPSHOT'];
  if (file !== undefined && file !== '') writeHeapSnapshot(file);
}
