import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resultsInOrder } from '../../src/io/worker-pool.js';

/**
 * A worker in plain JavaScript speaking the pool's protocol (io/worker-pool.ts serveJobs): each
 * job writes a file, as copy-worker.js writes its temp files, after a delay that makes later
 * jobs finish first; job 5 fails.
 */
function workerFile(): { url: URL; made: string } {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pool-'));
  const made = join(dir, 'made');
  const file = join(dir, 'worker.mjs');
  writeFileSync(
    file,
    `import { writeFileSync, mkdirSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
mkdirSync(${JSON.stringify(made)}, { recursive: true });
parentPort.on('message', ({ id, job }) => {
  setTimeout(() => {
    if (job === 5) return parentPort.postMessage({ id, error: { message: 'job 5 failed' } });
    const path = ${JSON.stringify(made)} + '/' + job;
    writeFileSync(path, 'x');
    parentPort.postMessage({ id, result: path });
  }, (20 - job) * 3);
});
`,
  );
  return { url: pathToFileURL(file), made };
}

describe('the worker pool (io/worker-pool.ts)', () => {
  const jobs = Array.from({ length: 20 }, (_, i) => i);

  it('hands results back in the order of the jobs, whatever order they finish in', async () => {
    const { url } = workerFile();
    const got: string[] = [];
    for await (const path of resultsInOrder<number, string>(url, [0, 1, 2, 3, 4], {
      workers: 2,
      ahead: 4,
    }))
      got.push(path.slice(path.lastIndexOf('/') + 1));
    expect(got).toEqual(['0', '1', '2', '3', '4']);
  });

  it('a failing job stops the loop with its error; with `discard`, every file made is either consumed or discarded', async () => {
    const { url, made } = workerFile();
    const consumed: string[] = [];
    const discarded: string[] = [];
    await expect(
      (async () => {
        for await (const path of resultsInOrder<number, string>(url, jobs, {
          workers: 2,
          ahead: 8,
          perWorker: 4,
          discard: (path) => discarded.push(path),
        }))
          consumed.push(path);
      })(),
    ).rejects.toThrow('job 5 failed');
    // The failure stops the loop when it arrives (results before it may still be pending):
    // what was consumed is a prefix, in order.
    const names = consumed.map((p) => p.slice(p.lastIndexOf('/') + 1));
    expect(names).toEqual(['0', '1', '2', '3', '4'].slice(0, names.length));
    // Jobs before and after 5 were under way or done when it failed: none is lost.
    const files = readdirSync(made).map((f) => join(made, f));
    expect(new Set([...consumed, ...discarded])).toEqual(new Set(files));
    expect(discarded.length).toBeGreaterThan(0);
  });

  it('a consumer that stops early gets the rest discarded, and no worker writes after the loop', async () => {
    const { url, made } = workerFile();
    const consumed: string[] = [];
    const discarded: string[] = [];
    for await (const path of resultsInOrder<number, string>(url, jobs, {
      workers: 2,
      ahead: 6,
      discard: (path) => discarded.push(path),
    })) {
      consumed.push(path);
      if (consumed.length === 2) break;
    }
    const files = readdirSync(made).map((f) => join(made, f));
    expect(new Set([...consumed, ...discarded])).toEqual(new Set(files));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(readdirSync(made)).toHaveLength(files.length);
    expect(existsSync(join(made, '19'))).toBe(false);
  });

  it('a failed job is thrown when the consumer reaches it, after every result before it', async () => {
    // Job 5 fails at once, the others answer after 50 ms: its error comes back first.
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pool-'));
    const file = join(dir, 'fails-first.mjs');
    writeFileSync(
      file,
      `import { parentPort } from 'node:worker_threads';
parentPort.on('message', ({ id, job }) =>
  setTimeout(
    () => parentPort.postMessage(job === 5 ? { id, error: { message: 'job 5 failed' } } : { id, result: job }),
    job === 5 ? 0 : 50,
  ),
);
`,
    );
    const got: number[] = [];
    let error: Error | undefined;
    try {
      for await (const n of resultsInOrder<number, number>(pathToFileURL(file), jobs.slice(0, 10), {
        workers: 2,
        ahead: 10,
        perWorker: 10,
      }))
        got.push(n);
    } catch (e) {
      error = e as Error;
    }
    expect(got).toEqual([0, 1, 2, 3, 4]);
    expect(error?.message).toBe('job 5 failed');
  });
});
