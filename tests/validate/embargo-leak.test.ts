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
    ['an RSS guid that is a permalink', `<item><guid>${ID}</guid></item>`],
    ['an Atom entry id', `<feed><id>x</id><entry>\n<id>${ID}</id></entry></feed>`],
    ['a JSON Feed item id', `{"items":[{"id":"${ID}"}]}`],
    ['a JSON Feed item id, indented', `{\n  "items": [\n    {\n      "id": "${ID}",`],
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

  // Found by an outside try: one embargoed article whose id is an address other outputs
  // carry stopped every publication until its time.
  it('lets through its id where it is not an entry: a feed id, a link, a cited source', () => {
    const site = 'https://news.example.org/';
    const cited = 'https://news.example.org/2026/12/big-story';
    const under = embargoedAt(
      new Map([
        ['2026/12/a.json', { id: site, publishedAt: '2026-12-20T10:00:00Z', withdrawn: false }],
        ['2026/12/b.json', { id: cited, publishedAt: '2026-12-20T10:00:00Z', withdrawn: false }],
      ]),
      '2026-12-01T00:00:00Z',
    );
    for (const text of [
      `<channel><link>${site}</link><atom:link href="${site}rss.xml"/>`,
      `<feed><id>${site}</id><link href="${site}"/><entry><id>tag:x,2026:y</id><link rel="via" href="${cited}"/></entry>`,
      `{"home_page_url": "${site}", "items": [{"id": "tag:x,2026:y", "external_url": "${cited}"}]}`,
      `<p>Source: <a href="${cited}">${cited}</a></p>`,
    ])
      expect(embargoLeak('out/x', text, under), text).toBeNull();
  });
});
