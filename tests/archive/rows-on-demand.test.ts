import { copyFileSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCatalogue, type Catalogue, type RecordEntry } from '../../src/archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  newGeneration,
  openRecordRows,
  readRest,
  saveCatalogue,
  type CatalogueFiles,
} from '../../src/archive/catalogue-file.js';
import type { RecordRows } from '../../src/archive/key-index.js';
import { KEY_KINDS, keyIndexOf } from '../../src/archive/key-index.js';
import { sortKeyOf } from '../../src/archive/record-chunks.js';
import { RecordsUnreadableError, type RowsOnDemand } from '../../src/archive/rows-on-demand.js';

const dir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-ondemand-'));

/** A seeded generator (the seed is printed in the test's name: FEEDKEEPER_SEED=n replays). */
function prng(seed: number): (n: number) => number {
  let s = seed >>> 0 || 1;
  return (n) => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s % n;
  };
}

const MONTHS = ['2026-09', '2026-10', '2026-11'];

function randomEntry(next: (n: number) => number): RecordEntry {
  // Few dates and ids, so that rows tie on them and order by id, then path.
  const publishedAt = `${MONTHS[next(3)]!}-${String(1 + next(3)).padStart(2, '0')}T08:00:00Z`;
  const withdrawn = next(5) === 0;
  return {
    id: `tag:x,2026:${next(400)}`,
    slug: `s${next(900)}`,
    publishedAt,
    updatedAt: publishedAt,
    withdrawn,
    withdrawnAt: withdrawn ? '2026-11-30T00:00:00Z' : null,
    fingerprint: `T${next(300)}`,
    input: `a/${next(700)}.md`,
  };
}

const records = (c: Catalogue): RecordRows => c.records as RecordRows;
const sourceOf = (c: Catalogue): RowsOnDemand => records(c).onDemandSource!;

function openWhole(files: CatalogueFiles): Catalogue {
  const c = loadCatalogue(files)!;
  expect(loadRecordIndex(files, c)).toBe(true);
  return c;
}

function openOnDemand(files: CatalogueFiles): Catalogue {
  const c = loadCatalogue(files)!;
  expect(openRecordRows(files, c)).toBe(true);
  expect(records(c).onDemandSource).not.toBeNull();
  return c;
}

const sorted = (m: ReadonlyMap<string, unknown>): [string, unknown][] =>
  [...m].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));

function saved(n: number, next: (n: number) => number): CatalogueFiles {
  const files = catalogueFiles(dir(), dir());
  const c = emptyCatalogue();
  c.scannedAt = 1_764_000_000_000;
  for (let i = 0; i < n; i++) c.records.set(`2026/r${i}.json`, randomEntry(next));
  c.generation = newGeneration(files);
  saveCatalogue(files, c, true);
  return files;
}

