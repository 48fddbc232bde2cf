import { parseAtomFeed, parseJsonFeed, parseRssFeed } from 'feedsmith';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedDocument } from '../../src/model/feed.js';
import { renderAtom, renderJson, renderRss } from '../../src/render/feed-adapter.js';
import {
  HOSTILE_SECTION,
  HOSTILE_SUMMARY,
  HOSTILE_TITLE,
  makeDocument,
  unescapeHtml,
  makeBareDocument,
} from './document.js';

const renderAll = (doc: FeedDocument): { rss: string; atom: string; json: string } => ({
  rss: renderRss(doc),
  atom: renderAtom(doc),
  json: renderJson(doc),
});

/** The elements named `name` in `xml`, opening tag with attributes through closing tag. */
const elements = (xml: string, name: string): string[] =>
  xml.match(new RegExp(`<${name}(?:\\s[^>]*)?(?:/>|>[\\s\\S]*?</${name}>)`, 'g')) ?? [];

const WHOLE_SECOND = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

afterEach(() => {
  vi.useRealTimers();
});

// Every render happens inside its test (never at describe level or in beforeAll), so that
// mutation testing can tie each line of the renderer to the tests that reach it.
const jsonOf = (
  doc: FeedDocument,
): Record<string, unknown> & { items: Record<string, unknown>[] } =>
  JSON.parse(renderJson(doc)) as Record<string, unknown> & { items: Record<string, unknown>[] };

describe('renderJson: JSON Feed 1.1', () => {
  const doc = makeDocument();

  it('says version 1.1, with authors (not author), language and feed_url', () => {
    const feed = jsonOf(doc);
    expect(feed['version']).toBe('https://jsonfeed.org/version/1.1');
    expect(feed['authors']).toEqual([{ name: 'Test Newsroom' }]);
    expect(feed).not.toHaveProperty('author');
    expect(feed['language']).toBe('ro');
    expect(feed['feed_url']).toBe('https://news.example.org/feed.json');
    expect(feed['home_page_url']).toBe('https://news.example.org/');
    expect(feed['title']).toBe('Test News & <Friends>');
  });

  it('gives every item its id, language, authors, tags (section first) and whole-second dates', () => {
    const feed = jsonOf(doc);
    expect(feed.items.map((i) => i['id'])).toEqual(doc.entries.map((e) => e.id));
    expect(feed.items.map((i) => i['language'])).toEqual(['en', 'ro', 'ar']);
    expect(feed.items[0]?.['authors']).toEqual([
      { name: 'Ana "Ani" O\'Pop' },
      { name: 'Ion & <Co>' },
    ]);
    expect(feed.items[2]).not.toHaveProperty('authors');
    for (const item of feed.items) expect(item).not.toHaveProperty('author');
    expect(feed.items[0]?.['tags']).toEqual([HOSTILE_SECTION, 'tag-two']);
    expect(feed.items[1]?.['tags']).toEqual(['Politică']);
    expect(feed.items[0]?.['date_published']).toBe('2026-11-24T10:00:00Z');
    expect(feed.items[0]?.['date_modified']).toBe('2026-11-25T07:30:00Z');
    for (const item of feed.items) {
      expect(item['date_published']).toMatch(WHOLE_SECOND);
      expect(item['date_modified']).toMatch(WHOLE_SECOND);
    }
  });

  it('keeps an empty summary, so the JSON says what the archive says', () => {
    const base = makeDocument();
    const [first, ...rest] = base.entries;
    const d = makeDocument({ entries: [{ ...first!, summary: '' }, ...rest] });
    const items = (JSON.parse(renderJson(d)) as { items: { summary?: unknown }[] }).items;
    expect(items[0]?.summary).toBe('');
  });

  it('is read back by feedsmith as the same feed', () => {
    const parsed = parseJsonFeed(renderJson(doc));
    expect(parsed.title).toBe(doc.title);
    expect(parsed.items?.map((i) => [i.id, i.title, i.url, i.summary, i.content_html])).toEqual(
      doc.entries.map((e) => [e.id, e.title, e.url, e.summary, e.contentHtml]),
    );
  });
});

