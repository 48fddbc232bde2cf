import { parentPort } from 'node:worker_threads';
import { writeFileAtomicAsync } from './atomic-write.js';

/**
 * The worker thread of WritePool. Jobs run at once (the pool bounds how many are queued), so
 * their fsyncs overlap on libuv's threads; two jobs for one path run in the order they came.
 * Each answers with its id. Folders are synced once by the pool at the end of the run.
 */
export interface WriteJob {
  readonly id: number;
  readonly path: string;
  readonly bytes: Uint8Array;
}

export type WriteDone =
  | { readonly id: number; readonly wrote: boolean }
  | { readonly id: number; readonly error: { message: string; code?: string; path?: string } };

/** The last job queued per path, so that the next one for that path waits for it. */
const tails = new Map<string, Promise<unknown>>();

parentPort?.on('message', (job: WriteJob) => {
  const run = (tails.get(job.path) ?? Promise.resolve())
    .then(() => writeFileAtomicAsync(job.path, job.bytes))
    .then(
      (wrote): WriteDone => ({ id: job.id, wrote }),
      (error: NodeJS.ErrnoException): WriteDone => ({
        id: job.id,
        error: { message: error.message, code: error.code, path: error.path },
      }),
    )
    .then((done) => {
      if (tails.get(job.path) === run) tails.delete(job.path);
      parentPort?.postMessage(done);
    });
  tails.set(job.path, run);
});
