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
import { emptyCatalogue, type Catalogue, type RecordEntry } from '../../src/archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  newGeneration,
  saveCatalogue,
  type CatalogueFiles,
} from '../../src/archive/catalogue-file.js';
import { bucketOf } from '../../src/archive/input-buckets.js';
import {
  indexKey,
  KEY_KINDS,
  keyIndexOf,
  pathKey,
  type KeyIndex,
  type KeyKind,
} from '../../src/archive/key-index.js';
import { keyBucketTable } from '../../src/archive/key-index-file.js';
import { indexRecords, keysOf, planArchive } from '../../src/archive/plan-archive.js';
import { RecordStore } from '../../src/pipeline/record-store.js';
import { Unpublishable } from '../../src/pipeline/unpublishable.js';

const stateDir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-keys-'));

const entry = (i: number, o: Partial<RecordEntry> = {}): RecordEntry => ({
  id: `tag:news.example.org,2026-11-25:stire-${i}`,
  slug: `stire-${i}`,
  publishedAt: '2026-11-25T08:00:00Z',
  updatedAt: '2026-11-25T08:00:00Z',
  withdrawn: false,
  withdrawnAt: null,
  fingerprint: i.toString(16).padStart(64, 'f'),
  input: `archive/articles/2026/11/știre-${i}.txt`,
  ...o,
});

/** A catalogue of `n` records (their inputs do not matter here). */
function large(n: number): Catalogue {
  const c = emptyCatalogue();
  c.scannedAt = 1_764_000_000_000;
  for (let i = 0; i < n; i++) c.records.set(`2026/11/stire-${i}.json`, entry(i));
  return c;
}

/** Open the saved catalogue with its records, as a run with work does. */
function open(files: CatalogueFiles): Catalogue {
  const c = loadCatalogue(files);
  expect(c).not.toBeNull();
  expect(loadRecordIndex(files, c!)).toBe(true);
  return c!;
}

/** The index's answer, by a pass over every row: what it must equal. */
const scan = (records: ReadonlyMap<string, RecordEntry>, kind: KeyKind, key: string): string[] =>
  [...records]
    .filter(([, r]) => r[kind] === key)
    .map(([p]) => p)
    .sort();

const sharedByScan = (records: ReadonlyMap<string, RecordEntry>): string[] => {
  const n = new Map<string, number>();
  for (const r of records.values()) n.set(r.id, (n.get(r.id) ?? 0) + 1);
  return [...n].filter(([, k]) => k >= 2).map(([id]) => id);
};

const keyFileBytes = (files: CatalogueFiles, ext: string): number =>
  [files.keys, files.keysJournal]
    .filter((f) => f.endsWith(ext))
    .concat(
      existsSync(files.keysDir)
        ? readdirSync(files.keysDir)
            .filter((f) => f.endsWith(ext))
            .map((f) => join(files.keysDir, f))
        : [],
    )
    .reduce((sum, f) => sum + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);

const isKeyFile = (files: CatalogueFiles, f: string): boolean =>
  f === files.keys || f === files.keysJournal || f.startsWith(join(files.keysDir, '/'));

describe('the records by key: a run that adds one article reads and writes what it touches (issue 15)', () => {
  it('one new article among 10,000: its lookups read a few buckets, the save appends under 2 KB', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(10_000);
    cold.generation = newGeneration(files);
    const first = saveCatalogue(files, cold, true).filter((f) => isKeyFile(files, f));
    // A catalogue made in memory writes its whole index: the root and every bucket.
    expect(first).toContain(files.keys);
    expect(first.filter((f) => f.endsWith('.json'))).toHaveLength(257);
    const snapshots = keyFileBytes(files, '.json');
    expect(snapshots).toBeGreaterThan(1_000_000);

    // The next run: what RecordStore and the planner ask for one new article, then its record.
    const c = open(files);
    const index: KeyIndex = keyIndexOf(c.records);
    const n = entry(10_000);
    expect(index.holders('slug', n.slug)).toEqual([]);
    expect(index.holders('id', n.id)).toEqual([]);
    expect(index.holders('fingerprint', n.fingerprint)).toEqual([]);
    expect(index.holders('input', n.input)).toEqual([]);
    expect(index.holders('slug', 'stire-42')).toEqual(['2026/11/stire-42.json']);
    expect(index.sharedIds().size).toBe(0);
    c.generation = newGeneration(files);
    c.records.set('2026/11/stire-10000.json', n);
    // The buckets of those five keys and of the new path's own row (its place), no other.
    const touched = new Set(
      [
        ...KEY_KINDS.map((k) => indexKey(k, n[k])),
        indexKey('slug', 'stire-42'),
        pathKey('2026/11/stire-10000.json'),
      ].map(bucketOf),
    );
    expect(index.bucketsRead).toBe(touched.size);
    expect(index.bucketsRead).toBeLessThanOrEqual(6);

    const wrote = saveCatalogue(files, c, true).filter((f) => isKeyFile(files, f));
    // The root's journal and the journals of the new record's four keys' and path's buckets.
    expect(wrote.every((f) => f.endsWith('.journal'))).toBe(true);
    expect(wrote).toContain(files.keysJournal);
    expect(wrote.length).toBeLessThanOrEqual(6);
    expect(keyFileBytes(files, '.json')).toBe(snapshots);
    expect(keyFileBytes(files, '.journal')).toBeLessThan(2048);

    // The run after it finds the new record by each of its keys.
    const again = open(files);
    const next = keyIndexOf(again.records);
    for (const kind of KEY_KINDS)
      expect(next.holders(kind, n[kind])).toEqual(['2026/11/stire-10000.json']);
    expect(next.root).not.toBeNull();
  });
});

