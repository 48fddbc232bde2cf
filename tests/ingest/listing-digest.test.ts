import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ListedArticle } from '../../src/ingest/list-articles.js';
import { listingDigest } from '../../src/ingest/listing-digest.js';

/**
 * A run trusts the digest of its listing to say "the same files with the same stats as the
 * last save" (archive/catalogue-file.ts, quietSince()): any difference in any field of any
 * entry must change it.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261130);

const entry = (path: string, size: number, mtimeMs: number, ctimeMs: number, ino: number) =>
  ({ path, absPath: `/x/${path}`, stat: { size, mtimeMs, ctimeMs, ino } }) as ListedArticle;

const arbEntry = fc
  .tuple(
    fc.string({ minLength: 1, maxLength: 12 }),
    fc.nat(),
    fc.double({ min: 0, max: 2e12, noNaN: true }),
    fc.double({ min: 0, max: 2e12, noNaN: true }),
    fc.nat(),
  )
  .map(([path, size, mtime, ctime, ino]) => entry(path, size, mtime, ctime, ino));

/** One entry with one field changed. */
const mutants = (e: ListedArticle): ListedArticle[] => {
  const { path, stat: s } = e;
  return [
    entry(`${path}x`, s.size, s.mtimeMs, s.ctimeMs, s.ino),
    entry(path, s.size + 1, s.mtimeMs, s.ctimeMs, s.ino),
    entry(path, s.size, s.mtimeMs + 0.001, s.ctimeMs, s.ino),
    entry(path, s.size, s.mtimeMs, s.ctimeMs + 1, s.ino),
    entry(path, s.size, s.mtimeMs, s.ctimeMs, s.ino + 1),
  ];
};

describe(`the listing's digest (fast-check seed ${SEED})`, () => {
  it('is the same for the same listing, and changes with any field of any entry', () => {
    fc.assert(
      fc.property(fc.array(arbEntry, { minLength: 1, maxLength: 20 }), fc.nat(), (list, k) => {
        const d = listingDigest(list);
        expect(listingDigest(list.map((e) => ({ ...e, stat: { ...e.stat } })))).toBe(d);
        const i = k % list.length;
        for (const m of mutants(list[i]!))
          expect(listingDigest(list.map((e, j) => (j === i ? m : e)))).not.toBe(d);
        // An entry more, an entry fewer.
        expect(listingDigest([...list, list[i]!])).not.toBe(d);
        expect(listingDigest(list.filter((_, j) => j !== i))).not.toBe(d);
      }),
      { seed: SEED, numRuns: 200 },
    );
  });

  it('keeps names apart: "a" then "bc" is not "ab" then "c"', () => {
    const stat = [1, 2, 3, 4] as const;
    expect(listingDigest([entry('a', ...stat), entry('bc', ...stat)])).not.toBe(
      listingDigest([entry('ab', ...stat), entry('c', ...stat)]),
    );
  });

  it('of a long listing (past one batch of names) still sees the last entry', () => {
    const long = Array.from({ length: 5000 }, (_, i) =>
      entry(`archive/articles/2026/11/a-long-name-${i}.txt`, i, 1.5 * i, 2.5 * i, i),
    );
    const last = long.at(-1)!;
    const edited = [...long.slice(0, -1), entry(`${last.path}.md`, 1, 1, 1, 1)];
    expect(listingDigest(edited)).not.toBe(listingDigest(long));
  });
});
