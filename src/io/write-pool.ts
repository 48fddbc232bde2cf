import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDir, tempPathFor } from './atomic-write.js';

/**
 * Atomic writes (temp file, fsync, rename: see atomic-write.ts) run a few at a time on libuv's
 * thread pool. Creating and syncing a file costs 0.2 to 1 ms of waiting on this kind of disk; a
 * cold build of 10,000 records spent most of its time there, one file after another.
 */
export class WritePool {
  private readonly inFlight = new Set<Promise<void>>();
  private readonly dirs = new Set<string>();
  private readonly queued = new Map<string, string>();
  private failure: unknown = null;
  readonly written: string[] = [];

  constructor(private readonly limit = 8) {}

  /** Queue a write; resolves when there is room for the next one (not when this one is done). */
  async write(path: string, text: string): Promise<void> {
    this.rethrow();
    while (this.inFlight.size >= this.limit) await Promise.race(this.inFlight);
    this.queued.set(path, text);
    const job = this.writeOne(path, Buffer.from(text, 'utf8'))
      .catch((error: unknown) => {
        this.failure ??= error;
      })
      .finally(() => {
        this.inFlight.delete(job);
        if (this.queued.get(path) === text) this.queued.delete(path);
      });
    this.inFlight.add(job);
  }

  /** The text queued for `path` and not yet on disk: read it from here, not from the file. */
  pending(path: string): string | undefined {
    return this.queued.get(path);
  }

  /** Wait for every queued write, then make the new names durable (one fsync per folder). */
  async drain(): Promise<void> {
    await Promise.all(this.inFlight);
    this.rethrow();
    for (const dir of this.dirs) syncDir(dir);
  }

  private async writeOne(path: string, bytes: Buffer): Promise<void> {
    const dir = dirname(path);
    const old = await readFile(path).catch(() => null);
    if (old !== null && old.equals(bytes)) return;
    if (!this.dirs.has(dir)) await mkdir(dir, { recursive: true });
    this.dirs.add(dir);
    const tmp = tempPathFor(path);
    const fh = await open(tmp, 'w', 0o644);
    try {
      await fh.writeFile(bytes);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    }
    this.written.push(path);
  }

  private rethrow(): void {
    if (this.failure !== null) throw this.failure;
  }
}
