import { parentPort } from 'node:worker_threads';
import { makeCopies, type CopyTemps } from './make-copies.js';

/**
 * The worker thread of precompress() (copy-pool.ts): for each published file it is sent, reads
 * it, compresses it and writes the copies' temp files, and answers with their names.
 */
export interface CopyJob {
  readonly id: number;
  readonly path: string;
}

export type CopyDone =
  | { readonly id: number; readonly temps: CopyTemps }
  | {
      readonly id: number;
      readonly error: { message: string; code?: string; path?: string };
    };

parentPort?.on('message', (job: CopyJob) => {
  let done: CopyDone;
  try {
    done = { id: job.id, temps: makeCopies(job.path) };
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    done = {
      id: job.id,
      error: {
        message: e.message,
        ...(e.code ? { code: e.code } : {}),
        ...(e.path ? { path: e.path } : {}),
      },
    };
  }
  parentPort?.postMessage(done);
});
