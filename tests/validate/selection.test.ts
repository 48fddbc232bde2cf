import { describe, expect, it } from 'vitest';
import { selectionProblems, type IndexRow } from '../../src/validate/expected-feed.js';

/** The gate's proof of the render path's choice of records, one failing case per property. */
const row = (
  id: string,
  publishedAt: string,
  withdrawn = false,
): [string, Pick<IndexRow, 'id' | 'publishedAt' | 'withdrawn'>] => [
  `${id}.json`,
  { id, publishedAt: `2026-11-${publishedAt}Z`, withdrawn },
];
const ROWS = new Map([
  row('a', '20T08:00:00'),
  row('b', '21T08:00:00'),
  row('c', '22T08:00:00'),
  row('d', '22T08:00:00'),
  row('w', '23T08:00:00', true),
]);

describe('selectionProblems', () => {
  it.each([
    [2, ['c.json', 'd.json']],
    [3, ['c.json', 'd.json', 'b.json']],
    [10, ['c.json', 'd.json', 'b.json', 'a.json']],
  ])('accepts the right list for feed.size %i', (size, listed) => {
    expect(selectionProblems(ROWS, listed, size)).toEqual([]);
  });

  it('accepts an empty list of an empty archive, or of one with only withdrawn records', () => {
    expect(selectionProblems(new Map(), [], 5)).toEqual([]);
    expect(selectionProblems(new Map([row('w', '23T08:00:00', true)]), [], 5)).toEqual([]);
  });

  it.each([
    ['a withdrawn record listed', ['w.json', 'c.json'], 2, /w is listed but was withdrawn/],
    [
      'an unknown record listed',
      ['x.json', 'c.json'],
      2,
      /x\.json is listed but is not in the archive/,
    ],
    ['oldest first', ['b.json', 'c.json'], 2, /c is listed after b/],
    ['a tie in the wrong id order', ['d.json', 'c.json'], 2, /c is listed after d/],
    ['a record listed twice', ['c.json', 'c.json'], 2, /c is listed after c/],
    ['the newest missing', ['d.json', 'b.json'], 2, /c is not listed, although it is newer than b/],
    ['too few listed', ['c.json', 'd.json'], 3, /is not listed, although only 2 of 3 places/],
    ['too many listed', ['c.json', 'd.json', 'b.json'], 2, /3 entries are listed; feed.size is 2/],
    ['nothing listed', [], 2, /is not listed, although only 0 of 2 places/],
  ])('%s', (_what, listed, size, problem) => {
    const found = selectionProblems(ROWS, listed, size);
    expect(found.join('\n')).toMatch(problem);
  });
});

describe('selectionProblems with records left out as unrenderable', () => {
  const left = new Set(['d.json']);
  it('accepts the list without them: the next newest takes the place', () => {
    expect(selectionProblems(ROWS, ['c.json', 'b.json'], 2, undefined, left)).toEqual([]);
    expect(selectionProblems(ROWS, ['c.json', 'b.json', 'a.json'], 10, undefined, left)).toEqual(
      [],
    );
  });

  it.each([
    ['one listed all the same', ['d.json', 'c.json'], 2, /d is listed but was left out/],
    ['the next newest missing', ['c.json', 'a.json'], 2, /b is not listed, although it is newer/],
    ['a place left empty', ['c.json'], 2, /is not listed, although only 1 of 2 places/],
  ])('still refuses %s', (_what, listed, size, problem) => {
    expect(selectionProblems(ROWS, listed, size, undefined, left).join('\n')).toMatch(problem);
  });
});
