import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { watchFolders } from '../../src/io/watch-folders.js';

/** The folder watch (io/watch-folders.ts): events by root, new folders, what it cannot see. */
const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});
const tempDir = (): string => {
  const d = mkdtempSync(join(tmpdir(), 'feedkeeper-watch-'));
  made.push(d);
  return d;
};
/** Two turns of the event loop: the events the kernel queued have been delivered. */
const settle = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

describe('watchFolders', () => {
  it('tells which root changed, follows new sub-folders, drops removed ones, stops on close', async () => {
    const dir = tempDir();
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    mkdirSync(a);
    mkdirSync(b);
    const seen: number[] = [];
    const w = watchFolders([a, b], (root) => seen.push(root));
    expect(w.folders()).toBe(2);
    writeFileSync(join(b, 'x.txt'), 'x');
    await settle();
    expect(seen.length).toBeGreaterThan(0);
    expect(new Set(seen)).toEqual(new Set([1]));

    mkdirSync(join(a, 'new', 'deeper'), { recursive: true });
    await settle();
    expect(w.folders()).toBe(4);
    seen.length = 0;
    writeFileSync(join(a, 'new', 'deeper', 'y.txt'), 'y');
    await settle();
    expect(seen).toContain(0);

    rmSync(join(a, 'new'), { recursive: true });
    await settle();
    expect(w.folders()).toBe(2);
    expect(w.problem()).toBeNull();

    w.close();
    seen.length = 0;
    writeFileSync(join(a, 'z.txt'), 'z');
    await settle();
    expect(seen).toEqual([]);
  });

  it('says when a root is replaced, removed or appears; adoptNewRoots watches one that appeared', async () => {
    const dir = tempDir();
    const a = join(dir, 'a');
    const later = join(dir, 'later');
    mkdirSync(a);
    const seen: number[] = [];
    const w = watchFolders([a, later], (root) => seen.push(root));
    expect(w.problem()).toBeNull(); // absent from the start is not a problem
    mkdirSync(later);
    expect(w.problem()).toMatch(/later appeared since the watch started/);
    w.adoptNewRoots();
    expect(w.problem()).toBeNull();
    writeFileSync(join(later, 'x.txt'), 'x');
    await settle();
    expect(seen).toContain(1);

    renameSync(a, join(dir, 'a.old'));
    expect(w.problem()).toMatch(/a is gone/);
    mkdirSync(a);
    expect(w.problem()).toMatch(/a was replaced/);
    w.close();
  });
});
