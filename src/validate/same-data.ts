import { isDeepStrictEqual } from 'node:util';

/**
 * isDeepStrictEqual(), answered at once for the values the gate compares (strings, numbers and
 * plain arrays and objects of them: an entry's content blocks and links, read back from a feed
 * and taken from the records). Node's version checks every kind of object (dates, maps, boxed
 * values, typed arrays) at every level, and comparing the contents of 50 entries in three
 * formats was the largest part of the gate's time on a run with one new article (75 ms of
 * 200 ms under load). Two values are called the same here only when they are (a plain array
 * or object on both sides, the same keys, each value the same); anything else, and every value
 * that differs, is answered by isDeepStrictEqual() itself, so a mismatch is found and reported
 * exactly as before.
 */
export const sameData = (a: unknown, b: unknown): boolean =>
  plainlySame(a, b) || isDeepStrictEqual(a, b);

function plainlySame(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const proto = Object.getPrototypeOf(a) as unknown;
  if (proto !== Object.getPrototypeOf(b)) return false;
  if (proto === Array.prototype) {
    const x = a as readonly unknown[];
    const y = b as readonly unknown[];
    if (x.length !== y.length || !onlyKeys(x, x.length) || !onlyKeys(y, y.length)) return false;
    for (let i = 0; i < x.length; i++) if (!plainlySame(x[i], y[i])) return false;
    return true;
  }
  if (proto !== Object.prototype && proto !== null) return false;
  const keys = Object.keys(a);
  if (!onlyKeys(a, keys.length) || !onlyKeys(b, keys.length)) return false;
  for (const k of keys)
    if (
      !Object.hasOwn(b, k) ||
      !plainlySame((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k])
    )
      return false;
  return true;
}

/**
 * Whether `o` has `n` enumerable own keys and no symbol keys: an array without holes or extra
 * keys (for an array, `n` is its length), or an object with `n` keys.
 */
const onlyKeys = (o: object, n: number): boolean =>
  Object.keys(o).length === n && Object.getOwnPropertySymbols(o).length === 0;
