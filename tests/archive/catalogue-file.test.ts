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
  openCatalogue,
  saveCatalogue,
  type CatalogueFiles,
} from '../../src/archive/catalogue-file.js';
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
    // Still one JSON document, for jq.
    expect(JSON.parse(readFileSync(files.records, 'utf8')).rows).toHaveLength(300);
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
    const rows = (JSON.parse(readFileSync(files.records, 'utf8')) as { rows: string[][] }).rows;
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

/** Bytes of the catalogue's files: the inputs' root and its journal, the records', the buckets'. */
const sizes = (files: CatalogueFiles): number[] => [
  ...[files.inputs, files.inputsJournal, files.records, files.recordsJournal].map(
    (f) => statSync(f, { throwIfNoEntry: false })?.size ?? 0,
  ),
  bucketBytes(files, '.json'),
  bucketBytes(files, '.journal'),
];

const bucketBytes = (files: CatalogueFiles, ext: string): number =>
  existsSync(files.inputsDir)
    ? readdirSync(files.inputsDir)
        .filter((f) => f.endsWith(ext))
        .reduce((sum, f) => sum + statSync(join(files.inputsDir, f)).size, 0)
    : 0;

const sorted = (rows: Iterable<[string, unknown]>): [string, unknown][] =>
  [...rows].sort(([a], [b]) => (a < b ? -1 : 1));

describe('a run costs what changed: catalogue bytes written follow the change (issue 15)', () => {
  it('one new article among 10,000 appends under 2 KB; the snapshots are not rewritten', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(10_000);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const [inputs0, , records0, , buckets0] = sizes(files);
    expect(buckets0! + records0!).toBeGreaterThan(3_000_000);

    // The next run: opens the catalogue, adds one article and its record, writes records.
    const c = loadCatalogue(files)!;
    expect(loadRecordIndex(files, c)).toBe(true);
    c.generation = newGeneration(files);
    addArticle(c, 10_000);
    c.scannedAt += 60_000;
    const wrote = saveCatalogue(files, c, true);
    // The root's journal, the records', and the journal of the new article's bucket.
    expect(wrote.filter((f) => !f.startsWith(join(files.inputsDir, '/'))).sort()).toEqual(
      [files.inputsJournal, files.recordsJournal].sort(),
    );
    expect(wrote.filter((f) => f.startsWith(join(files.inputsDir, '/')))).toEqual([
      expect.stringMatching(/\.journal$/),
    ]);
    const [inputs1, inputsJournal, records1, recordsJournal, buckets1, bucketJournals] =
      sizes(files);
    expect([inputs1, records1, buckets1]).toEqual([inputs0, records0, buckets0]);
    expect(inputsJournal! + recordsJournal! + bucketJournals!).toBeLessThan(2048);

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
    const wrote = saveCatalogue(files, c, true);
    expect(wrote.filter((f) => !f.startsWith(join(files.inputsDir, '/'))).sort()).toEqual(
      [files.inputs, files.records].sort(),
    );
    // Every bucket holds some of the 10,001 articles.
    expect(wrote.filter((f) => f.startsWith(join(files.inputsDir, '/')))).toHaveLength(256);
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