describe('the records read on demand answer as the records read whole (issue 15)', () => {
  const SEED = Number(process.env.FEEDKEEPER_SEED ?? Date.now() % 1_000_000);
  it(`gets, sets, deletes, saves and reloads, against a whole load (seed ${SEED})`, () => {
    const next = prng(SEED);
    for (let round = 0; round < 2; round++) {
      const n = 450 + next(300);
      const files = saved(n, next);
      const whole = openWhole(files);
      let lazy = openOnDemand(files);
      const paths = (): string => `2026/r${next(n + 60)}.json`;
      for (let step = 0; step < 150; step++) {
        const what = next(20);
        const path = paths();
        if (what < 8) {
          expect(lazy.records.get(path)).toEqual(whole.records.get(path));
          expect(lazy.records.has(path)).toBe(whole.records.has(path));
          // Its place, from the index, is its row's.
          const r = whole.records.get(path);
          expect(keyIndexOf(lazy.records).keyOf(path)).toEqual(r && sortKeyOf(path, r));
        } else if (what < 14) {
          const was = whole.records.get(path);
          // An edit keeps the id most of the time; some move to another month (a rescheduled
          // embargo), some are withdrawn.
          const r =
            was && next(3) > 0
              ? {
                  ...was,
                  publishedAt: next(2) === 0 ? was.publishedAt : randomEntry(next).publishedAt,
                  ...(next(2) === 0
                    ? { withdrawn: true, withdrawnAt: '2026-12-01T00:00:00Z' }
                    : { withdrawn: false, withdrawnAt: null }),
                }
              : randomEntry(next);
          whole.records.set(path, r);
          lazy.records.set(path, r);
        } else if (what < 17) {
          expect(lazy.records.delete(path)).toBe(whole.records.delete(path));
        } else if (what < 19) {
          // What the save plans from: the keys changed and what each was before.
          expect([...records(lazy).changed].sort()).toEqual([...records(whole).changed].sort());
          expect(sorted(records(lazy).before)).toEqual(sorted(records(whole).before));
          saveCatalogue(files, lazy, true);
          records(whole).settle();
          // What was saved is what the whole map holds, read back whole and on demand.
          expect(sorted(openWhole(files).records)).toEqual(sorted(whole.records));
          if (next(2) === 0) lazy = openOnDemand(files);
        } else {
          // The index by key, on demand, answers as a pass over every row.
          const r = randomEntry(next);
          for (const kind of KEY_KINDS)
            expect(keyIndexOf(lazy.records).holders(kind, r[kind])).toEqual(
              [...whole.records]
                .filter(([, x]) => x[kind] === r[kind])
                .map(([p]) => p)
                .sort(),
            );
        }
      }
      // Asked one path at a time, it read fewer chunks than a whole load, unless a save or an
      // index lookup touched most of them: it never read one twice.
      const source = sourceOf(lazy);
      expect(source.wholeLoads).toBe(0);
      expect(source.chunksRead).toBe(source.read.size);
      // Iterating reads the rest: the same rows as the whole load.
      expect(lazy.records.size).toBe(whole.records.size);
      expect(source.whole).toBe(true);
      expect(source.wholeLoads).toBeLessThanOrEqual(1);
      expect(sorted(lazy.records)).toEqual(sorted(whole.records));
      saveCatalogue(files, lazy, true);
      expect(sorted(openWhole(files).records)).toEqual(sorted(whole.records));
    }
  });

  it('one row of 10,000 reads one chunk and the index buckets of its place; iterating reads them all', () => {
    const next = prng(20261201);
    const files = saved(10_000, next);
    const c = openOnDemand(files);
    const source = sourceOf(c);
    expect(source.chunks.length).toBeGreaterThan(40);
    const r = c.records.get('2026/r4242.json');
    expect(r).toBeDefined();
    expect(source.chunksRead).toBe(1);
    expect(keyIndexOf(c.records).bucketsRead).toBe(1);
    // A path no record has: no chunk read.
    expect(c.records.has('2026/none.json')).toBe(false);
    expect(source.chunksRead).toBe(1);
    // An edit, saved: the chunk read is not read again by the save.
    c.records.set('2026/r4242.json', {
      ...r!,
      withdrawn: true,
      withdrawnAt: '2026-12-01T00:00:00Z',
    });
    c.generation = newGeneration(files);
    saveCatalogue(files, c, true);
    expect(source.chunksRead).toBe(1);
    expect([...c.records.keys()]).toHaveLength(10_000);
    expect(source.chunksRead).toBe(source.chunks.length);
    expect(openWhole(files).records.get('2026/r4242.json')?.withdrawn).toBe(true);
  });

  it('a chunk not at the stamp the root names: RecordsUnreadableError, and readRest() is false', () => {
    const next = prng(7);
    const files = saved(1_000, next);
    const c = openOnDemand(files);
    const chunks = readdirSync(files.recordsDir).filter((f) => f.endsWith('.json'));
    expect(chunks.length).toBeGreaterThan(2);
    // Each chunk as another save left it (a file put back, a run killed between a chunk and
    // the root): a snapshot of other rows, not at the stamp the root names.
    const other = saved(3, next);
    const [stray] = readdirSync(other.recordsDir).filter((f) => f.endsWith('.json'));
    for (const f of chunks) copyFileSync(join(other.recordsDir, stray!), join(files.recordsDir, f));
    expect(() => c.records.get('2026/r1.json')).toThrow(RecordsUnreadableError);
    expect(readRest(openOnDemand(files))).toBe(false);
  });
});
