import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import {
  bodyHtml,
  bodyText,
  contentHtml,
  isHttpUrl,
  sourceHtml,
} from '../../src/render/article-html.js';
import { escapeMarkup, escapeXmlText } from '../../src/render/escape.js';
import { byPublishedDesc } from '../../src/model/newest-first.js';
import { buildFeedDocument, EPOCH, type DocumentOptions } from '../../src/render/feed-document.js';
import { renderOutputs } from '../../src/render/render-outputs.js';
import { makeRecords, siteConfig, SITE } from '../validate/records.js';
import { makeDocument } from './document.js';

afterEach(() => {
  vi.restoreAllMocks();
});

describe('escape', () => {
  it('escapeMarkup: the five characters as named or decimal references, nothing else', () => {
    expect(escapeMarkup(`a&b<c>d"e'f ]]> &amp; ș`)).toBe(
      'a&amp;b&lt;c&gt;d&quot;e&#39;f ]]&gt; &amp;amp; ș',
    );
    expect(escapeMarkup('plain')).toBe('plain');
  });

  it('escapeXmlText: upper-case hex references for & < > ", the apostrophe as it is', () => {
    expect(escapeXmlText(`a&b<c>d"e'f ]]> &amp;`)).toBe(
      "a&#x26;b&#x3C;c&#x3E;d&#x22;e'f ]]&#x3E; &#x26;amp;",
    );
    expect(escapeXmlText('plain')).toBe('plain');
  });
});

describe('article HTML', () => {
  const body = [
    { type: 'heading' as const, text: 'H <1>' },
    { type: 'paragraph' as const, text: 'P & "2"' },
    { type: 'paragraph' as const, text: 'Three' },
  ];

  it('bodyHtml: one <h2> or <p> per block, one per line, text escaped', () => {
    expect(bodyHtml(body)).toBe('<h2>H &lt;1&gt;</h2>\n<p>P &amp; &quot;2&quot;</p>\n<p>Three</p>');
    expect(bodyHtml([])).toBe('');
  });

  it('bodyText: the texts, a blank line between blocks', () => {
    expect(bodyText(body)).toBe('H <1>\n\nP & "2"\n\nThree');
  });

  it('sourceHtml: a link only for an http(s) URL, label in the language, all escaped', () => {
    expect(sourceHtml({ name: 'W & <Co>', url: 'https://w.example/?a=1&b="2"' }, 'ro')).toBe(
      '<p>Sursa: <a href="https://w.example/?a=1&amp;b=&quot;2&quot;">W &amp; &lt;Co&gt;</a></p>',
    );
    expect(sourceHtml({ name: 'W', url: 'javascript:alert(1)' }, 'de')).toBe('<p>Quelle: W</p>');
    expect(sourceHtml({ name: 'W', url: null }, 'en')).toBe('<p>Source: W</p>');
  });

  it('contentHtml: the body, then the credit on its own line', () => {
    expect(contentHtml(body.slice(2), null, 'ro')).toBe('<p>Three</p>');
    expect(contentHtml(body.slice(2), { name: 'W', url: 'http://w.example/' }, 'ro')).toBe(
      '<p>Three</p>\n<p>Sursa: <a href="http://w.example/">W</a></p>',
    );
  });

  it.each([
    ['https://a.example/', true],
    ['http://a.example/', true],
    ['HTTPS://A.EXAMPLE/', true],
    ['javascript:alert(1)', false],
    ['ftp://a.example/', false],
    [' https://a.example/', false],
    ['xhttps://a.example/', false],
    ['https:/a.example/', false],
    ['https//a.example/', false],
    ['', false],
    [null, false],
  ])('isHttpUrl(%j) is %s', (url, want) => {
    expect(isHttpUrl(url)).toBe(want);
  });
});

