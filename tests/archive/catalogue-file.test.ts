import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCatalogue, type Catalogue } from '../../src/archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  newGeneration,
  monthRecords,
  openCatalogue,
  previousRecordRows,
  readChunk,
  readRecordChunks,
  recordRowOf,
  saveCatalogue,
  type CatalogueFiles,
} from '../../src/archive/catalogue-file.js';
import { saveTable } from '../../src/io/journaled-table.js';
import { issue } from '../../src/model/issue.js';
import { bucketOf } from '../../src/archive/input-buckets.js';

function sample(): Catalogue {
  const c = emptyCatalogue();
  c.scannedAt = 1_764_000_000_000;
  const bad = issue(
    'ARTICLE_EMPTY',
    'error',
    'archive/articles/empty.txt',
    'is empty.',
    'Write it.',
  );
  c.inputs.set('archive/articles/empty.txt', {
    stat: { size: 0, mtimeMs: 1.5, ctimeMs: 2.25, ino: 7 },
    sha256: 'e'.repeat(64),
    record: null,
    normalizer: 1,
    issues: [bad],
  });
  // Every seventh withdrawn, and rows from before titles were kept (no meta) among them.
  // Every eleventh restored after a withdrawal (restoredAt), with and without meta.
  for (let i = 0; i < 300; i++)
    addArticle(c, i, { withdrawn: i % 7 === 0, meta: i % 5 !== 0, restored: i % 11 === 1 });
  c.corrupt.set(
    '2026/11/broken.json',
    issue(
      'RECORD_CORRUPT',
      'error',
      'archive/records/2026/11/broken.json',
      'is not JSON.',
      'Restore it.',
    ),
  );
  return c;
}

const stateDir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-catalogue-'));

/** Saved as a run that wrote records saves it: with the records folder's generation. */
function saved(files: CatalogueFiles): Catalogue {
  const c = sample();
  c.generation = newGeneration(files);
  saveCatalogue(files, c, true);
  return c;
}

describe('catalogue files', () => {
  it('load back exactly what was saved: inputs with their issues, records, corrupt records', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = saved(files);
    const loaded = loadCatalogue(files);
    expect(loaded).not.toBeNull();
    expect(loadRecordIndex(files, loaded!)).toBe(true);
    expect(loaded).toEqual(c);
    expect(sorted(loaded!.inputs)).toEqual(sorted(c.inputs));
    expect(loaded!.inputs.size).toBe(301);
    // Still JSON documents, for jq: the root, one row per chunk (the 300 records are of one
    // month: two chunks of 150), and the chunks, one row per record.
    const chunks = (JSON.parse(readFileSync(files.records, 'utf8')) as { rows: unknown[][] }).rows;
    expect(chunks.map((r) => [r[0], r[1], r[4]])).toEqual([
      ['2026-11-1', '2026/11', 150],
      ['2026-11-2', '2026/11', 150],
    ]);
    expect(chunks.flatMap(([name]) => chunkRows(files, name as string))).toHaveLength(300);
  });

  it('writes the records oldest first (the order every list is cut in), whatever order they were made in', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = emptyCatalogue();
    c.generation = newGeneration(files);
    // Made in path order, dated in another order, and two with one date (ties: id descending,
    // the exact reverse of model/newest-first.ts).
    const dates = ['2026-11-03', '2026-11-01', '2026-11-02', '2026-11-01'];
    dates.forEach((d, i) => {
      addArticle(c, i);
      const path = `2026/11/stire-${i}.json`;
      const r = c.records.get(path)!;
      c.records.set(path, { ...r, publishedAt: `${d}T08:00:00Z` });
    });
    saveCatalogue(files, c, true);
    const rows = chunkRows(files, '2026-11-1');
    expect(rows.map((r) => r[0])).toEqual([
      '2026/11/stire-3.json',
      '2026/11/stire-1.json',
      '2026/11/stire-2.json',
      '2026/11/stire-0.json',
    ]);
    const loaded = loadCatalogue(files)!;
    expect(loadRecordIndex(files, loaded)).toBe(true);
    expect([...loaded.records.keys()]).toEqual(rows.map((r) => r[0]));
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['cut before its end', (t: string) => t.replace(/\n\]\}\n$/, '\n')],
    ['reformatted', (t: string) => JSON.stringify(JSON.parse(t), null, 2)],
    ['with text after its end', (t: string) => `${t}[1]\n`],
    ['empty', () => ''],
  ])('%s: not trusted (the caller rebuilds it from the records)', (_, change) => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    writeFileSync(files.inputs, change(readFileSync(files.inputs, 'utf8')));
    writeFileSync(files.records, change(readFileSync(files.records, 'utf8')));
    expect(loadCatalogue(files)).toBeNull();
    const c = emptyCatalogue();
    expect(loadRecordIndex(files, c)).toBe(false);
    expect(c.records.size).toBe(0);
  });
});

