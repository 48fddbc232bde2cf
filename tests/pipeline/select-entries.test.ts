import { describe, expect, it } from 'vitest';
import { emptyCatalogue } from '../../src/archive/catalogue.js';
import { selectEntries } from '../../src/pipeline/select-entries.js';
import { byPublishedDesc } from '../../src/model/newest-first.js';

describe('selectEntries', () => {
  it('picks the same newest N as a full sort (ties by id), skipping withdrawn records', () => {
    const cat = emptyCatalogue();
    let seed = 7;
    const rand = (n: number): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; i < 2000; i++) {
      const day = String(1 + rand(28)).padStart(2, '0');
      cat.records.set(`r${i}.json`, {
        id: `tag:x.org,2026:${rand(500)}-${i}`,
        slug: `s${i}`,
        publishedAt: `2026-02-${day}T00:00:0${rand(3)}Z`,
        updatedAt: '2026-03-01T00:00:00Z',
        withdrawn: rand(10) === 0,
        withdrawnAt: null,
        fingerprint: String(i),
        input: `a${i}.txt`,
      });
    }
    const expected = [...cat.records]
      .filter(([, r]) => !r.withdrawn)
      .map(([path, r]) => ({ path, id: r.id, publishedAt: r.publishedAt }))
      .sort(byPublishedDesc)
      .map((e) => e.path);
    for (const n of [1, 50, 1999, 5000])
      expect(selectEntries(cat, n)).toEqual(expected.slice(0, n));
    // Left out, and under embargo at `now`: never listed, the next newest take their places.
    const leftOut = new Set(expected.filter((_, i) => i % 3 === 0));
    const now = '2026-02-20T00:00:00Z';
    const rest = expected.filter(
      (p) => !leftOut.has(p) && (cat.records.get(p)?.publishedAt ?? '') <= now,
    );
    for (const n of [1, 50, 5000])
      expect(selectEntries(cat, n, now, leftOut)).toEqual(rest.slice(0, n));
  });
});
