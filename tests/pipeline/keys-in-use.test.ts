import { describe, expect, it } from 'vitest';
import { KeysInUse } from '../../src/pipeline/keys-in-use.js';

/** What the record store held before: a map built from the records in order, then the run's sets. */
describe('KeysInUse (pipeline/keys-in-use.ts) answers as a map built from the records would', () => {
  const SEED = 20261130;
  it(`by passes while asked little, from its map after; keys set during the run first (seed ${SEED})`, () => {
    let state = SEED;
    const next = (n: number): number => {
      state = (state * 1103515245 + 12345) % 2147483648;
      return state % n;
    };
    for (const passes of [0, 3, 1000]) {
      // Records sharing keys (the last one wins), and the run's own sets.
      const records: [string, string][] = Array.from({ length: 60 }, (_, i) => [
        `k${next(25)}`,
        `r${i}`,
      ]);
      const keys = new KeysInUse<string>(() => records, passes);
      const map = new Map(records);
      for (let q = 0; q < 200; q++) {
        if (next(5) === 0) {
          const key = `k${next(40)}`;
          const value = `new${q}`;
          keys.set(key, value);
          map.set(key, value);
          // The store adds what it saved to the records too (the catalogue), at the end.
          records.push([key, value]);
        }
        const key = `k${next(40)}`;
        expect(keys.get(key)).toBe(map.get(key));
        expect(keys.has(key)).toBe(map.has(key));
      }
    }
  });
});
