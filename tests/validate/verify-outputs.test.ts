import { describe, expect, it } from 'vitest';
import { childOf, childrenOf, parseXml, textOf } from '../../src/validate/parse-xml.js';
import type { Issue } from '../../src/model/issue.js';
import type { Format } from '../../src/model/outputs.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { makeRecords, NAMES, renderAll, siteConfig, SITE, verify, type Feeds } from './records.js';

/** Verify, and hold every issue to the contract: file, element, code, message, hint. */
function check(feeds: Feeds, records?: ArchiveRecord[], rc = siteConfig()): string[] {
  const issues: Issue[] = verify(feeds, records, rc);
  for (const i of issues) {
    expect(Object.values(NAMES)).toContain(i.file);
    expect(i.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(i.severity).toBe('error');
    expect(i.element?.length).toBeGreaterThan(0);
    expect(i.message.length).toBeGreaterThan(10);
    expect(i.hint.length).toBeGreaterThan(10);
  }
  return issues.map((i) => `${i.file} ${i.code} ${i.element ?? ''}`);
}

/** Replace the first `from` (which must be there, or the test would prove nothing). */
function edit(text: string, from: string | RegExp, to: string | ((m: string) => string)): string {
  const out = text.replace(from, to as string);
  expect(out, `the edit of ${String(from)} must change the text`).not.toBe(text);
  return out;
}

const good = (): Feeds => renderAll();
const withFile = (format: Format, change: (text: string) => string): Feeds => {
  const f = good();
  return { ...f, [format]: change(f[format]) };
};
const json = (change: (feed: Record<string, unknown>) => void): Feeds =>
  withFile('json', (text) => {
    const feed = JSON.parse(text) as Record<string, unknown>;
    change(feed);
    return JSON.stringify(feed, null, 2);
  });
type Item = Record<string, unknown>;
const items = (feed: Record<string, unknown>): Item[] => feed['items'] as Item[];

describe('the gate on good renders', () => {
  it('accepts the hostile records in all three formats', () => {
    expect(check(good())).toEqual([]);
  });

  it('accepts a bare site (no description, e-mail or url) and records with nothing optional', () => {
    const rc = siteConfig({ title: 'T', baseUrl: 'https://x.example', author: { name: 'A' } });
    const records = makeRecords().map((r) => ({
      ...r,
      section: null,
      tags: [],
      authors: [],
      summary: '',
      source: null,
    }));
    expect(check(renderAll(records, rc), records, rc)).toEqual([]);
  });

  it('accepts an empty feed', () => {
    expect(check(renderAll([]), [])).toEqual([]);
  });
});

describe('the feeds are compared with the records, not with the render', () => {
  /** A good render of the records, proven against records that differ in one field. */
  const against = (change: (r: ArchiveRecord) => ArchiveRecord, at = 0): string[] => {
    const records = makeRecords();
    records[at] = change(records[at]!);
    return check(good(), records);
  };
  const everywhere = (code: string, rss: string, atom: string, json: string): string[] => [
    `out/rss.xml ${code} ${rss}`,
    `out/atom.xml ${code} ${atom}`,
    `out/feed.json ${code} ${json}`,
  ];
  const field = (suffix: string, formats: Format[] = ['rss', 'atom', 'json']): string[] =>
    formats.map(
      (f) =>
        `${NAMES[f]} ROUNDTRIP_MISMATCH ${f === 'rss' ? 'item' : f === 'atom' ? 'entry' : 'items'}[1]/${suffix}`,
    );

  it.each([
    ['id', (r: ArchiveRecord) => ({ ...r, id: 'tag:news.example.org,2026-11-24:other' }), 'id'],
    ['title', (r: ArchiveRecord) => ({ ...r, title: 'Another title' }), 'title'],
    ['url', (r: ArchiveRecord) => ({ ...r, url: 'https://news.example.org/x.html' }), 'link'],
    [
      'publication date',
      (r: ArchiveRecord) => ({ ...r, publishedAt: '2026-11-24T10:00:01Z' }),
      'published',
    ],
    ['summary', (r: ArchiveRecord) => ({ ...r, summary: 'Other.' }), 'summary'],
    [
      'body',
      (r: ArchiveRecord) => ({ ...r, body: [{ type: 'paragraph' as const, text: 'Other.' }] }),
      'content',
    ],
    ['language', (r: ArchiveRecord) => ({ ...r, language: 'fr' }), 'language'],
    ['section', (r: ArchiveRecord) => ({ ...r, section: 'Other' }), 'category'],
    ['authors', (r: ArchiveRecord) => ({ ...r, authors: [] }), 'author'],
  ])('the %s differs: ROUNDTRIP_MISMATCH in every format', (_what, change, suffix) => {
    const found = against(change);
    expect(found).toEqual(expect.arrayContaining(field(suffix)));
  });

  it('the update date differs: Atom and JSON (RSS has no item update date), and the feed date', () => {
    const found = against((r) => ({ ...r, updatedAt: '2026-11-25T07:30:01Z' }));
    expect(found).toEqual([
      'out/rss.xml ROUNDTRIP_MISMATCH lastBuildDate',
      'out/atom.xml ROUNDTRIP_MISMATCH updated',
      'out/atom.xml ROUNDTRIP_MISMATCH entry[1]/updated',
      'out/feed.json ROUNDTRIP_MISMATCH items[1]/updated',
    ]);
  });

  it('a heading that is a paragraph in the records: the content differs', () => {
    const found = against((r) => ({
      ...r,
      body: r.body.map((b) => ({ ...b, type: 'paragraph' as const })),
    }));
    expect(found).toEqual(field('content'));
  });

  it('the source differs: the credit in every format, and Atom link rel=via', () => {
    const found = against((r) => ({
      ...r,
      source: { name: 'Wire & <Co>', url: 'https://other.example.com/' },
    }));
    expect(found).toEqual([
      ...field('content', ['rss']),
      ...field('content', ['atom']),
      'out/atom.xml ROUNDTRIP_MISMATCH entry[1]/link[@rel=via]',
      ...field('content', ['json']),
    ]);
  });

  it('a record the feeds do not list: ROUNDTRIP_COUNT', () => {
    const records = [...makeRecords(), { ...makeRecords()[2]!, id: 'tag:x,2026:y' }];
    expect(check(good(), records)).toEqual(
      everywhere('ROUNDTRIP_COUNT', 'entries', 'entries', 'entries'),
    );
  });

  it('the records in another order: the ids differ at each place', () => {
    const records = makeRecords().reverse();
    const found = check(good(), records);
    expect(found).toContain('out/rss.xml ROUNDTRIP_MISMATCH item[1]/id');
    expect(found).toContain('out/atom.xml ROUNDTRIP_MISMATCH entry[3]/id');
    expect(found).toContain('out/feed.json ROUNDTRIP_MISMATCH items[3]/id');
    expect(found.filter((f) => f.includes('[2]/id'))).toEqual([]);
  });

  it.each([
    [
      'title',
      { ...SITE, title: 'Other' },
      everywhere('ROUNDTRIP_MISMATCH', 'title', 'title', 'title'),
    ],
    [
      'description',
      { ...SITE, description: 'Other' },
      everywhere('ROUNDTRIP_MISMATCH', 'description', 'subtitle', 'description'),
    ],
    [
      'language',
      { ...SITE, language: 'en' },
      everywhere('ROUNDTRIP_MISMATCH', 'language', 'language', 'language'),
    ],
    [
      'author e-mail',
      { ...SITE, author: { ...SITE.author, email: 'other@news.example.org' } },
      ['out/rss.xml ROUNDTRIP_MISMATCH managingEditor', 'out/atom.xml ROUNDTRIP_MISMATCH author'],
    ],
    [
      'author url',
      { ...SITE, author: { ...SITE.author, url: 'https://news.example.org/other' } },
      ['out/atom.xml ROUNDTRIP_MISMATCH author', 'out/feed.json ROUNDTRIP_MISMATCH author'],
    ],
  ])('the site %s differs from the configuration: ROUNDTRIP_MISMATCH', (_what, site, want) => {
    expect(check(good(), makeRecords(), siteConfig(site))).toEqual(want);
  });

  it('another baseUrl: home link, self links and the Atom feed id', () => {
    const found = check(
      good(),
      makeRecords(),
      siteConfig({ ...SITE, baseUrl: 'https://b.example' }),
    );
    expect(found).toEqual([
      'out/rss.xml SELF_LINK channel/atom:link',
      'out/rss.xml ROUNDTRIP_MISMATCH link',
      'out/atom.xml SELF_LINK feed/link[@rel=self]',
      'out/atom.xml ROUNDTRIP_MISMATCH link',
      'out/atom.xml ROUNDTRIP_MISMATCH id',
      'out/feed.json SELF_LINK feed_url',
      'out/feed.json ROUNDTRIP_MISMATCH link',
    ]);
  });
});

describe('faults in one file: each check fails with its code', () => {
  const cases: [string, Format, (t: string) => string, string[]][] = [
    [
      'a control character',
      'atom',
      (t) => edit(t, '<title type="text">Ends', '<title type="text">E\u0001nds'),
      ['XML_ILLEGAL_CHARACTER', 'XML_NOT_WELL_FORMED'],
    ],
    [
      'U+000B',
      'rss',
      (t) => edit(t, '<title>Test', '<title>Te\u000Bst'),
      ['XML_ILLEGAL_CHARACTER', 'XML_NOT_WELL_FORMED'],
    ],
    [
      'an unbound prefix',
      'rss',
      (t) => edit(t, '<channel>', '<channel>\n<foo:bar/>'),
      ['XML_NOT_WELL_FORMED'],
    ],
    ['a cut file', 'rss', (t) => t.slice(0, t.length / 2), ['XML_NOT_WELL_FORMED']],
    [
      'a wrong content: namespace URI',
      'rss',
      (t) =>
        edit(
          t,
          'http://purl.org/rss/1.0/modules/content/',
          'http://purl.org/rss/2.0/modules/content/',
        ),
      ['XML_NAMESPACE'],
    ],
    [
      'a wrong dc: namespace URI',
      'rss',
      (t) => edit(t, 'http://purl.org/dc/elements/1.1/', 'http://purl.org/dc/elements/1.0/'),
      ['XML_NAMESPACE'],
    ],
    [
      'a wrong atom: namespace URI in RSS',
      'rss',
      (t) =>
        edit(
          t,
          'xmlns:atom="http://www.w3.org/2005/Atom"',
          'xmlns:atom="http://www.w3.org/2005/Atom/"',
        ),
      ['XML_NAMESPACE'],
    ],
    [
      'an extension we never write',
      'atom',
      (t) =>
        edit(
          t,
          '<feed xmlns="http://www.w3.org/2005/Atom"',
          '<feed xmlns:x="urn:x" x:a="1" xmlns="http://www.w3.org/2005/Atom"',
        ),
      ['XML_NAMESPACE'],
    ],
    [
      'not RSS 2.0',
      'rss',
      (t) => edit(t, '<rss version="2.0"', '<rss version="0.91"'),
      ['RSS_VERSION'],
    ],
    [
      'no channel description',
      'rss',
      (t) => edit(t, /<description>Feeds[^<]*<\/description>/, ''),
      ['RSS_CHANNEL_REQUIRED', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'an item without title or description',
      'rss',
      (t) =>
        edit(t, /<title><!\[CDATA\[|<title>Ends[^<]*<\/title>/, '').replace(
          /<description><!\[CDATA\[A &amp;[\s\S]*?\]\]><\/description>/,
          '',
        ),
      ['RSS_ITEM_TITLE', 'ROUNDTRIP_MISMATCH', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'a guid that is not isPermaLink="false"',
      'rss',
      (t) => edit(t, 'isPermaLink="false"', 'isPermaLink="true"'),
      ['RSS_GUID_PERMALINK'],
    ],
    [
      'an ISO date in pubDate',
      'rss',
      (t) => edit(t, 'Tue, 24 Nov 2026 10:00:00 GMT', '2026-11-24T10:00:00Z'),
      ['RSS_DATE'],
    ],
    [
      'a pubDate with the wrong weekday',
      'rss',
      (t) => edit(t, 'Tue, 24 Nov 2026 10:00:00 GMT', 'Wed, 24 Nov 2026 10:00:00 GMT'),
      ['RSS_DATE_WEEKDAY'],
    ],
    [
      "a weekday checked in the offset's own day",
      'rss',
      (t) => edit(t, 'Tue, 24 Nov 2026 10:00:00 GMT', 'Tue, 25 Nov 2026 00:00:00 +1400'),
      ['RSS_DATE_WEEKDAY'],
    ],
    [
      'the same instant in another offset, with its own weekday (no fault)',
      'rss',
      (t) => edit(t, 'Tue, 24 Nov 2026 10:00:00 GMT', 'Wed, 25 Nov 2026 00:00:00 +1400'),
      [],
    ],
    [
      'not an Atom feed',
      'atom',
      (t) => edit(t, 'xmlns="http://www.w3.org/2005/Atom"', 'xmlns="http://purl.org/atom/ns#"'),
      ['XML_NAMESPACE', 'ATOM_NAMESPACE'],
    ],
    [
      'no feed id',
      'atom',
      (t) => edit(t, '<id>https://news.example.org/</id>', ''),
      ['ATOM_FEED_REQUIRED', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'an entry without updated',
      'atom',
      (t) => edit(t, '<updated>2026-11-23T09:00:00Z</updated>', ''),
      ['ATOM_ENTRY_REQUIRED', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'two entries with one id',
      'atom',
      (t) =>
        edit(
          t,
          '<id>tag:news.example.org,2026-11-23:ro</id>',
          '<id>tag:news.example.org,2026-11-24:hostile</id>',
        ),
      ['ATOM_ID_UNIQUE', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'no feed author',
      'atom',
      (t) => edit(t, /<author>\s*<name>Test Newsroom<\/name>[\s\S]*?<\/author>\s*/, ''),
      ['ROUNDTRIP_MISMATCH', 'ATOM_AUTHOR'],
    ],
    [
      'a title typed html',
      'atom',
      (t) => edit(t, '<title type="text">Ends', '<title type="html">Ends'),
      ['ATOM_TEXT_TYPE'],
    ],
    [
      'a summary typed html',
      'atom',
      (t) => edit(t, '<summary type="text">', '<summary type="html">'),
      ['ATOM_TEXT_TYPE'],
    ],
    [
      'content typed text',
      'atom',
      (t) => edit(t, '<content type="html">', '<content type="text">'),
      ['ATOM_TEXT_TYPE'],
    ],
    [
      'a date that is not RFC 3339',
      'atom',
      (t) => edit(t, '<published>2026-11-24T10:00:00Z', '<published>24 Nov 2026 10:00:00 GMT'),
      ['DATE_RFC3339'],
    ],
    [
      'an entry newer than the feed',
      'atom',
      (t) =>
        edit(
          t,
          /<updated>2026-11-25T07:30:00Z<\/updated>/,
          '<updated>2026-11-24T00:00:00Z</updated>',
        ),
      ['DATE_RFC3339', 'FEED_DATE_BEFORE_ENTRY', 'ROUNDTRIP_MISMATCH'].slice(1),
    ],
    [
      'a relative link',
      'rss',
      (t) =>
        edit(
          t,
          '<link>https://news.example.org/articles/hostile.html</link>',
          '<link>/articles/hostile.html</link>',
        ),
      ['URL_NOT_ABSOLUTE', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'a wrong self link',
      'atom',
      (t) =>
        edit(
          t,
          'href="https://news.example.org/atom.xml"',
          'href="https://news.example.org/feed.atom"',
        ),
      ['SELF_LINK'],
    ],
    [
      'JSON Feed 1.0',
      'json',
      (t) => edit(t, 'https://jsonfeed.org/version/1.1', 'https://jsonfeed.org/version/1'),
      ['JSON_VERSION'],
    ],
    ['JSON that does not parse', 'json', (t) => t.slice(0, -10), ['JSON_INVALID']],
    ['JSON that is not an object', 'json', () => '[]', ['JSON_INVALID']],
  ];

  it.each(cases)('%s (%s)', (_what, format, change, codes) => {
    const found = check(withFile(format, change));
    expect(found.every((f) => f.startsWith(`${NAMES[format]} `))).toBe(true);
    expect([...new Set(found.map((f) => f.split(' ')[1]))].sort()).toEqual(
      [...new Set(codes)].sort(),
    );
  });

  it.each([
    [
      'no title',
      (f: Record<string, unknown>) => delete f['title'],
      ['JSON_TITLE', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'no items',
      (f: Record<string, unknown>) => delete f['items'],
      ['JSON_ITEMS', 'ROUNDTRIP_COUNT'],
    ],
    [
      'an item without id',
      (f: Record<string, unknown>) => delete items(f)[0]!['id'],
      ['JSON_ITEM_ID', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'an item without content',
      (f: Record<string, unknown>) => delete items(f)[1]!['content_html'],
      ['JSON_ITEM_CONTENT', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'a date that is not a string',
      (f: Record<string, unknown>) => (items(f)[0]!['date_modified'] = 5),
      ['DATE_RFC3339', 'ROUNDTRIP_MISMATCH'],
    ],
    [
      'a relative item url',
      (f: Record<string, unknown>) => (items(f)[2]!['url'] = 'ar.html'),
      ['URL_NOT_ABSOLUTE', 'ROUNDTRIP_MISMATCH'],
    ],
    ['a dropped item', (f: Record<string, unknown>) => items(f).pop(), ['ROUNDTRIP_COUNT']],
    [
      'two titles swapped',
      (f: Record<string, unknown>) => {
        const [a, b] = items(f);
        [a!['title'], b!['title']] = [b!['title'], a!['title']];
      },
      ['ROUNDTRIP_MISMATCH'],
    ],
  ])('JSON Feed: %s', (_what, change, codes) => {
    const found = check(json(change as (f: Record<string, unknown>) => void));
    expect(found.every((f) => f.startsWith('out/feed.json '))).toBe(true);
    expect([...new Set(found.map((f) => f.split(' ')[1]))].sort()).toEqual(
      [...new Set(codes)].sort(),
    );
  });
});

describe('the HTML a reader is given holds only what we write', () => {
  const content = (html: string): Feeds =>
    json((f) => {
      items(f)[1]!['content_html'] = html;
    });
  const codes = (feeds: Feeds): string[] =>
    check(feeds).map((f) => f.split(' ').slice(1).join(' '));

  it.each([
    ['<p>x</p><script>alert(1)</script>', 'HTML_ELEMENT'],
    ['<p>x</p><style>p{}</style>', 'HTML_ELEMENT'],
    ['<p>x<iframe src="https://e.example"></iframe></p>', 'HTML_ELEMENT'],
    ['<p onclick="alert(1)">x</p>', 'HTML_ATTRIBUTE'],
    ['<p>x <a href="javascript:alert(1)">y</a></p>', 'HTML_URL'],
    ['<p>x <a href=" JAVASCRIPT:alert(1)">y</a></p>', 'HTML_URL'],
    ['<p>x</p><!-- hidden -->', 'HTML_ELEMENT'],
  ])('%s: %s', (html, code) => {
    expect(codes(content(html))).toContain(`${code} items[2]/content`);
  });

  it('raw markup from article text (an escaping fault) is caught in every format', () => {
    const f = good();
    const raw = (t: string): string =>
      edit(t, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/, '<script>alert(1)</script>');
    const found = check({ rss: raw(f.rss), atom: f.atom, json: f.json });
    expect(found).toContain('out/rss.xml HTML_ELEMENT item[1]/content');
    expect(found).toContain('out/rss.xml ROUNDTRIP_MISMATCH item[1]/content');
  });

  it('a literal "&amp;" shown as "&" is a different text', () => {
    const f = good();
    const json2 = edit(f.json, '&amp;amp;', '&amp;');
    expect(check({ ...f, json: json2 })).toEqual([
      'out/feed.json ROUNDTRIP_MISMATCH items[1]/content',
    ]);
  });

  it('an RSS description that holds markup: HTML_ELEMENT', () => {
    const found = check(
      withFile('rss', (t) =>
        edit(t, '<description><![CDATA[Un paragraf', '<description><![CDATA[<b>Un</b> paragraf'),
      ),
    );
    expect(found).toEqual(['out/rss.xml HTML_ELEMENT item[2]/description']);
  });
});

describe('the RSS channel description is HTML, like an item description (RSS Best Practices Profile)', () => {
  const site = { ...SITE, description: 'Știri & analize <zilnic>' };
  const rc = siteConfig(site);
  const rendered = (): Feeds => renderAll(makeRecords(), rc);
  const channelDescription = (rss: string): string =>
    /<channel>[\s\S]*?<description>([^<]*)<\/description>/.exec(rss)?.[1] ?? '';

  it('is written escaped twice (HTML, then XML), as the items are, and read back as its text', () => {
    const f = rendered();
    // As HTML, only what an HTML parser needs: `<`, and an `&` that could start a reference
    // (a lone `&` or a `>` draws no ContainsHTML warning from the W3C validator).
    expect(channelDescription(f.rss)).toBe('Știri &amp; analize &amp;lt;zilnic&gt;');
    // What an XML parser hands a reader is HTML, as for the items (theirs in CDATA).
    const channel = childOf(childOf(parseXml(f.rss), 'rss'), 'channel');
    expect(textOf(childOf(channel, 'description'))).toBe('Știri & analize &lt;zilnic>');
    const item = childrenOf(channel, 'item').find((i) =>
      /&/.test(textOf(childOf(i, 'description')) ?? ''),
    );
    expect(textOf(childOf(item, 'description'))).toContain('A &amp; B &lt; C');
    // Atom subtitle and JSON Feed description are plain text: escaped once, or not at all.
    expect(f.atom).toContain('<subtitle>Știri &#x26; analize &#x3C;zilnic&#x3E;</subtitle>');
    expect(JSON.parse(f.json)).toMatchObject({ description: site.description });
    expect(check(f, makeRecords(), rc)).toEqual([]);
  });

  it('escaped once (HTML a reader would render: <zilnic> a tag) is refused by the gate', () => {
    const f = rendered();
    const once = {
      ...f,
      rss: edit(f.rss, channelDescription(f.rss), 'Știri &amp; analize &lt;zilnic&gt;'),
    };
    expect(check(once, makeRecords(), rc)).toEqual(['out/rss.xml ROUNDTRIP_MISMATCH description']);
  });
});
