import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BUCKETS, bucketOf, listingBuckets, NO_DIGEST } from '../../src/archive/input-buckets.js';
import { InputTable, isNotable, UNSAVED } from '../../src/archive/input-table.js';
import type { InputEntry } from '../../src/archive/catalogue.js';
import { walkArticles, type ListedArticle } from '../../src/ingest/list-articles.js';
import { listingDigest } from '../../src/ingest/listing-digest.js';
import { ChangeMap } from '../../src/model/change-map.js';

/**
 * A run leaves a bucket of the inputs unread when its part of the listing has the digest saved
 * with it (archive/input-buckets.ts): any change to an entry must change its bucket's digest,
 * and no other bucket's.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261201);

const entry = (path: string, size: number, mtimeMs: number, ino: number) =>
  ({
    path,
    absPath: `/x/${path}`,
    stat: { size, mtimeMs, ctimeMs: mtimeMs, ino },
  }) as ListedArticle;

const arbListing = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 10 }), { minLength: 1, maxLength: 40 })
  .chain((paths) =>
    fc.tuple(
      fc.constant(paths.sort()),
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 2e9 }), fc.nat()), {
        minLength: paths.length,
        maxLength: paths.length,
      }),
    ),
  )
  .map(([paths, stats]) => paths.map((p, i) => entry(p, ...stats[i]!)));

describe(`the listing cut in buckets (fast-check seed ${SEED})`, () => {
  it('each bucket is digested as its part of the listing alone would be', () => {
    fc.assert(
      fc.property(arbListing, (list) => {
        const b = listingBuckets(list);
        for (let i = 0; i < list.length; i++) expect(b.of[i]).toBe(bucketOf(list[i]!.path));
        for (let k = 0; k < BUCKETS; k++) {
          const part = list.filter((l) => bucketOf(l.path) === k);
          expect(b.counts[k]).toBe(part.length);
          expect(b.digests[k]).toBe(listingDigest(part));
        }
      }),
      { seed: SEED, numRuns: 25 },
    );
  });

  it('a change to one entry (a field, an entry more or fewer) changes its bucket and no other', () => {
    fc.assert(
      fc.property(arbListing, fc.nat(), fc.nat({ max: 4 }), (list, k, field) => {
        const i = k % list.length;
        const e = list[i]!;
        const s = e.stat;
        const changed = [
          entry(e.path, s.size + 1, s.mtimeMs, s.ino),
          entry(e.path, s.size, s.mtimeMs + 1, s.ino),
          entry(e.path, s.size, s.mtimeMs, s.ino + 1),
        ];
        const before = listingBuckets(list).digests;
        const after =
          field < 3
            ? listingBuckets(list.map((l, j) => (j === i ? changed[field]! : l))).digests
            : field === 3
              ? listingBuckets(list.filter((_, j) => j !== i)).digests
              : listingBuckets([...list, entry(`${e.path}~new`, 1, 1, 1)].sort(byPath)).digests;
        const touched = field === 4 ? bucketOf(`${e.path}~new`) : bucketOf(e.path);
        for (let b = 0; b < BUCKETS; b++)
          if (b === touched) expect(after[b]).not.toBe(before[b]);
          else expect(after[b]).toBe(before[b]);
      }),
      { seed: SEED, numRuns: 50 },
    );
  });

  it('a walked listing is cut from its arrays exactly as from its objects', () => {
    // Folders at three depths, names outside ASCII (UTF-16 code units past 0xff and a
    // surrogate pair), a link kept whole, and an unreadable entry: each entry's bucket is
    // hashed from its folder's hash, which must be the hash of its whole path.
    const dir = mkdtempSync(join(tmpdir(), 'fk-buckets-'));
    try {
      const names = ['a.txt', 'știre-ă.md', 'ziar 📰.txt', 'z.markdown'];
      for (const f of ['', '2026', '2026/11', 'ăî/ș'])
        for (const [k, n] of names.entries()) {
          mkdirSync(join(dir, 'articles', f), { recursive: true });
          writeFileSync(join(dir, 'articles', f, `${k}-${n}`), `Titlu ${f} ${n}\n\nText.\n`);
        }
      // A link to a file inside the folder that the walk does not list at its own path.
      mkdirSync(join(dir, 'articles', '.ascuns'));
      writeFileSync(join(dir, 'articles', '.ascuns', 'x.txt'), 'Titlu\n\nText.\n');
      symlinkSync(join(dir, 'articles', '.ascuns', 'x.txt'), join(dir, 'articles', 'link.txt'));
      symlinkSync(join(dir, 'nowhere.txt'), join(dir, 'articles', 'broken.txt'));
      const listing = walkArticles(join(dir, 'articles'), dir);
      const objects = listing.articles();
      expect(objects.length).toBe(18);
      expect(objects.some((o) => o.problem !== undefined)).toBe(true);
      const fromArrays = listingBuckets(listing);
      const fromObjects = listingBuckets([...objects]);
      expect([...fromArrays.of]).toEqual(objects.map((o) => bucketOf(o.path)));
      expect([...fromArrays.counts]).toEqual([...fromObjects.counts]);
      expect(fromArrays.digests).toEqual(fromObjects.digests);
      for (let i = 0; i < objects.length; i++) {
        expect(listing.path(i)).toBe(objects[i]!.path);
        expect(listing.stat(i)).toEqual(objects[i]!.stat);
        expect(listing.hasProblem(i)).toBe(objects[i]!.problem !== undefined);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an entry the walk could not read gives its bucket no digest: it is always read', () => {
    const list = [entry('a.txt', 1, 1, 1), { ...entry('b.txt', 0, 0, 0), problem: {} }];
    const b = listingBuckets(list as ListedArticle[]);
    expect(b.digests[bucketOf('b.txt')]).toBe(NO_DIGEST);
    if (bucketOf('a.txt') !== bucketOf('b.txt'))
      expect(b.digests[bucketOf('a.txt')]).not.toBe(NO_DIGEST);
  });

  it('spreads paths over every bucket', () => {
    const seen = new Set<number>();
    for (let i = 0; i < 5000; i++) seen.add(bucketOf(`2026/11/stire-${i}.txt`));
    expect(seen.size).toBe(BUCKETS);
    // Stable: the bucket of a path is in the files.
    expect(bucketOf('2026/11/stire-1.txt')).toBe(bucketOf('2026/11/stire-1.txt'));
  });
});

const byPath = (a: ListedArticle, b: ListedArticle): number =>
  a.path < b.path ? -1 : a.path > b.path ? 1 : 0;

const row = (record: string | null, issues = 0): InputEntry => ({
  stat: { size: 1, mtimeMs: 1, ctimeMs: 1, ino: 1 },
  sha256: 'x',
  normalizer: 1,
  record,
  issues: Array.from({ length: issues }, () => ({
    code: 'ARTICLE_EMPTY',
    severity: 'error' as const,
    file: 'x',
    message: 'm',
    hint: 'h',
  })),
});

describe('the inputs table read a bucket at a time', () => {
  it('reads a bucket when one of its rows is asked for, and answers the rest from the root', () => {
    const a = 'a.txt';
    let other = 'b.txt';
    for (let i = 0; bucketOf(other) === bucketOf(a); i++) other = `b${i}.txt`;
    const loads: number[] = [];
    const summaries = Array.from({ length: BUCKETS }, () => UNSAVED);
    summaries[bucketOf(a)] = { stamp: 's', digest: 'd', normalizer: 1, rows: 3 };
    summaries[bucketOf(other)] = { stamp: 't', digest: 'e', normalizer: 1, rows: 2 };
    const notable = new Map([[other, row(null)]]);
    const t = InputTable.opened(summaries, notable, (bucket) => {
      loads.push(bucket);
      const rows = new ChangeMap<string, InputEntry>();
      if (bucket === bucketOf(a)) rows.put(a, row('a.json'));
      return { rows, saved: null };
    });
    expect(t.size).toBe(5);
    expect(t.peek(other)).toEqual(row(null));
    expect(t.peek(a)).toBeUndefined();
    expect(loads).toEqual([]);
    expect(t.unread()).toEqual({ notable: [[other, row(null)]], others: 4 });
    expect(t.get(a)).toEqual(row('a.json'));
    expect(loads).toEqual([bucketOf(a)]);
    expect(t.size).toBe(3);
    expect(t.unread()).toEqual({ notable: [[other, row(null)]], others: 1 });
    expect([...t.notable()]).toEqual([[other, row(null)]]);
    t.set(a, row('a.json', 1));
    expect(t.changes()).toBe(1);
    expect([...t.notable()].map(([p]) => p).sort()).toEqual([a, other].sort());
    expect(isNotable(row('r.json'))).toBe(false);
  });

  it('a bucket that cannot be read: load() says so, and a row asked for throws', () => {
    const summaries = Array.from({ length: BUCKETS }, () => ({ ...UNSAVED, stamp: 's' }));
    const t = InputTable.opened(summaries, new Map(), () => null);
    expect(t.load(bucketOf('a.txt'))).toBe(false);
    expect(() => t.get('a.txt')).toThrow(/could not be read/);
    expect(t.loadAll()).toBe(false);
  });
});
