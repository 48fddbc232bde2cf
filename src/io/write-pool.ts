import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { syncDir, writeFileAtomic } from './atomic-write.js';
import type { WriteDone, WriteJob } from './write-worker.js';

/**
 * Atomic writes of many records (writeFileAtomic: temp file, fsync, rename). A run that writes
 * a few files writes them on this thread. A run that writes many (a cold build, a mass
 * revision) hands them to a worker thread: each costs 0.25 ms of waiting on the disk
 * (fsync), 2.5 s per 10,000 records, which the worker spends on the second core while this
 * thread normalizes the next articles.
 */
export class WritePool {
  private readonly worker: Worker | null;
  /** Queued job ids → their paths. Only paths: holding the texts until the worker answers kept
   * them alive across garbage collections, and V8 then grew the heap by 100 MB on a cold build. */
  private readonly queued = new Map<number, string>();
  /** How many queued jobs each path has. */
  private readonly perPath = new Map<string, number>();
  private readonly dirs = new Set<string>();
  private nextId = 0;
  /** Who waits for an answer from the worker (room in the queue, a path, the end). */
  private waiters: (() => void)[] = [];
  private failure: Error | null = null;
  readonly written: string[] = [];

  /**
   * `expected`: how many writes the run may make. The worker pays off from a few dozen; it needs
   * the compiled write-worker.js, so under a TypeScript loader (the tests) writes stay here.
   */
  constructor(
    expected: number,
    private readonly limit = 64,
  ) {
    const compiled = import.meta.url.endsWith('.js');
    this.worker =
      expected >= WORKER_FROM && compiled
        ? new Worker(new URL('./write-worker.js', import.meta.url), {
            // It holds at most `limit` texts and allocates little: a small heap is plenty.
            resourceLimits: { maxOldGenerationSizeMb: 32, maxYoungGenerationSizeMb: 8 },
          })
        : null;
    this.worker?.on('message', (done: WriteDone) => this.settle(done));
    this.worker?.on('error', (error) => this.fail(error));
    // Idle, the worker does not keep the process alive: a run that stops on an error before
    // drain() (which terminates it) still exits. It is held while writes are queued, so that
    // waiting for them keeps the process up.
    this.worker?.unref();
  }

  /** Queue a write; resolves when there is room for the next one (not when this one is done). */
  async write(path: string, text: string): Promise<void> {
    this.rethrow();
    if (this.worker === null) {
      if (writeFileAtomic(path, text, { syncDir: false })) this.wrote(path);
      return;
    }
    while (this.queued.size >= this.limit && this.failure === null)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.rethrow();
    // Encoded here into a buffer of its own and handed over, not copied: the worker gets it
    // without a clone, and this thread's heap never holds the text beyond this call.
    const bytes = new TextEncoder().encode(text);
    const job: WriteJob = { id: this.nextId++, path, bytes };
    if (this.queued.size === 0) this.worker.ref();
    this.queued.set(job.id, path);
    this.perPath.set(path, (this.perPath.get(path) ?? 0) + 1);
    this.worker.postMessage(job, [bytes.buffer]);
  }

  /** Wait until every queued write to `path` is on disk: read it after this. */
  async settled(path: string): Promise<void> {
    while (this.perPath.has(path) && this.failure === null)
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    this.rethrow();
  }

  /** Wait for every queued write, then make the new names durable (one fsync per folder). */
  async drain(): Promise<void> {
    if (this.worker !== null) {
      while (this.queued.size > 0 && this.failure === null)
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      await this.worker.terminate();
    }
    this.rethrow();
    for (const dir of this.dirs) syncDir(dir);
  }

  private settle(done: WriteDone): void {
    const path = this.queued.get(done.id);
    this.queued.delete(done.id);
    if (this.queued.size === 0) this.worker?.unref();
    if (path !== undefined) {
      const left = (this.perPath.get(path) ?? 1) - 1;
      if (left === 0) this.perPath.delete(path);
      else this.perPath.set(path, left);
    }
    if ('error' in done) this.fail(Object.assign(new Error(done.error.message), done.error));
    else if (done.wrote && path !== undefined) this.wrote(path);
    this.wake();
  }

  private wrote(path: string): void {
    this.written.push(path);
    this.dirs.add(dirname(path));
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }

  private rethrow(): void {
    if (this.failure !== null) {
      void this.worker?.terminate();
      throw this.failure;
    }
  }
}

/** From this many expected writes, a worker thread writes them. */
export const WORKER_FROM = 64;