describe('byPublishedDesc', () => {
  const e = (publishedAt: string, id: string) => ({ publishedAt, id });
  it('newest first, then by id, 0 only for the same place', () => {
    expect(byPublishedDesc(e('2026-01-02', 'a'), e('2026-01-01', 'b'))).toBe(-1);
    expect(byPublishedDesc(e('2026-01-01', 'a'), e('2026-01-02', 'b'))).toBe(1);
    expect(byPublishedDesc(e('2026-01-01', 'a'), e('2026-01-01', 'b'))).toBe(-1);
    expect(byPublishedDesc(e('2026-01-01', 'b'), e('2026-01-01', 'a'))).toBe(1);
    expect(byPublishedDesc(e('2026-01-01', 'a'), e('2026-01-01', 'a'))).toBe(0);
  });
});

describe('buildFeedDocument', () => {
  // Not annotated: the options gain fields over time, and extra ones are ignored.
  const opts = { version: '9.8.7', ttl: 17, changedAt: null };
  const build = (records: ArchiveRecord[], o: DocumentOptions = opts, rc = siteConfig()) =>
    buildFeedDocument(records, rc, o);

  it('takes the site facts, the publisher, the generator, the docs and the ttl', () => {
    const doc = build(makeRecords());
    const { entries, ...head } = doc;
    expect(head).toEqual({
      id: 'https://news.example.org/',
      title: SITE.title,
      description: SITE.description,
      homeUrl: 'https://news.example.org/',
      selfUrls: {
        rss: 'https://news.example.org/rss.xml',
        atom: 'https://news.example.org/atom.xml',
        json: 'https://news.example.org/feed.json',
      },
      language: 'ro',
      author: SITE.author,
      generator: {
        name: 'feedkeeper',
        version: '9.8.7',
        url: 'https://www.npmjs.com/package/feedkeeper',
      },
      docsUrl: 'https://www.rssboard.org/rss-specification',
      ttl: 17,
      updatedAt: '2026-11-25T07:30:00Z',
    });
    expect(entries).toHaveLength(3);
    expect(build(makeRecords(), { ...opts, ttl: null }).ttl).toBeNull();
  });

  it('a publisher without e-mail or url has null for them', () => {
    const rc = siteConfig({ title: 'T', baseUrl: 'https://x.example', author: { name: 'A' } });
    const doc = build([], opts, rc);
    expect(doc.author).toEqual({ name: 'A', email: null, url: null });
    expect(doc.description).toBe('');
    expect(doc.selfUrls.json).toBe('https://x.example/feed.json');
  });

  it('sorts newest first, ties by id, whatever the input order', () => {
    const [a, b, c] = makeRecords();
    const tie = { ...c!, id: 'tag:news.example.org,2026-11-22:aa' };
    const ids = build([c!, tie, a!, b!]).entries.map((e) => e.id);
    expect(ids).toEqual([a!.id, b!.id, tie.id, c!.id]);
  });

  it('dates the feed by the newest update of any entry, the epoch for none', () => {
    const [a, b, c] = makeRecords();
    const late = { ...c!, updatedAt: '2026-12-01T00:00:00Z' };
    expect(build([a!, b!, late]).updatedAt).toBe('2026-12-01T00:00:00Z');
    expect(build([late, a!, b!]).updatedAt).toBe('2026-12-01T00:00:00Z');
    expect(build([b!]).updatedAt).toBe('2026-11-23T09:00:00Z');
    expect(build([]).updatedAt).toBe(EPOCH);
    expect(EPOCH).toBe('1970-01-01T00:00:00Z');
  });

  it('never dates the feed before the last change to the archive (changedAt)', () => {
    const [a, b] = makeRecords();
    const at = (changedAt: string | null, records = [a!, b!]): string =>
      build(records, { ...opts, changedAt }).updatedAt;
    expect(at('2026-12-24T00:00:00Z')).toBe('2026-12-24T00:00:00Z');
    expect(at('2026-11-01T00:00:00Z')).toBe('2026-11-25T07:30:00Z');
    expect(at('2026-11-25T07:30:00Z')).toBe('2026-11-25T07:30:00Z');
    expect(at('2026-10-01T00:00:00Z', [])).toBe('2026-10-01T00:00:00Z');
    expect(at(null, [])).toBe(EPOCH);
  });

  it('maps each record to its entry: content with the credit, section first, no repeat', () => {
    const [a, b, c] = makeRecords();
    const [ea, eb, ec] = build([a!, b!, c!]).entries;
    expect(ea).toEqual({
      id: a!.id,
      url: a!.url,
      title: a!.title,
      summary: a!.summary,
      body: a!.body,
      contentHtml:
        '<h2>Heading with ]]&gt; and &amp; and &lt;i&gt;</h2>\n' +
        '<p>Body ]]&gt; once, &lt;script&gt;alert(1)&lt;/script&gt; &amp;amp; &quot;q&quot; &#39;s&#39;.</p>\n' +
        '<p>Source: <a href="https://wire.example.com/a?x=1&amp;y=2">Wire &amp; &lt;Co&gt;</a></p>',
      source: a!.source,
      language: 'en',
      // The section, then the tags without it: ['tag-two', section] in the record.
      categories: [a!.section, 'tag-two'],
      authors: a!.authors,
      publishedAt: a!.publishedAt,
      updatedAt: a!.updatedAt,
    });
    expect(eb?.categories).toEqual(['Politică']);
    expect(ec?.categories).toEqual([]);
    expect(ec?.contentHtml).toBe('<p>هذه فقرة باللغة العربية.</p>\n<p>Source: وكالة</p>');
    const tagsOnly = { ...c!, tags: ['x', 'y'] };
    expect(build([tagsOnly]).entries[0]?.categories).toEqual(['x', 'y']);
  });

  // attackG #1: records archived before tags were made unique keep theirs as written, and the
  // JSON Feed schema refuses an item with a tag twice.
  it('gives a record stored with a tag twice each category once, in the order first written', () => {
    const [, b, c] = makeRecords();
    const twice = { ...c!, tags: ['energy', 'x', 'energy', 'x'] };
    expect(build([twice]).entries[0]?.categories).toEqual(['energy', 'x']);
    const withSection = { ...b!, tags: ['y', 'Politică', 'y'] };
    expect(build([withSection]).entries[0]?.categories).toEqual(['Politică', 'y']);
  });
});