describe('renderAtom: Atom 1.0', () => {
  const doc = makeDocument();

  it('writes xml:lang on the feed and on each entry', () => {
    const atom = renderAtom(doc);
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ro">');
    const entryTags = atom.match(/<entry[^>]*>/g) ?? [];
    expect(entryTags).toEqual([
      '<entry xml:lang="en">',
      '<entry xml:lang="ro">',
      '<entry xml:lang="ar">',
    ]);
  });

  it('writes entry titles and summaries as type="text", never type="html"', () => {
    const atom = renderAtom(doc);
    const titles = elements(atom, 'title');
    expect(titles).toHaveLength(1 + doc.entries.length);
    for (const t of titles.slice(1)) expect(t).toMatch(/^<title type="text">/);
    for (const s of elements(atom, 'summary')) expect(s).toMatch(/^<summary type="text">/);
    expect(atom).not.toMatch(/<(title|summary) type="html"/);
  });

  it('has a feed-level author before the first entry, and entry authors', () => {
    const atom = renderAtom(doc);
    const head = atom.slice(0, atom.indexOf('<entry'));
    expect(elements(head, 'author')).toEqual([
      expect.stringMatching(/^<author>\s*<name>Test Newsroom<\/name>\s*<\/author>$/),
    ]);
    const parsed = parseAtomFeed(atom);
    expect(parsed.authors?.map((a) => a.name)).toEqual(['Test Newsroom']);
    expect(parsed.entries?.[0]?.authors?.map((a) => a.name)).toEqual([
      'Ana "Ani" O\'Pop',
      'Ion & <Co>',
    ]);
  });

  it('writes whole-second dates, the feed date being the newest entry update', () => {
    const atom = renderAtom(doc);
    const dates = [...atom.matchAll(/<(updated|published)>([^<]*)<\/\1>/g)].map((m) => m[2]);
    expect(dates.length).toBe(1 + 2 * doc.entries.length);
    for (const d of dates) expect(d).toMatch(WHOLE_SECOND);
    expect(parseAtomFeed(atom).updated).toBe('2026-11-25T07:30:00Z');
  });

  it('links to itself and to the home page', () => {
    const atom = renderAtom(doc);
    expect(atom).toContain('<link rel="self" href="https://news.example.org/atom.xml"/>');
    const links = parseAtomFeed(atom).links ?? [];
    expect(links.find((l) => l.rel === 'self')?.href).toBe('https://news.example.org/atom.xml');
    expect(links.find((l) => l.rel === 'alternate')?.href).toBe('https://news.example.org/');
  });

  it('writes each category with term and label = the section or tag', () => {
    const atom = renderAtom(doc);
    const parsed = parseAtomFeed(atom);
    expect(parsed.entries?.[0]?.categories?.map((c) => [c.term, c.label])).toEqual([
      [HOSTILE_SECTION, HOSTILE_SECTION],
      ['tag-two', 'tag-two'],
    ]);
  });
});

describe('renderRss: RSS 2.0', () => {
  const doc = makeDocument();

  it('has full content in content:encoded for every item', () => {
    const rss = renderRss(doc);
    const items = elements(rss, 'item');
    expect(items).toHaveLength(doc.entries.length);
    const parsed = parseRssFeed(rss);
    expect(parsed.items?.map((i) => i.content?.encoded)).toEqual(
      doc.entries.map((e) => e.contentHtml),
    );
  });

  it('has one dc:creator per author and no <author> element', () => {
    const rss = renderRss(doc);
    const items = elements(rss, 'item');
    expect(items.map((i) => elements(i, 'dc:creator').length)).toEqual([2, 1, 0]);
    expect(rss).not.toMatch(/<author[\s>]/);
    const parsed = parseRssFeed(rss);
    expect(parsed.items?.map((i) => i.dc?.creators ?? [])).toEqual([
      ['Ana "Ani" O\'Pop', 'Ion & <Co>'],
      ['Maria Ionescu'],
      [],
    ]);
  });

  it('has atom:link rel="self" and categories = section first, then tags', () => {
    const rss = renderRss(doc);
    expect(rss).toMatch(
      /<atom:link href="https:\/\/news\.example\.org\/rss\.xml" rel="self" type="application\/rss\+xml"\/>/,
    );
    expect(rss).toContain('xmlns:atom="http://www.w3.org/2005/Atom"');
    const parsed = parseRssFeed(rss);
    expect(parsed.atom?.links?.find((l) => l.rel === 'self')?.href).toBe(
      'https://news.example.org/rss.xml',
    );
    expect(parsed.items?.map((i) => i.categories?.map((c) => c.name) ?? [])).toEqual([
      [HOSTILE_SECTION, 'tag-two'],
      ['Politică'],
      [],
    ]);
  });

  it('writes guids as isPermaLink="false" tag URIs and pubDate = publication', () => {
    const rss = renderRss(doc);
    const parsed = parseRssFeed(rss);
    expect(parsed.items?.map((i) => [i.guid?.value, i.guid?.isPermaLink])).toEqual(
      doc.entries.map((e) => [e.id, false]),
    );
    expect(parsed.items?.[0]?.pubDate).toBe('Tue, 24 Nov 2026 10:00:00 GMT');
  });
});

