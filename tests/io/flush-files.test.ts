import type * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushFiles, SYNCFS_FROM } from '../../src/io/flush-files.js';

/**
 * How freshly written files are made durable: one fsync each for a few dozen (a run that adds
 * one article), one syncfs(2) (`sync -f`) for many, and fsync each when `sync -f` fails. The
 * calls are counted through mocks of node:child_process and node:fs.
 */
const calls = vi.hoisted(() => ({ spawn: [] as string[][], fsync: 0, syncFails: false }));

vi.mock('node:child_process', async (original) => {
  const real = await original<typeof childProcess>();
  return {
    ...real,
    spawnSync: ((command: string, args: readonly string[]) => {
      calls.spawn.push([command, ...args]);
      return { status: calls.syncFails ? 1 : 0 };
    }) as unknown as typeof real.spawnSync,
  };
});

vi.mock('node:fs', async (original) => {
  const real = await original<typeof fs>();
  return {
    ...real,
    fsyncSync: ((fd: number) => {
      calls.fsync++;
      real.fsyncSync(fd);
    }) as typeof real.fsyncSync,
  };
});

const root = fs.mkdtempSync(join(tmpdir(), 'feedkeeper-flush-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

function files(n: number): string[] {
  const dir = fs.mkdtempSync(join(root, 'f-'));
  return Array.from({ length: n }, (_, i) => {
    const path = join(dir, `${i}.html`);
    fs.writeFileSync(path, `page ${i}\n`);
    return path;
  });
}

beforeEach(() => {
  calls.spawn = [];
  calls.fsync = 0;
  calls.syncFails = false;
});

describe('flushFiles', () => {
  it('fsyncs each of a few dozen files and never waits on the whole file system', () => {
    const paths = files(SYNCFS_FROM - 1);
    flushFiles(root, paths);
    expect(calls.spawn).toEqual([]);
    expect(calls.fsync).toBe(SYNCFS_FROM - 1);
  });

  it('flushes many files with one `sync -f` of their folder', () => {
    const paths = files(SYNCFS_FROM);
    flushFiles(root, paths);
    expect(calls.spawn).toEqual([['sync', '-f', root]]);
    expect(calls.fsync).toBe(0);
  });

  it('fsyncs each file when `sync -f` fails', () => {
    calls.syncFails = true;
    const paths = files(SYNCFS_FROM + 1);
    flushFiles(root, paths);
    expect(calls.spawn).toHaveLength(1);
    expect(calls.fsync).toBe(SYNCFS_FROM + 1);
  });

  it('does nothing for no file', () => {
    flushFiles(root, []);
    expect(calls).toMatchObject({ spawn: [], fsync: 0 });
  });
});
