import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { sameData } from '../../src/validate/same-data.js';
import { prng } from '../archive/table-rows.js';

/**
 * The gate compares what it reads back from each feed with the records by sameData()
 * (validate/same-data.ts), a quick path in front of isDeepStrictEqual(): it must answer exactly
 * as isDeepStrictEqual() does, or a feed that is not what the records say would be published.
 */
const tricky: [string, unknown, unknown][] = [
  ['0 and -0', 0, -0],
  ['NaN and NaN', NaN, NaN],
  ['a string and its object', 'a', Object('a')],
  ['1 and "1"', 1, '1'],
  ['undefined and null', undefined, null],
  ['a key set to undefined and no key', { a: undefined }, {}],
  ['no key and a key set to undefined', {}, { a: undefined }],
  ['keys in another order', { a: 1, b: 2 }, { b: 2, a: 1 }],
  ['an extra key', { a: 1 }, { a: 1, b: 2 }],
  ['a hole and undefined', [1, , 3], [1, undefined, 3]], // eslint-disable-line no-sparse-arrays
  ['undefined and a hole', [1, undefined, 3], [1, , 3]], // eslint-disable-line no-sparse-arrays
  ['an array with an extra key', Object.assign([1, 2], { x: 1 }), [1, 2]],
  ['an array and an array with an extra key', [1, 2], Object.assign([1, 2], { x: 1 })],
  ['an array and an object of its indexes', [1, 2], { 0: 1, 1: 2 }],
  ['an object and an array of its values', { 0: 1, 1: 2 }, [1, 2]],
  [
    'a null-prototype object and a plain one',
    Object.assign(Object.create(null), { a: 1 }),
    { a: 1 },
  ],
  [
    'two null-prototype objects',
    Object.assign(Object.create(null), { a: 1 }),
    Object.assign(Object.create(null), { a: 1 }),
  ],
  ['two dates', new Date(1), new Date(1)],
  ['two other dates', new Date(1), new Date(2)],
  ['a date and an object', new Date(1), {}],
  ['an object with a symbol key', { a: 1, [Symbol.for('s')]: 1 }, { a: 1 }],
  ['an object and one with a symbol key', { a: 1 }, { a: 1, [Symbol.for('s')]: 1 }],
  ['two with a symbol key', { [Symbol.for('s')]: 1 }, { [Symbol.for('s')]: 2 }],
  ['an array with a symbol key', Object.assign([1], { [Symbol.for('s')]: 1 }), [1]],
  [
    'an instance of a class and a plain object',
    new (class A {
      a = 1;
    })(),
    { a: 1 },
  ],
  ['two maps', new Map([[1, 2]]), new Map([[1, 3]])],
  ['a typed array and an array', new Uint8Array([1]), [1]],
];

/** A value like those the gate compares (blocks, links, strings, numbers), at random. */
function valueOf(rnd: () => number, depth: number): unknown {
  const r = rnd();
  if (depth <= 0 || r < 0.35) {
    const leaves: unknown[] = ['', 'p', 'h2', 'text', 'șț', 0, -0, 1, NaN, undefined, null];
    return leaves[Math.floor(rnd() * leaves.length)];
  }
  if (r < 0.65) return Array.from({ length: Math.floor(rnd() * 4) }, () => valueOf(rnd, depth - 1));
  const o: Record<string, unknown> = {};
  for (const k of ['type', 'text', 'href', 'a'].filter(() => rnd() < 0.6))
    o[k] = valueOf(rnd, depth - 1);
  return o;
}

/** `v` copied, and sometimes changed in one place (a value, a key, a length). */
function nearlyOf(rnd: () => number, v: unknown): unknown {
  const change = rnd() < 0.15;
  if (Array.isArray(v)) {
    const copy = v.map((x) => nearlyOf(rnd, x));
    if (change) {
      if (rnd() < 0.5) copy.push('more');
      else copy.length = Math.max(0, copy.length - 1);
    }
    return copy;
  }
  if (typeof v === 'object' && v !== null) {
    const copy: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) copy[k] = nearlyOf(rnd, x);
    if (change) {
      if (rnd() < 0.5) copy['extra'] = undefined;
      else delete copy[Object.keys(copy)[0] ?? 'none'];
    }
    return copy;
  }
  if (!change) return v;
  return typeof v === 'string' ? `${v}x` : typeof v === 'number' ? v + 1 : 0;
}

describe('sameData', () => {
  it.each(tricky)('answers as isDeepStrictEqual: %s', (_, a, b) => {
    expect(sameData(a, b)).toBe(isDeepStrictEqual(a, b));
  });

  it('answers as isDeepStrictEqual on 3,000 seeded pairs of blocks, links and values', () => {
    const rnd = prng(20261202);
    let same = 0;
    for (let i = 0; i < 3000; i++) {
      const a = valueOf(rnd, 4);
      const b = nearlyOf(rnd, a);
      const want = isDeepStrictEqual(a, b);
      if (want) same++;
      expect(sameData(a, b), JSON.stringify([a, b])).toBe(want);
    }
    // Both answers are tried often.
    expect(same).toBeGreaterThan(500);
    expect(same).toBeLessThan(2500);
  });
});