describe('renderOutputs', () => {
  it('renders every output of the table, in its order', () => {
    const { files, issues } = renderOutputs(makeDocument(), (f) => `out/${f}`);
    expect(issues).toEqual([]);
    expect(files.map((f) => [f.row.file, f.row.format])).toEqual([
      ['rss.xml', 'rss'],
      ['atom.xml', 'atom'],
      ['feed.json', 'json'],
    ]);
    expect(files[0]?.text).toMatch(/^<\?xml[\s\S]*<rss version="2.0"/);
    expect(files[1]?.text).toMatch(/^<\?xml[\s\S]*<feed xmlns="http:\/\/www.w3.org\/2005\/Atom"/);
    expect(JSON.parse(files[2]?.text ?? '')).toMatchObject({
      version: 'https://jsonfeed.org/version/1.1',
    });
  });

  it('a renderer that throws is RENDER_FAILED for its file; the others still render', () => {
    vi.spyOn(Feed.prototype, 'atom1').mockImplementation(() => {
      throw new Error('broken upgrade');
    });
    const { files, issues } = renderOutputs(makeDocument(), (f) => `shown/${f}`);
    expect(files.map((f) => f.row.format)).toEqual(['rss', 'json']);
    expect(issues).toEqual([
      {
        code: 'RENDER_FAILED',
        severity: 'error',
        file: 'shown/atom.xml',
        message: 'could not be rendered: broken upgrade.',
        hint: 'A feedkeeper bug: report it with this message. Nothing was published; the previous files stay.',
        element: '(document)',
      },
    ]);
  });
});
