import { rmSync } from 'node:fs';
import { resultsInOrder, workerCount } from '../io/worker-pool.js';
import type { EncodeAhead } from './encode-ahead.js';
import type { CopyTemps } from './make-copies.js';
import { makeProvenCopies, type ProvenCopies } from './prove-copies.js';

/** From this many files, their copies are made on worker threads. */
export const COPY_WORKERS_FROM = 64;

/**
 * The copies of every file in `paths` (makeCopies: read, compress, write the temp files; each
 * then decoded and compared with its file: prove-copies.ts), in the order of `paths`. A run that publishes a few files makes them on this thread; one that
 * publishes many (a cold build: 10,000 pages) hands them to the worker pool (io/worker-pool.ts),
 * whose threads read, compress and write on the other core while this thread waits or works.
 * On this thread, the encodings begun in `ahead` (encode-ahead.ts) are taken for the files that
 * hold the bytes they were begun from.
 * On a failure, every temp file made is removed (those of the jobs under way too: the pool lets
 * them finish and hands them back) and the first error is thrown.
 */
export async function makeAllCopies(
  paths: readonly string[],
  ahead?: EncodeAhead,
): Promise<ProvenCopies[]> {
  const workers = paths.length < COPY_WORKERS_FROM ? 0 : workerCount(import.meta.url);
  if (workers === 0) {
    const early = ahead === undefined ? new Map() : await ahead.settled();
    return paths.map((p) => makeProvenCopies(p, early.get(p)));
  }
  const made: ProvenCopies[] = [];
  try {
    for await (const temps of resultsInOrder<string, ProvenCopies>(
      new URL('./copy-worker.js', import.meta.url),
      paths,
      // A few jobs queued per worker, so that it never waits for this thread.
      { workers, ahead: 8 * workers, perWorker: 4, discard: removeTemps },
    ))
      made.push(temps);
  } catch (error) {
    made.forEach(removeTemps);
    throw error;
  }
  return made;
}

function removeTemps(t: CopyTemps): void {
  for (const tmp of [t.gzip, t.br]) if (tmp !== null) rmSync(tmp, { force: true });
}
