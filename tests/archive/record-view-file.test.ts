import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogueFiles,
  chunkTable,
  loadCatalogue,
  loadRecordIndex,
  newGeneration,
  saveCatalogue,
} from '../../src/archive/catalogue-file.js';
import {
  emptyCatalogue,
  type Catalogue,
  type RecordEntry,
  type StoredChunk,
} from '../../src/archive/catalogue.js';
import { RecordChunkError, savedRecordChunks } from '../../src/archive/record-view-file.js';
import { allRows } from '../../src/archive/record-view.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-view-'));

const row = (publishedAt: string, id: string): RecordEntry => ({
  id,
  slug: id,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn: false,
  withdrawnAt: null,
  fingerprint: `f-${id}`,
  input: `articles/${id}.txt`,
});

/** 600 records over two months, saved as a run saves them, and read back as the next run does. */
function savedAndRead(): { files: ReturnType<typeof catalogueFiles>; c: Catalogue } {
  const files = catalogueFiles(dir(), dir());
  const c = emptyCatalogue();
  c.generation = newGeneration(files);
  for (let i = 0; i < 600; i++) {
    const t = new Date(Date.UTC(2026, 9, 20) + i * 7_200_000).toISOString().replace('.000', '');
    c.records.set(`${t.slice(0, 4)}/${t.slice(5, 7)}/r${i}.json`, row(t, `id-${i}`));
  }
  saveCatalogue(files, c, true);
  const read = loadCatalogue(files)!;
  expect(loadRecordIndex(files, read)).toBe(true);
  return { files, c: read };
}

describe('savedRecordChunks: the records table as its files hold it', () => {
  it('gives the rows of the catalogue, a chunk at a time, reading only the chunks asked for', () => {
    const { files, c } = savedAndRead();
    const view = savedRecordChunks(files, c)!;
    expect(view.chunks.length).toBeGreaterThan(3);
    const newest = view.chunks.at(-1)!;
    expect(view.rows(newest).length).toBe(newest.rows);
    expect(view.rows(newest)).toBe(view.rows(newest));
    expect([...view.read]).toEqual([newest.name]);
    expect(new Map(allRows(view))).toEqual(new Map(c.records));
    expect([...allRows(view)].map(([p]) => p)).toEqual([...c.records.keys()]);
  });

  it('is none for a catalogue with rows not saved, or never saved', () => {
    const { files, c } = savedAndRead();
    const [path, r] = [...c.records][0]!;
    c.records.set(path, { ...r, updatedAt: '2027-01-01T00:00:00Z' });
    expect(savedRecordChunks(files, c)).toBeNull();
    const fresh = emptyCatalogue();
    fresh.records.set(path, r);
    expect(savedRecordChunks(files, fresh)).toBeNull();
  });

  it('throws RecordChunkError for a chunk whose files are not as the root names them', () => {
    const { files, c } = savedAndRead();
    const view = savedRecordChunks(files, c)!;
    const newest = view.chunks.at(-1)!;
    // Its files put back from another save (another stamp), as a hand or a backup would.
    const file = chunkTable(files, newest.name).snapshot;
    const { stamp } = newest as StoredChunk;
    writeFileSync(file, readFileSync(file, 'utf8').replaceAll(stamp, '0'.repeat(stamp.length)));
    expect(() => view.rows(newest)).toThrow(RecordChunkError);
    expect(() => view.rows({ ...newest, name: 'nope' })).toThrow(RecordChunkError);
    expect(view.rows(view.chunks[0]!).length).toBe(view.chunks[0]!.rows);
  });
});