describe('a catalogue is believed only for the records it indexes', () => {
  it('the records folder got a new generation since (another state folder wrote it): stale', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    newGeneration(files);
    const opened = openCatalogue(files);
    expect(opened.catalogue).toBeNull();
    expect(opened.stale).toContain('another state of the records');
  });

  it('the records folder lost its marker: stale', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    rmSync(files.generation);
    expect(openCatalogue(files).stale).toContain('no generation marker');
  });

  it('saved without a generation (before generations, or while another run wrote): rebuilt, silently', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saveCatalogue(files, sample(), true);
    expect(openCatalogue(files)).toEqual({ catalogue: null, stale: null });
  });

  it('records.json of another generation than inputs.json: not loaded (the caller rebuilds)', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    const old = readFileSync(files.records, 'utf8');
    saved(files);
    writeFileSync(files.records, old);
    // Refused when the catalogue is opened (the records file's stamp is not the one the
    // inputs were saved with): the caller rebuilds, on a run with nothing to do as well.
    expect(loadCatalogue(files)).toBeNull();
  });
});

/** A catalogue of `n` articles, each with its record, as a cold build leaves it. */
function large(n: number): Catalogue {
  const c = emptyCatalogue();
  c.scannedAt = 1_764_000_000_000;
  for (let i = 0; i < n; i++) addArticle(c, i);
  return c;
}

function addArticle(
  c: Catalogue,
  i: number,
  o: { withdrawn?: boolean; meta?: boolean; restored?: boolean } = {},
): void {
  const path = `archive/articles/2026/11/știre-${i}.txt`;
  const rel = `2026/11/stire-${i}.json`;
  c.inputs.set(path, {
    stat: {
      size: 4000 + i,
      mtimeMs: 1_700_000_000_123.456 + i,
      ctimeMs: 1_700_000_000_999 + i,
      ino: 100 + i,
    },
    sha256: i.toString(16).padStart(64, '0'),
    normalizer: 2,
    record: rel,
    issues: [],
  });
  c.records.set(rel, {
    id: `tag:news.example.org,2026-11-25:stire-${i}`,
    slug: `stire-${i}`,
    publishedAt: '2026-11-25T08:00:00Z',
    updatedAt: '2026-11-25T08:00:00Z',
    withdrawn: o.withdrawn === true,
    withdrawnAt: o.withdrawn === true ? '2026-11-26T10:00:00Z' : null,
    ...(o.restored === true ? { restoredAt: '2026-11-27T09:00:00Z' } : {}),
    fingerprint: i.toString(16).padStart(64, 'f'),
    input: path,
    ...(o.meta === false
      ? {}
      : {
          meta: { title: `Știrea numărul ${i}`, section: 'Externe', tags: ['ue'], language: 'ro' },
        }),
  });
}

/**
 * Bytes of the catalogue's files: the inputs' root and its journal, the records' root and its
 * journal, the inputs' buckets (snapshots, journals), the records' chunks (snapshots, journals).
 */
const sizes = (files: CatalogueFiles): number[] => [
  ...[files.inputs, files.inputsJournal, files.records, files.recordsJournal].map(
    (f) => statSync(f, { throwIfNoEntry: false })?.size ?? 0,
  ),
  bytesIn(files.inputsDir, '.json'),
  bytesIn(files.inputsDir, '.journal'),
  bytesIn(files.recordsDir, '.json'),
  bytesIn(files.recordsDir, '.journal'),
];