describe('the records by key answer as a pass over the rows would', () => {
  const SEED = Number(process.env.KEY_INDEX_SEED ?? 20261201);
  it(`after random sets, removes, saves and reloads (seed ${SEED})`, () => {
    let state = SEED;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    for (let round = 0; round < 3; round++) {
      const files = catalogueFiles(stateDir(), stateDir());
      let c = large(0);
      c.generation = newGeneration(files);
      saveCatalogue(files, c, true);
      c = open(files);
      // Few values per kind, so that keys are shared (ids too: "shared ids").
      const random = (): RecordEntry => ({
        ...entry(0),
        id: `tag:x,2026:${next(30)}`,
        slug: `s${next(30)}`,
        fingerprint: `T${next(10)}`,
        input: `a/${next(12)}.md`,
        withdrawn: next(3) === 0,
      });
      for (let step = 0; step < 100; step++) {
        const path = `2026/11/r${next(25)}.json`;
        const what = next(10);
        if (what < 6) c.records.set(path, random());
        else if (what < 8) c.records.delete(path);
        else {
          c.generation = newGeneration(files);
          saveCatalogue(files, c, true);
          if (next(2) === 0) c = open(files);
        }
        const index = keyIndexOf(c.records);
        // Every key some row has, and some no row has.
        for (const kind of KEY_KINDS) {
          const keys = new Set([...c.records.values()].map((r) => r[kind]));
          keys.add(`${kind}-none`);
          for (const key of keys)
            expect(index.holders(kind, key)).toEqual(scan(c.records, kind, key));
        }
        expect([...index.sharedIds()].sort()).toEqual(sharedByScan(c.records).sort());
      }
    }
  });
});

describe("kill safety: an index that is not the records table's is made again from the rows", () => {
  /** Two saves: r0..r9, then r10 added. Returns the files and the catalogue of the second. */
  function twoSaves(): { files: CatalogueFiles; c: Catalogue; before: Map<string, Buffer> } {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(10);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const before = new Map<string, Buffer>();
    const c = open(files);
    // The index's files as the first save left them.
    for (const f of [files.keys, files.keysJournal])
      if (existsSync(f)) before.set(f, readFileSync(f));
    for (const name of readdirSync(files.keysDir))
      before.set(join(files.keysDir, name), readFileSync(join(files.keysDir, name)));
    // Rows saved in the same generation (as a row found behind its record is): only the
    // records table's stamp tells the two states apart.
    c.records.set('2026/11/stire-10.json', entry(10));
    saveCatalogue(files, c, true);
    return { files, c, before };
  }

  it('a bucket at another stamp than the root names (killed between the two saves) is not trusted', () => {
    const { files, c, before } = twoSaves();
    const bucket = keyBucketTable(files, bucketOf(indexKey('slug', 'stire-10')));
    // The bucket as it was before the second save; the root names its new stamp.
    expect(existsSync(bucket.journal)).toBe(true);
    writeFileSync(bucket.journal, before.get(bucket.journal) ?? '');
    const again = open(files);
    const index = keyIndexOf(again.records);
    expect(index.holders('slug', 'stire-10')).toEqual(['2026/11/stire-10.json']);
    // Made again from the rows: the next save writes it whole.
    expect(index.fresh).toBe(true);
    again.generation = newGeneration(files);
    const wrote = saveCatalogue(files, again, true).filter((f) => isKeyFile(files, f));
    expect(wrote).toContain(files.keys);
    expect(wrote).toContain(bucket.snapshot);
    expect(
      keyIndexOf(open(files).records).holders('id', c.records.get('2026/11/stire-10.json')!.id),
    ).toEqual(['2026/11/stire-10.json']);
  });

  it('a root of another state of the records (an older one put back) is not used', () => {
    const { files, before } = twoSaves();
    // The whole index as the first save left it (an older state folder's put back): each of
    // its buckets at the stamp its root names, but the records have moved on.
    for (const f of [
      files.keys,
      files.keysJournal,
      ...readdirSync(files.keysDir).map((n) => join(files.keysDir, n)),
    ]) {
      const was = before.get(f);
      if (was === undefined) rmSync(f, { force: true });
      else writeFileSync(f, was);
    }
    const index = keyIndexOf(open(files).records);
    expect(index.root).toBeNull();
    expect(index.holders('input', entry(10).input)).toEqual(['2026/11/stire-10.json']);
    expect(index.bucketsRead).toBe(0);
  });
});