describe('hostile text survives exactly', () => {
  const doc = makeDocument();

  it('title: "]]>" twice, "&", "<", quotes: the same text in all three formats', () => {
    const feeds = renderAll(doc);
    expect(parseRssFeed(feeds.rss).items?.[0]?.title).toBe(HOSTILE_TITLE);
    expect(parseAtomFeed(feeds.atom).entries?.[0]?.title).toEqual({
      value: HOSTILE_TITLE,
      type: 'text',
    });
    expect(parseJsonFeed(feeds.json).items?.[0]?.title).toBe(HOSTILE_TITLE);
    expect(parseRssFeed(feeds.rss).title).toBe('Test News & <Friends>');
    expect(parseAtomFeed(feeds.atom).title?.value).toBe('Test News & <Friends>');
  });

  it('summary: plain text in Atom and JSON, escaped HTML in RSS', () => {
    const feeds = renderAll(doc);
    expect(parseAtomFeed(feeds.atom).entries?.[0]?.summary).toEqual({
      value: HOSTILE_SUMMARY,
      type: 'text',
    });
    expect(parseJsonFeed(feeds.json).items?.[0]?.summary).toBe(HOSTILE_SUMMARY);
    const description = parseRssFeed(feeds.rss).items?.[0]?.description ?? '';
    expect(unescapeHtml(description)).toBe(HOSTILE_SUMMARY);
  });

  it('content: the HTML body with every "]]>" intact, even raw "]]>" in the HTML', () => {
    const feeds = renderAll(doc);
    const raw = '<p>raw ]]> once and ]]> twice &amp; done</p>';
    const [first, ...rest] = doc.entries;
    const d = makeDocument({ entries: [{ ...first!, contentHtml: raw }, ...rest] });
    const f = renderAll(d);
    expect(parseRssFeed(f.rss).items?.[0]?.content?.encoded).toBe(raw);
    expect(parseAtomFeed(f.atom).entries?.[0]?.content?.value).toBe(raw);
    expect(parseJsonFeed(f.json).items?.[0]?.content_html).toBe(raw);
    // And the normal body: headings and paragraphs, escaped text, never a raw "]]>".
    expect(parseRssFeed(feeds.rss).items?.[0]?.content?.encoded).toBe(first!.contentHtml);
    expect(first!.contentHtml).toBe(
      '<h2>Heading with ]]&gt; and &amp; and &lt;i&gt;</h2>\n<p>Body ]]&gt; once, ]]&gt; twice, &quot;quoted&quot; &amp; &#39;single&#39; &lt;br/&gt;.</p>',
    );
  });

  it('RTL text and emoji ZWJ sequences come back unchanged', () => {
    const feeds = renderAll(doc);
    const title = 'أخبار اليوم 👩‍💻';
    expect(title).toContain('\u{1F469}\u200D\u{1F4BB}');
    expect(parseRssFeed(feeds.rss).items?.[2]?.title).toBe(title);
    expect(parseAtomFeed(feeds.atom).entries?.[2]?.title?.value).toBe(title);
    expect(parseJsonFeed(feeds.json).items?.[2]?.title).toBe(title);
  });
});

describe('determinism', () => {
  it('never writes "undefined", even without description, ttl, authors or categories', () => {
    const base = makeDocument();
    const bare = makeBareDocument();
    for (const doc of [base, bare]) {
      const f = renderAll(doc);
      for (const text of [f.rss, f.atom, f.json]) expect(text).not.toContain('undefined');
    }
    const f = renderAll(bare);
    expect(f.rss).not.toContain('<ttl>');
    expect(f.rss).not.toContain('<category');
    expect(f.rss).not.toContain('dc:creator>');
    expect(f.atom).not.toContain('<subtitle');
  });

  it('takes the feed date from the newest entry, never from the clock', () => {
    const doc = makeDocument();
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2030-01-01T00:00:00Z'));
    const first = renderAll(doc);
    vi.setSystemTime(new Date('2031-06-15T12:34:56Z'));
    const second = renderAll(doc);
    expect(second).toEqual(first);
    expect(first.rss).toContain('<lastBuildDate>Wed, 25 Nov 2026 07:30:00 GMT</lastBuildDate>');
    expect(first.atom).toMatch(/<\/id>\s*<title>[^<]*<\/title>\s*<updated>2026-11-25T07:30:00Z</);
    for (const text of [first.rss, first.atom, first.json]) {
      expect(text).not.toMatch(/2030|2031/);
    }
  });

  it('gives identical bytes for identical input (and for an equal copy of it)', () => {
    const doc = makeDocument();
    const copy = JSON.parse(JSON.stringify(doc)) as FeedDocument;
    const a = renderAll(doc);
    const b = renderAll(doc);
    const c = renderAll(copy);
    expect(b).toEqual(a);
    expect(c).toEqual(a);
    expect(Buffer.from(c.rss).equals(Buffer.from(a.rss))).toBe(true);
  });

  it('changes the bytes when the input changes (the test above can fail)', () => {
    const a = renderAll(makeDocument());
    const b = renderAll(makeDocument({ title: 'Other News' }));
    expect(b.rss).not.toBe(a.rss);
    expect(b.atom).not.toBe(a.atom);
    expect(b.json).not.toBe(a.json);
  });
});