const bytesIn = (dir: string, ext: string): number =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith(ext))
        .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
    : 0;

/** The rows of a chunk's snapshot (its journal left aside), as saved. */
const chunkRows = (files: CatalogueFiles, name: string): string[][] =>
  (JSON.parse(readFileSync(join(files.recordsDir, `${name}.json`), 'utf8')) as { rows: string[][] })
    .rows;

/** Not a file of the records' index by key (archive/key-index-file.ts). */
const notKeys =
  (files: CatalogueFiles) =>
  (f: string): boolean =>
    f !== files.keys && f !== files.keysJournal && !f.startsWith(join(files.keysDir, '/'));

const sorted = (rows: Iterable<[string, unknown]>): [string, unknown][] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : 1));

describe('a run costs what changed: catalogue bytes written follow the change (issue 15)', () => {
  it('one new article among 10,000 appends under 2 KB; the snapshots are not rewritten', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(10_000);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const [inputs0, , records0, , buckets0, , chunks0] = sizes(files);
    expect(buckets0! + chunks0!).toBeGreaterThan(3_000_000);

    // The next run: opens the catalogue, adds one article and its record, writes records.
    const c = loadCatalogue(files)!;
    expect(loadRecordIndex(files, c)).toBe(true);
    c.generation = newGeneration(files);
    addArticle(c, 10_000);
    c.scannedAt += 60_000;
    const wrote = saveCatalogue(files, c, true).filter(notKeys(files));
    // The roots' journals, the journal of the new article's bucket and of its records' chunk.
    const inDir = (dir: string) => (f: string) => f.startsWith(join(dir, '/'));
    expect(
      wrote.filter((f) => !inDir(files.inputsDir)(f) && !inDir(files.recordsDir)(f)).sort(),
    ).toEqual([files.inputsJournal, files.recordsJournal].sort());
    expect(wrote.filter(inDir(files.inputsDir))).toEqual([expect.stringMatching(/\.journal$/)]);
    expect(wrote.filter(inDir(files.recordsDir))).toEqual([expect.stringMatching(/\.journal$/)]);
    const [inputs1, inputsJournal, records1, recordsJournal, buckets1, bucketJournals, chunks1] =
      sizes(files);
    const chunkJournals = sizes(files)[7]!;
    expect([inputs1, records1, buckets1, chunks1]).toEqual([inputs0, records0, buckets0, chunks0]);
    expect(inputsJournal! + recordsJournal! + bucketJournals! + chunkJournals).toBeLessThan(2048);

    // What the run after that reads is what was saved.
    const again = loadCatalogue(files)!;
    expect(loadRecordIndex(files, again)).toBe(true);
    expect(sorted(again.inputs)).toEqual(sorted(c.inputs));
    expect(again.records).toEqual(c.records);
    expect(again.scannedAt).toBe(c.scannedAt);
  });

  it('the same save without knowing what changed (a rebuilt catalogue) rewrites every snapshot', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(10_000);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const c = large(10_001);
    c.generation = newGeneration(files);
    const wrote = saveCatalogue(files, c, true).filter(notKeys(files));
    const inDir = (dir: string) => (f: string) => f.startsWith(join(dir, '/'));
    expect(
      wrote.filter((f) => !inDir(files.inputsDir)(f) && !inDir(files.recordsDir)(f)).sort(),
    ).toEqual([files.inputs, files.records].sort());
    // Every bucket holds some of the 10,001 articles.
    expect(wrote.filter(inDir(files.inputsDir))).toHaveLength(256);
    // And every chunk of the records is written anew: 10,001 of one month, in 67 chunks of 149 or 150 (three quarters full).
    expect(wrote.filter(inDir(files.recordsDir))).toHaveLength(67);
    expect(wrote.filter(inDir(files.recordsDir)).every((f) => f.endsWith('.json'))).toBe(true);
  });

  it('records saved but not the inputs (killed between the two): the record index is not trusted', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = large(50);
    c.generation = newGeneration(files);
    saveCatalogue(files, c, true);
    const inputs = readFileSync(files.inputs);
    const next = loadCatalogue(files)!;
    expect(loadRecordIndex(files, next)).toBe(true);
    addArticle(next, 50);
    saveCatalogue(files, next, true);
    expect(existsSync(files.recordsJournal)).toBe(true);
    // The inputs as they were before that save: a snapshot, no journal yet.
    writeFileSync(files.inputs, inputs);
    rmSync(files.inputsJournal, { force: true });
    // The records' stamp is not the one these inputs were saved with: the catalogue is not
    // opened (the caller rebuilds it).
    expect(loadCatalogue(files)).toBeNull();
  });
});

