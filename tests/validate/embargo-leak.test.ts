import { describe, expect, it } from 'vitest';
import { embargoedAt, embargoLeak } from '../../src/validate/embargo-leak.js';

const ID = 'tag:news.example.org,2026-12-20:story';
const records = new Map([
  ['2026/12/story.json', { id: ID, publishedAt: '2026-12-20T10:00:00Z', withdrawn: false }],
  [
    '2026/12/story-2.json',
    { id: `${ID}-2`, publishedAt: '2026-11-20T10:00:00Z', withdrawn: false },
  ],
  ['2026/12/gone.json', { id: `${ID}-gone`, publishedAt: '2026-12-21T10:00:00Z', withdrawn: true }],
]);

describe('embargo leaks: no output shows a record still under embargo', () => {
  const embargoed = embargoedAt(records, '2026-12-01T00:00:00Z');

  it('finds the live records dated after the clock, by date alone', () => {
    expect(embargoed.map((e) => e.record)).toEqual(['2026/12/story.json']);
    expect(embargoedAt(records, '2026-12-20T10:00:00Z')).toEqual([]);
  });

  it.each([
    ['an RSS guid', `<guid isPermaLink="false">${ID}</guid>`],
    ['an Atom id', `<id>${ID}</id>`],
    ['a JSON Feed id', `{"id":"${ID}"}`],
  ])('refuses %s of it', (_, text) => {
    expect(embargoLeak('out/x', text, embargoed)).toMatchObject({
      code: 'EMBARGO_LEAK',
      file: 'out/x',
      message: expect.stringContaining('under embargo until 2026-12-20T10:00:00Z'),
    });
  });

  it('refuses its own page, whatever the page holds', () => {
    expect(embargoLeak('out/a.html', '<p>x</p>', embargoed, '2026/12/story.json')?.code).toBe(
      'EMBARGO_LEAK',
    );
  });

  it('lets through another id it is a prefix of, and a link to its URL', () => {
    expect(embargoLeak('out/x', `<id>${ID}-2</id>`, embargoed)).toBeNull();
    expect(
      embargoLeak(
        'out/x',
        '<a href="https://news.example.org/articles/story.html">soon</a>',
        embargoed,
      ),
    ).toBeNull();
    expect(embargoLeak('out/x', `<id>${ID}</id>`, [])).toBeNull();
  });
});
