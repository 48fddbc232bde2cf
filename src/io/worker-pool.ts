import type { FsFailure } from './atomic-write.js';
import { availableParallelism } from 'node:os';
import { parentPort, Worker } from 'node:worker_threads';

/**
 * Independent jobs run on worker threads, their results handed back in the order of the jobs:
 * the caller consumes them exactly as it would have computed them one by one on this thread,
 * so what it decides from them (and in which order it reports) does not change.
 *
 * Jobs are pulled from `jobs` only when there is room (at most `ahead` sent and not yet
 * consumed), so a caller that reads state when it builds a job sees that state as late as it
 * can, and results never pile up faster than they are consumed (memory stays bounded).
 * Stopping early (a `break` or a throw in the consumer's loop) stops the workers; the
 * generator's cleanup waits until they are gone, so none still writes once it returns. A
 * caller whose jobs leave something behind (files) gives `discard`: the jobs under way are then
 * let finish before the workers stop, and every result made but not consumed goes to it.
 */
export async function* resultsInOrder<J, R>(
  url: URL,
  jobs: Iterable<J>,
  opts: {
    readonly workers: number;
    readonly ahead: number;
    /**
     * Jobs queued per worker (default 2: it never waits for this thread between two jobs). A
     * caller that will keep this thread busy meanwhile (its event loop cannot send more) queues
     * them all at the start, each worker then taking its share.
     */
    readonly perWorker?: number;
    /** Takes each result made but never consumed, when the loop stops early. */
    readonly discard?: (result: R) => void;
  },
): AsyncGenerator<R, void, undefined> {
  const source = jobs[Symbol.iterator]();
  const perWorker = opts.perWorker ?? 2;
  const workers = Array.from({ length: opts.workers }, () => new Worker(url));
  const inFlight = workers.map(() => 0);
  const dead = workers.map(() => false);
  const results = new Map<number, R>();
  let sent = 0;
  let consumed = 0;
  let exhausted = false;
  let closing = false;
  /** A worker that died: the loop stops at once. */
  let failure: Error | null = null;
  /**
   * Jobs that threw, by id: thrown when the consumer reaches them, as computing the jobs one by
   * one would. Thrown at once, a later job's error overtook the results before it (which the
   * consumer would have had), depending on which worker was faster.
   */
  const failed = new Map<number, Error>();
  let wake: (() => void) | null = null;
  const fill = (): void => {
    while (
      !exhausted &&
      !closing &&
      failure === null &&
      failed.size === 0 &&
      sent - consumed < opts.ahead
    ) {
      let w = 0;
      for (let i = 1; i < inFlight.length; i++) if ((inFlight[i] ?? 0) < (inFlight[w] ?? 0)) w = i;
      if ((inFlight[w] ?? perWorker) >= perWorker) return;
      const next = source.next();
      if (next.done === true) {
        exhausted = true;
        return;
      }
      inFlight[w] = (inFlight[w] ?? 0) + 1;
      workers[w]?.postMessage({ id: sent++, job: next.value } satisfies JobMessage<J>);
    }
  };
  workers.forEach((worker, i) => {
    worker.on('message', (m: DoneMessage<R>) => {
      inFlight[i] = (inFlight[i] ?? 1) - 1;
      if ('error' in m) failed.set(m.id, Object.assign(new Error(m.error.message), m.error));
      else results.set(m.id, m.result);
      fill();
      wake?.();
    });
    // A worker that dies answers no more: the run fails with its error.
    worker.on('error', (error) => {
      failure ??= error;
      dead[i] = true;
      wake?.();
    });
    worker.on('exit', (code) => {
      if (!closing) failure ??= new Error(`a worker thread stopped unexpectedly (exit ${code})`);
      dead[i] = true;
      wake?.();
    });
  });
  try {
    fill();
    for (;;) {
      if (failure !== null) throw failure as Error;
      const thrown = failed.get(consumed);
      if (thrown !== undefined) throw thrown;
      if (results.has(consumed)) {
        const result = results.get(consumed) as R;
        results.delete(consumed);
        consumed++;
        fill();
        yield result;
      } else if (exhausted && consumed === sent) return;
      else await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
    }
  } finally {
    closing = true;
    const { discard } = opts;
    if (discard !== undefined) {
      const busy = (): boolean => workers.some((_, i) => !dead[i] && (inFlight[i] ?? 0) > 0);
      while (busy()) await new Promise<void>((resolve) => (wake = resolve));
      wake = null;
      for (const result of results.values()) discard(result);
      results.clear();
    }
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

/**
 * How many worker threads a pool may start (0: none, do the work on this thread). Workers need
 * the compiled .js files: under a TypeScript loader (the tests run src/) there are none, and
 * `FEEDKEEPER_WORKERS=0` turns them off (to compare outputs with the one-thread path, or on a
 * machine where threads cost more than they bring). `callerUrl`: the import.meta.url of the
 * module that starts them, next to its worker file.
 */
export function workerCount(callerUrl: string): number {
  if (!callerUrl.endsWith('.js') || process.env['FEEDKEEPER_WORKERS'] === '0') return 0;
  // Two at most: a run is mostly this thread's work, and the machine's other cores are
  // usually someone else's (a cron job shares a server).
  return Math.max(1, Math.min(2, availableParallelism()));
}

/** The worker's side: answer each job with `handle(job)`, or with the error it threw. */
export function serveJobs<J, R>(handle: (job: J) => R): void {
  parentPort?.on('message', (m: JobMessage<J>) => {
    let done: DoneMessage<R>;
    try {
      done = { id: m.id, result: handle(m.job) };
    } catch (error) {
      const e = error as FsFailure;
      done = {
        id: m.id,
        error: {
          message: e.message,
          ...(e.stack ? { stack: e.stack } : {}),
          ...(e.code ? { code: e.code } : {}),
          ...(e.path ? { path: e.path } : {}),
          ...(e.stagedIn ? { stagedIn: e.stagedIn } : {}),
        },
      };
    }
    parentPort?.postMessage(done);
  });
}

interface JobMessage<J> {
  readonly id: number;
  readonly job: J;
}

type DoneMessage<R> =
  | { readonly id: number; readonly result: R }
  | {
      readonly id: number;
      readonly error: {
        message: string;
        stack?: string;
        code?: string;
        path?: string;
        stagedIn?: string;
      };
    };