describe('the records in month chunks (records.json is their root)', () => {
  /** A catalogue saved, then opened with its records as the next run opens it. */
  function reopened(files: CatalogueFiles): Catalogue {
    const c = loadCatalogue(files)!;
    expect(loadRecordIndex(files, c)).toBe(true);
    return c;
  }

  it('a chunk whose files are not at the stamp the root names (a run killed between the two, a file put back): the record index is not trusted', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = large(50);
    c.generation = newGeneration(files);
    saveCatalogue(files, c, true);
    const [chunk] = readdirSync(files.recordsDir).filter((f) => f.endsWith('.json'));
    const before = readFileSync(join(files.recordsDir, chunk!));
    // The next save appends a line to that chunk's journal, and the root names its new stamp.
    const next = reopened(files);
    addArticle(next, 50);
    saveCatalogue(files, next, true);
    expect(existsSync(join(files.recordsDir, chunk!.replace(/\.json$/, '.journal')))).toBe(true);
    // The chunk as it was before (its journal gone): the root and the inputs agree, the chunk not.
    rmSync(join(files.recordsDir, chunk!.replace(/\.json$/, '.journal')));
    writeFileSync(join(files.recordsDir, chunk!), before);
    const again = loadCatalogue(files);
    expect(again).not.toBeNull();
    // Not loaded: the caller rebuilds the catalogue from the records.
    expect(loadRecordIndex(files, again!)).toBe(false);
    // And a chunk gone altogether.
    saveCatalogue(files, large(50), true);
    const fresh = emptyCatalogue();
    fresh.generation = null;
    rmSync(join(files.recordsDir, chunk!));
    expect(loadRecordIndex(files, fresh)).toBe(false);
  });

  it('a chunk split and a record moved to another month survive a reload; readChunk and monthRecords read them', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    // 200 records of one month: one chunk, full.
    const c = large(200);
    c.generation = newGeneration(files);
    saveCatalogue(files, c, true);
    expect(readRecordChunks(files)?.chunks.map((k) => [k.name, k.rows])).toEqual([
      ['2026-11-1', 200],
    ]);
    // One more (the newest of the month): the chunk splits; and one moved to December (an
    // embargo rescheduled), and one withdrawn.
    const next = reopened(files);
    next.generation = newGeneration(files);
    addArticle(next, 200);
    next.records.set('2026/11/stire-201.json', {
      ...next.records.get('2026/11/stire-200.json')!,
      id: 'tag:news.example.org,2026-11-26:stire-201',
      publishedAt: '2026-11-26T09:00:00Z',
    });
    const moved = next.records.get('2026/11/stire-7.json')!;
    next.records.set('2026/11/stire-7.json', { ...moved, publishedAt: '2026-12-02T10:00:00Z' });
    const gone = next.records.get('2026/11/stire-8.json')!;
    next.records.set('2026/11/stire-8.json', {
      ...gone,
      withdrawn: true,
      withdrawnAt: '2026-12-03T00:00:00Z',
    });
    // And one withdrawn before its date: never published (the root counts it: `unseen`).
    const unseen = next.records.get('2026/11/stire-9.json')!;
    next.records.set('2026/11/stire-9.json', {
      ...unseen,
      withdrawn: true,
      withdrawnAt: '2026-01-01T00:00:00Z',
    });
    saveCatalogue(files, next, true);
    const root = readRecordChunks(files)!;
    expect(root.chunks.map((k) => [k.name, k.month, k.rows, k.live, k.unseen])).toEqual([
      ['2026-11-1', '2026/11', 100, 98, 1],
      ['2026-11-2', '2026/11', 101, 101, 0],
      ['2026-12-1', '2026/12', 1, 1, 0],
    ]);
    expect(root.chunks[0]!.newest).toBe('2026-12-03T00:00:00Z');
    // Read back as saved, and again after one more save.
    for (let round = 0; round < 2; round++) {
      const again = reopened(files);
      expect(again.records).toEqual(next.records);
      expect(monthRecords(files, root.chunks, '2026/12')).toEqual(
        new Map([['2026/11/stire-7.json', next.records.get('2026/11/stire-7.json')]]),
      );
      const november = monthRecords(files, readRecordChunks(files)!.chunks, '2026/11')!;
      expect(november.size).toBe(201 + round);
      // In the order the month's parts are cut in: oldest first, ties by id descending.
      expect([...november.keys()].at(-1)).toBe('2026/11/stire-201.json');
      expect(readChunk(files, root.chunks[2]!)?.rows.size).toBe(1);
      addArticle(again, 300 + round);
      next.records.set(
        `2026/11/stire-${300 + round}.json`,
        again.records.get(`2026/11/stire-${300 + round}.json`)!,
      );
      saveCatalogue(files, again, true);
    }
    // A chunk asked for at another stamp than its files: not read.
    expect(readChunk(files, { ...root.chunks[2]!, stamp: 'other' })).toBeNull();
  });

  it('a version 5 records file (every row in records.json) is read whole, and the next save cuts it in chunks', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = sample();
    c.generation = newGeneration(files);
    // As a feedkeeper of version 5 saved it: one table, the rows oldest first.
    saveTable(
      { snapshot: files.records, journal: files.recordsJournal },
      null,
      { version: 5, generation: c.generation },
      c.records,
      recordRowOf,
      [],
    );
    const read = emptyCatalogue();
    read.generation = c.generation;
    expect(loadRecordIndex(files, read)).toBe(true);
    const rows = new Map(c.records);
    expect(new Map(read.records)).toEqual(rows);
    expect(existsSync(files.recordsDir)).toBe(false);
    expect(previousRecordRows(files)).toEqual(rows);
    // The next save writes version 6: the root and its chunks, read back the same.
    saveCatalogue(files, read, true);
    expect(readRecordChunks(files)?.chunks.map((k) => k.rows)).toEqual([150, 150]);
    expect(new Map(reopened(files).records)).toEqual(rows);
    expect(previousRecordRows(files)).toEqual(rows);
  });
});

