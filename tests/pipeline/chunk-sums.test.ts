import { describe, expect, it } from 'vitest';
import type { RecordEntry, StoredChunk } from '../../src/archive/catalogue.js';
import { recordPathFor } from '../../src/archive/record-path.js';
import { standsIn, sumsOfChunk } from '../../src/pipeline/chunk-sums.js';
import type { GroupSummary } from '../../src/pipeline/page-groups.js';

/**
 * Each of standsIn's checks on its own (pipeline/chunk-sums.ts): an entry saved for a records
 * chunk stands for the chunk's rows only at the stamp, month layout and clock it was made for.
 * The whole runs (pages-held-chunks.test.ts, pages-held-read.test.ts) cannot tell the layout
 * and clock checks from none: a stale share makes its group's digest differ, and the chunk is
 * then read all the same. Here each check alone turns the answer.
 */
const row = (slug: string, publishedAt: string): [string, RecordEntry] => [
  recordPathFor(publishedAt, slug),
  {
    id: `tag:x.example,2026:${slug}`,
    slug,
    publishedAt,
    updatedAt: publishedAt,
    withdrawn: false,
    withdrawnAt: null,
    fingerprint: slug,
    input: `${slug}.txt`,
  },
];

const rows = [row('a', '2026-10-02T08:00:00Z'), row('b', '2026-10-09T08:00:00Z')];
const chunk: StoredChunk = {
  name: '2026-10-1',
  month: '2026/10',
  first: ['2026-10-02T08:00:00Z', rows[0]![1].id, rows[0]![0]],
  last: ['2026-10-09T08:00:00Z', rows[1]![1].id, rows[1]![0]],
  rows: 2,
  live: 2,
  newest: '2026-10-09T08:00:00Z',
  unseen: 0,
  stamp: 's1',
};
const group = (name: string, first: string): GroupSummary =>
  ({ name, month: '2026/10', first: [first, ''], rows: 2 }) as unknown as GroupSummary;
const byMonth = new Map([['2026/10', [group('2026-10-1', '2026-10-01T00:00:00Z')]]]);
const clock = '2026-11-01T00:00:00Z';

describe('standsIn: when a chunk entry is believed', () => {
  const entry = sumsOfChunk(rows, chunk, byMonth, clock);

  it('stands at the stamp, layout and clock it was made for', () => {
    expect(entry.sums).not.toBeNull();
    expect(standsIn(entry, chunk, byMonth, clock)).toBe(true);
    // A later clock: still out of embargo.
    expect(standsIn(entry, chunk, byMonth, '2027-01-01T00:00:00Z')).toBe(true);
  });

  it('does not stand once the chunk was saved again (another stamp)', () => {
    expect(standsIn(entry, { ...chunk, stamp: 's2' }, byMonth, clock)).toBe(false);
  });

  it("does not stand once the month's groups were cut again (another layout)", () => {
    const recut = new Map([
      [
        '2026/10',
        [group('2026-10-1', '2026-10-01T00:00:00Z'), group('2026-10-2', '2026-10-05T00:00:00Z')],
      ],
    ]);
    expect(standsIn(entry, chunk, recut, clock)).toBe(false);
    // The same groups starting elsewhere: another layout too.
    const moved = new Map([['2026/10', [group('2026-10-1', '2026-10-02T00:00:00Z')]]]);
    expect(standsIn(entry, chunk, moved, clock)).toBe(false);
  });

  it('does not stand while its newest row is under embargo at the clock (the clock went back)', () => {
    expect(standsIn(entry, chunk, byMonth, '2026-10-05T00:00:00Z')).toBe(false);
  });

  it('does not stand without sums (a row readers do not see when it was made)', () => {
    const early = sumsOfChunk(rows, chunk, byMonth, '2026-10-05T00:00:00Z');
    expect(early.sums).toBeNull();
    expect(standsIn(early, chunk, byMonth, clock)).toBe(false);
    expect(standsIn(undefined, chunk, byMonth, clock)).toBe(false);
  });
});
