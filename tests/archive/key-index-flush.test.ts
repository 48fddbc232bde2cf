import type * as childProcess from 'node:child_process';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { keyIndexOf, RecordRows } from '../../src/archive/key-index.js';
import { attachKeyIndex, saveKeyIndex } from '../../src/archive/key-index-file.js';

/**
 * An index written whole (a rebuilt catalogue, a first build: 256 bucket snapshots) is made
 * durable by one flush before its root names the buckets, not by a fsync per file, which
 * doubled the first save of a 500-article catalogue. Counted through mocks of node:fs and
 * node:child_process, as tests/io/flush-files.test.ts does.
 */
const calls = vi.hoisted(() => ({ spawn: [] as string[][], fsync: 0 }));

vi.mock('node:child_process', async (original) => {
  const real = await original<typeof childProcess>();
  return {
    ...real,
    spawnSync: ((command: string, args: readonly string[]) => {
      calls.spawn.push([command, ...args]);
      return { status: 0 };
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

const root = fs.mkdtempSync(join(tmpdir(), 'feedkeeper-keys-flush-'));
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('the index by key written whole', () => {
  it('is flushed once before its root, and reads back', () => {
    const files = {
      keys: join(root, 'keys.json'),
      keysJournal: join(root, 'keys.journal'),
      keysDir: join(root, 'keys'),
    };
    const records = new RecordRows();
    for (let i = 0; i < 1_000; i++)
      records.set(`2026/11/s-${i}.json`, {
        id: `tag:x,2026-11-25:s-${i}`,
        slug: `s-${i}`,
        publishedAt: '2026-11-25T08:00:00Z',
        updatedAt: '2026-11-25T08:00:00Z',
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: i.toString(16).padStart(64, 'f'),
        input: `a/s-${i}.txt`,
      });
    const wrote: string[] = [];
    saveKeyIndex(files, records, 'g', 'stamp', wrote);
    expect(wrote.filter((f) => f.startsWith(join(files.keysDir, '/')))).toHaveLength(256);
    // One syncfs of the buckets' file system; fsyncs only for the folder and the root.
    expect(calls.spawn).toEqual([['sync', '-f', files.keysDir]]);
    expect(calls.fsync).toBeLessThan(8);

    const again = new RecordRows();
    for (const [path, r] of records) again.put(path, r);
    attachKeyIndex(files, again, 'stamp', 'g');
    expect(keyIndexOf(again).holders('slug', 's-999')).toEqual(['2026/11/s-999.json']);
    expect(keyIndexOf(again).root).not.toBeNull();
  });
});