describe('the inputs in buckets (inputs.json is their root)', () => {
  it('a bucket whose files are not at the state the root names is not read: the caller rebuilds', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = large(50);
    c.generation = newGeneration(files);
    saveCatalogue(files, c, true);
    const root = readFileSync(files.inputs);
    // A second save changes one bucket (a journal line) and the root.
    const next = loadCatalogue(files)!;
    const path = 'archive/articles/2026/11/știre-7.txt';
    next.inputs.set(path, { ...next.inputs.get(path)!, sha256: 'a'.repeat(64) });
    const wrote = saveCatalogue(files, next, false);
    const bucket = wrote.find((f) => f.endsWith('.journal') && f.startsWith(files.inputsDir))!;
    expect(bucket).toBeDefined();
    // The root as it was before that save (killed between the two, or restored by hand).
    writeFileSync(files.inputs, root);
    rmSync(files.inputsJournal, { force: true });
    const stale = loadCatalogue(files)!;
    expect(stale.inputs.size).toBe(50);
    expect(() => stale.inputs.get(path)).toThrow(/could not be read/);
    // The other buckets are read as saved.
    const other = 'archive/articles/2026/11/știre-8.txt';
    if (!bucket.endsWith(`${bucketOf(other).toString(16).padStart(2, '0')}.journal`))
      expect(stale.inputs.get(other)).toEqual(c.inputs.get(other));
    // A bucket's file deleted: the same.
    const fresh = loadCatalogue(files)!;
    rmSync(bucket.replace(/\.journal$/, '.json'));
    expect(fresh.inputs.loadAll()).toBe(false);
  });
});
