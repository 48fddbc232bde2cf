import { describe, expect, it } from 'vitest';
import { emptyCatalogue, type RecordEntry } from '../../src/archive/catalogue.js';
import { lastChange } from '../../src/archive/last-change.js';
import { releaseReason, scheduledOf } from '../../src/pipeline/embargo.js';
import { selectEntries } from '../../src/pipeline/select-entries.js';

/** The render path's side of embargoes, unit by unit (the gate's side: tests/validate/). */
const entry = (id: string, publishedAt: string, withdrawn = false): RecordEntry => ({
  id,
  slug: id,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn,
  withdrawnAt: withdrawn ? '2026-11-25T07:00:00Z' : null,
  fingerprint: id,
  input: `archive/articles/${id}.txt`,
});
const NOW = '2026-11-25T12:00:00Z';
const records = new Map([
  ['a.json', entry('a', '2026-11-25T08:00:00Z')],
  ['due.json', entry('due', NOW)],
  ['z.json', entry('z', '2026-12-01T00:00:00Z')],
  ['y.json', entry('y', '2026-12-01T00:00:00Z')],
  ['gone.json', entry('gone', '2026-12-02T00:00:00Z', true)],
  ['typo.json', entry('typo', '2062-01-01T00:00:00Z')],
]);

describe('embargoes in the render path', () => {
  it('selectEntries leaves out what is published after the clock, and lists what is due', () => {
    const cat = { ...emptyCatalogue(), records };
    expect(selectEntries(cat, 10, NOW)).toEqual(['due.json', 'a.json']);
    expect(selectEntries(cat, 1, NOW)).toEqual(['due.json']);
  });

  it('lastChange ignores records under embargo', () => {
    expect(lastChange(records.values(), NOW)).toBe(NOW);
    expect(lastChange(records.values())).toBe('2062-01-01T00:00:00Z');
  });

  it('scheduledOf: the live records under embargo, the next due first, then by path', () => {
    expect(scheduledOf(records, NOW).map((s) => s.record)).toEqual([
      'y.json',
      'z.json',
      'typo.json',
    ]);
  });

  it('releaseReason: none before the first due time, then which embargoes ended', () => {
    const state = {
      fingerprint: '',
      entries: [],
      files: {},
      scheduled: scheduledOf(records, NOW),
    };
    expect(releaseReason(state, '2026-11-30T23:59:59Z')).toBeNull();
    expect(releaseReason(state, '2026-12-01T00:00:00Z')).toBe(
      'the embargoes on 2 records ended (first y.json at 2026-12-01T00:00:00Z)',
    );
    expect(
      releaseReason({ ...state, scheduled: state.scheduled.slice(1) }, '2026-12-01T00:00:00Z'),
    ).toBe('the embargo on z.json ended at 2026-12-01T00:00:00Z');
    expect(releaseReason(null, NOW)).toBeNull();
  });
});
