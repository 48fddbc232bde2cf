import type { RecordEntry } from '../../src/archive/catalogue.js';

/**
 * What the property tests of the records table share (tests of record-chunks, the chunks'
 * views, the head, the parts due, the gate's oracles): a catalogue row, and a seeded generator.
 */

/** A live catalogue row published at `publishedAt`, its slug its id; `o` overrides. */
export const recordRow = (
  publishedAt: string,
  id: string,
  o: Partial<RecordEntry> = {},
): RecordEntry => ({
  id,
  slug: id,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn: false,
  withdrawnAt: null,
  fingerprint: 'f',
  input: `articles/${id}.txt`,
  ...o,
});

/** mulberry32: small, seeded, good enough to spread dates and choose edits. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
