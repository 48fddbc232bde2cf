import { describe, expect, it } from 'vitest';
import { feedDateOf, selectionProblems, type IndexRow } from '../../src/validate/expected-feed.js';

/** The gate's own view of embargoes: a record published after `now` is not listed yet. */
const row = (id: string, publishedAt: string, updatedAt = publishedAt): [string, IndexRow] => [
  `${id}.json`,
  { id, publishedAt, updatedAt, withdrawn: false, withdrawnAt: null },
];
const NOW = '2026-11-25T12:00:00Z';
const ROWS = new Map([
  row('a', '2026-11-25T08:00:00Z'),
  row('b', '2026-11-25T12:00:00Z'), // due this very second: published
  row('later', '2026-11-25T12:00:01Z'),
  row('typo', '2062-11-25T00:00:00Z'),
]);

describe('selectionProblems with embargoes', () => {
  it('accepts the list without the embargoed records, and a record due this second in it', () => {
    expect(selectionProblems(ROWS, ['b.json', 'a.json'], 10, NOW)).toEqual([]);
    expect(selectionProblems(ROWS, ['b.json'], 1, NOW)).toEqual([]);
  });

  it('refuses a list with an embargoed record, naming it and its time', () => {
    expect(selectionProblems(ROWS, ['later.json', 'b.json', 'a.json'], 10, NOW)).toEqual([
      'later is listed but is under embargo until 2026-11-25T12:00:01Z',
    ]);
    expect(selectionProblems(ROWS, ['typo.json', 'b.json'], 2, NOW)[0]).toBe(
      'typo is listed but is under embargo until 2062-11-25T00:00:00Z',
    );
  });

  it('refuses a list that leaves out a record that has come due', () => {
    expect(selectionProblems(ROWS, ['a.json'], 10, NOW)).toEqual([
      'b is not listed, although only 1 of 10 places are used',
    ]);
  });

  it('without a clock (older callers) lists every record that is not withdrawn', () => {
    expect(selectionProblems(ROWS, ['typo.json', 'later.json', 'b.json', 'a.json'], 10)).toEqual(
      [],
    );
  });
});

describe('feedDateOf with embargoes', () => {
  it('ignores records under embargo (a 2062 typo would freeze the feed date)', () => {
    expect(new Date(feedDateOf(ROWS.values(), NOW)).toISOString()).toBe('2026-11-25T12:00:00.000Z');
    expect(new Date(feedDateOf(ROWS.values())).toISOString()).toBe('2062-11-25T00:00:00.000Z');
  });
});