describe('what a run that adds one article asks of the records makes no pass over them', () => {
  it('RecordStore, the planner and Unpublishable at 10,000 rows, every pass refused', () => {
    const recordsDir = stateDir();
    const files = catalogueFiles(stateDir(), recordsDir);
    const cold = large(10_000);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const c = open(files);
    // Any pass over the rows throws; lookups by path (get, has) are what is left.
    const refuse = (): never => {
      throw new Error('a pass over every record');
    };
    const rows = c.records as unknown as Record<string | symbol, unknown>;
    for (const name of ['keys', 'values', 'entries', 'forEach', Symbol.iterator])
      rows[name] = refuse;
    const n = entry(10_000);
    const store = new RecordStore(
      c,
      { records: recordsDir, state: '', files, root: '' },
      true,
      1,
      false,
    );
    expect(store.slugs.has(n.slug)).toBe(false);
    expect(store.slugs.has('stire-7')).toBe(true);
    expect(store.ids.get(n.id)).toBeUndefined();
    expect(store.ids.get(entry(7).id)).toBe('2026/11/stire-7.json');
    const arrival = {
      path: n.input,
      fingerprint: n.fingerprint,
      id: null,
      publishedAt: null,
      shingles: new Set<string>(),
      own: null,
    };
    const index = indexRecords(c.records, keysOf([arrival]), (kind, key) =>
      keyIndexOf(c.records).holders(kind, key),
    );
    expect(
      planArchive({
        records: c.records,
        arrivals: [arrival],
        freed: new Set(),
        candidates: new Map(),
        index,
      }),
    ).toEqual([{ kind: 'mint', path: n.input }]);
    const judge = new Unpublishable(c, '', '');
    expect(judge.issues).toEqual([]);
  });
});

describe('an index made in memory is dropped once saved (issue 15: a cold build holds no keys)', () => {
  it('answers from its files after the save, as the rows would, and a change after it is journaled', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const cold = large(2_000);
    cold.generation = newGeneration(files);
    saveCatalogue(files, cold, true);
    const index = keyIndexOf(cold.records);
    expect(index.bucketsRead).toBe(0);
    for (let i = 0; i < 2_000; i += 97) {
      const path = `2026/11/stire-${i}.json`;
      const r = entry(i);
      for (const kind of KEY_KINDS)
        expect(index.holders(kind, r[kind])).toEqual(scan(cold.records, kind, r[kind]));
      expect(index.holders('slug', r.slug)).toEqual([path]);
      expect(index.keyOf(path)).toEqual([r.publishedAt, r.id, path]);
    }
    // Read again from the files: it held no bucket after the save.
    expect(index.bucketsRead).toBeGreaterThan(20);
    expect(index.sharedIds().size).toBe(0);

    cold.generation = newGeneration(files);
    const n = entry(2_000);
    cold.records.set('2026/11/stire-2000.json', n);
    cold.records.delete('2026/11/stire-7.json');
    const wrote = saveCatalogue(files, cold, true).filter((f) => isKeyFile(files, f));
    expect(wrote.length).toBeGreaterThan(0);
    expect(wrote.every((f) => f.endsWith('.journal'))).toBe(true);

    const reopened = open(files).records;
    const again = keyIndexOf(reopened);
    for (const kind of KEY_KINDS)
      for (const r of [n, entry(7), entry(8)])
        expect(again.holders(kind, r[kind])).toEqual(scan(reopened, kind, r[kind]));
    expect(again.holders('slug', n.slug)).toEqual(['2026/11/stire-2000.json']);
    expect(again.holders('slug', 'stire-7')).toEqual([]);
  });
});
