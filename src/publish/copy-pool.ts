import { rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { CopyDone, CopyJob } from './copy-worker.js';
import { makeCopies, type CopyTemps } from './make-copies.js';

/** From this many files, their copies are made on worker threads. */
export const COPY_WORKERS_FROM = 64;

/**
 * The copies of every file in `paths` (makeCopies: read, compress, write the temp files), in
 * the order of `paths`. A run that publishes a few files makes them on this thread; one that
 * publishes many (a cold build: 10,000 pages) hands them to up to two worker threads, which
 * read, compress and write on the other core while this thread waits or works. Needs the
 * compiled copy-worker.js, so under a TypeScript loader (the tests) they are made here.
 * On a failure, every temp file made is removed and the first error is thrown.
 */
export async function makeAllCopies(paths: readonly string[]): Promise<(CopyTemps | null)[]> {
  const compiled = import.meta.url.endsWith('.js');
  if (paths.length < COPY_WORKERS_FROM || !compiled) return paths.map((p) => makeCopies(p));
  const results: (CopyTemps | null)[] = paths.map(() => null);
  const count = Math.max(1, Math.min(2, availableParallelism()));
  const workers = Array.from(
    { length: count },
    () =>
      // No heap limit: a month page of 100,000 articles is 70 MB.
      new Worker(new URL('./copy-worker.js', import.meta.url)),
  );
  let next = 0;
  let failure: Error | null = null;
  try {
    await Promise.all(
      workers.map(
        (worker) =>
          new Promise<void>((resolve) => {
            let inFlight = 0;
            const send = (): void => {
              // A few jobs queued per worker, so it never waits for this thread.
              while (inFlight < 4 && next < paths.length && failure === null) {
                const job: CopyJob = { id: next, path: paths[next] as string };
                next++;
                inFlight++;
                worker.postMessage(job);
              }
              if (inFlight === 0) resolve();
            };
            worker.on('message', (done: CopyDone) => {
              inFlight--;
              if ('error' in done)
                failure ??= Object.assign(new Error(done.error.message), done.error);
              else results[done.id] = done.temps;
              send();
            });
            // A worker that dies answers no more: the others stop sending, the run fails.
            worker.on('error', (error) => {
              failure ??= error;
              resolve();
            });
            send();
          }),
      ),
    );
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  if (failure !== null) {
    for (const t of results)
      for (const tmp of [t?.gzip, t?.br]) if (tmp) rmSync(tmp, { force: true });
    throw failure as Error;
  }
  return results;
}
