import { describe, expect, it } from 'vitest';
import type { FeedDocument } from '../../src/model/feed.js';
import type { Issue } from '../../src/model/issue.js';
import { renderAtom, renderJson, renderRss } from '../../src/render/feed-adapter.js';
import { validateFeeds } from '../../src/validate/validate-feeds.js';
import { NAMES, makeDocument, makeBareDocument } from '../render/document.js';

interface Feeds {
  rss: string;
  atom: string;
  json: string;
}

const renderAll = (doc: FeedDocument): Feeds => ({
  rss: renderRss(doc),
  atom: renderAtom(doc),
  json: renderJson(doc),
});

/** Validate, and hold every issue to the contract: file, element, code, message, hint. */
function validate(feeds: Feeds, doc: FeedDocument = makeDocument()): Issue[] {
  const issues = validateFeeds(doc, feeds, NAMES);
  for (const i of issues) {
    expect(Object.values(NAMES)).toContain(i.file);
    expect(i.code).toMatch(/^[A-Z][A-Z0-9_]+$/);
    expect(i.severity).toBe('error');
    expect(typeof i.element).toBe('string');
    expect(i.element?.length).toBeGreaterThan(0);
    expect(i.message.length).toBeGreaterThan(10);
    expect(i.hint.length).toBeGreaterThan(10);
  }
  return issues;
}

/** `file code element` for each issue, for exact comparisons. */
const found = (issues: Issue[]): string[] =>
  issues.map((i) => `${i.file} ${i.code} ${i.element ?? ''}`);

/** Replace the first `from` (which must be there, or the test would prove nothing). */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out, `the edit of ${String(from)} must change the text`).not.toBe(text);
  return out;
}

const good = (): Feeds => renderAll(makeDocument());

describe('validateFeeds on good renders', () => {
  it('returns no issue for the hostile handmade document', () => {
    expect(validate(good())).toEqual([]);
  });

  it('returns no issue for a bare document (no description, ttl, authors, tags, summary)', () => {
    const doc = makeBareDocument();
    expect(validate(renderAll(doc), doc)).toEqual([]);
  });

  it('returns no issue for an empty feed', () => {
    const doc = makeDocument({ entries: [], updatedAt: '1970-01-01T00:00:00Z' });
    expect(validate(renderAll(doc), doc)).toEqual([]);
  });

  it('compares with the document: a good render of another document fails', () => {
    const other = makeDocument({ title: 'Another title' });
    const issues = validate(good(), other);
    expect(found(issues)).toEqual([
      'out/rss.xml ROUNDTRIP_MISMATCH title',
      'out/atom.xml ROUNDTRIP_MISMATCH title',
      'out/feed.json ROUNDTRIP_MISMATCH title',
    ]);
  });
});

describe('well-formedness', () => {
  it('a control character: XML_ILLEGAL_CHARACTER and XML_NOT_WELL_FORMED', () => {
    const f = good();
    const line = f.atom.slice(0, f.atom.indexOf('<title type="text">Ends')).split('\n').length;
    const issues = validate({
      ...f,
      atom: edit(f.atom, '<title type="text">Ends', '<title type="text">E\u0001nds'),
    });
    expect(found(issues)).toContain(`out/atom.xml XML_ILLEGAL_CHARACTER line ${line}`);
    expect(issues.find((i) => i.code === 'XML_ILLEGAL_CHARACTER')?.message).toContain('U+0001');
    expect(issues.some((i) => i.code === 'XML_NOT_WELL_FORMED')).toBe(true);
    expect(issues.every((i) => i.file === 'out/atom.xml')).toBe(true);
  });

  it('U+000B and U+001F are caught too', () => {
    for (const c of ['\u000B', '\u001F']) {
      const f = good();
      const issues = validate({
        ...f,
        rss: edit(f.rss, '<title>Test News', `<title>Test${c}News`),
      });
      expect(issues.map((i) => i.code)).toContain('XML_ILLEGAL_CHARACTER');
      expect(issues.every((i) => i.file === 'out/rss.xml')).toBe(true);
    }
  });

  it('an unbound prefix (<foo:bar/>): XML_NOT_WELL_FORMED', () => {
    const f = good();
    const issues = validate({ ...f, rss: edit(f.rss, '<channel>', '<channel>\n<foo:bar/>') });
    expect(issues.map((i) => `${i.file} ${i.code}`)).toEqual(['out/rss.xml XML_NOT_WELL_FORMED']);
    expect(issues[0]?.element).toMatch(/^line \d+, column \d+$/);
    expect(issues[0]?.message).toMatch(/prefix/i);
  });

  it('two roots: XML_NOT_WELL_FORMED', () => {
    const f = good();
    const issues = validate({
      ...f,
      atom: `${f.atom}<feed xmlns="http://www.w3.org/2005/Atom"/>\n`,
    });
    expect(issues.length).toBeGreaterThan(0);
    expect(issues.map((i) => `${i.file} ${i.code}`)).toEqual(
      issues.map(() => 'out/atom.xml XML_NOT_WELL_FORMED'),
    );
  });
});

describe('round-trip', () => {
  it.each([
    ['rss', /(<guid isPermaLink="false">)tag:[^<]*/, 'out/rss.xml ROUNDTRIP_MISMATCH item[1]/id'],
    ['atom', /(<id>)tag:[^<]*/, 'out/atom.xml ROUNDTRIP_MISMATCH entry[1]/id'],
    ['json', /("id": ")tag:[^"]*/, 'out/feed.json ROUNDTRIP_MISMATCH items[1]/id'],
  ] as const)('a guid changed in %s only: ROUNDTRIP_MISMATCH', (format, from, want) => {
    const f = good();
    const issues = validate({
      ...f,
      [format]: edit(f[format], from, '$1tag:news.example.org,2026:other'),
    });
    expect(found(issues)).toEqual([want]);
    expect(issues[0]?.message).toContain('tag:news.example.org,2026:other');
  });

  it('a dropped entry: ROUNDTRIP_COUNT', () => {
    const f = good();
    const last = f.atom.lastIndexOf('<entry');
    const atom = f.atom.slice(0, last) + f.atom.slice(f.atom.indexOf('</entry>', last) + 8);
    expect(atom.match(/<entry/g)).toHaveLength(2);
    expect(found(validate({ ...f, atom }))).toEqual(['out/atom.xml ROUNDTRIP_COUNT entries']);
  });

  it('a dropped JSON item: ROUNDTRIP_COUNT', () => {
    const f = good();
    const feed = JSON.parse(f.json) as { items: unknown[] };
    feed.items.pop();
    const issues = validate({ ...f, json: JSON.stringify(feed) });
    expect(found(issues)).toEqual(['out/feed.json ROUNDTRIP_COUNT entries']);
  });
});

describe('format rules', () => {
  it('an ISO date in RSS pubDate (same instant): RSS_DATE', () => {
    const f = good();
    const rss = edit(
      f.rss,
      '<pubDate>Tue, 24 Nov 2026 10:00:00 GMT</pubDate>',
      '<pubDate>2026-11-24T10:00:00Z</pubDate>',
    );
    expect(found(validate({ ...f, rss }))).toEqual(['out/rss.xml RSS_DATE item[1]/pubDate']);
  });

  it('a bad channel lastBuildDate: RSS_DATE', () => {
    const f = good();
    const rss = edit(f.rss, /<lastBuildDate>[^<]*</, '<lastBuildDate>yesterday<');
    const issues = validate({ ...f, rss });
    expect(found(issues)).toContain('out/rss.xml RSS_DATE channel/lastBuildDate');
  });

  it('duplicate ids, rendered faithfully: RSS_GUID_UNIQUE, ATOM_ID_UNIQUE, JSON_ITEM_ID', () => {
    const base = makeDocument();
    const [a, b, c] = base.entries;
    const doc = makeDocument({ entries: [a!, { ...b!, id: a!.id }, c!] });
    expect(found(validate(renderAll(doc), doc))).toEqual([
      'out/rss.xml RSS_GUID_UNIQUE item[2]/guid',
      'out/atom.xml ATOM_ID_UNIQUE entry[2]/id',
      'out/feed.json JSON_ITEM_ID items[2]/id',
    ]);
  });

  it('no Atom feed author: ATOM_AUTHOR for each entry without its own', () => {
    const f = good();
    const atom = edit(f.atom, /<author>\s*<name>Test Newsroom<\/name>\s*<\/author>\s*/, '');
    // Entries 1 and 2 name their authors; entry 3 relied on the feed's.
    expect(found(validate({ ...f, atom }))).toEqual(['out/atom.xml ATOM_AUTHOR entry[3]/author']);
  });

  it('JSON Feed version 1: JSON_VERSION', () => {
    const f = good();
    const json = edit(
      f.json,
      '"https://jsonfeed.org/version/1.1"',
      '"https://jsonfeed.org/version/1"',
    );
    expect(found(validate({ ...f, json }))).toEqual(['out/feed.json JSON_VERSION version']);
  });

  it('a JSON item without id: JSON_ITEM_ID', () => {
    const f = good();
    const feed = JSON.parse(f.json) as { items: Record<string, unknown>[] };
    delete feed.items[0]?.['id'];
    const issues = validate({ ...f, json: JSON.stringify(feed, null, 2) });
    expect(found(issues)).toContain('out/feed.json JSON_ITEM_ID items[1]/id');
    expect(issues.every((i) => i.file === 'out/feed.json')).toBe(true);
  });

  it('JSON that does not parse: JSON_INVALID', () => {
    const f = good();
    const issues = validate({ ...f, json: f.json.slice(0, -10) });
    expect(found(issues)).toEqual(['out/feed.json JSON_INVALID (document)']);
  });

  it.each([
    [
      'rss',
      'href="https://news.example.org/rss.xml"',
      'href="http://news.example.org/rss.xml"',
      'channel/atom:link',
    ],
    [
      'atom',
      'href="https://news.example.org/atom.xml"',
      'href="https://news.example.org/feed.atom"',
      'feed/link[@rel=self]',
    ],
    [
      'json',
      '"feed_url": "https://news.example.org/feed.json"',
      '"feed_url": "https://news.example.org/feed.json?x=1"',
      'feed_url',
    ],
  ] as const)('a wrong self link in %s: SELF_LINK', (format, from, to, element) => {
    const f = good();
    const issues = validate({ ...f, [format]: edit(f[format], from, to) });
    expect(found(issues)).toEqual([`${NAMES[format]} SELF_LINK ${element}`]);
  });

  it('a relative item link: URL_NOT_ABSOLUTE', () => {
    const f = good();
    const rss = edit(
      f.rss,
      '<link>https://news.example.org/articles/hostile.html</link>',
      '<link>/articles/hostile.html</link>',
    );
    const issues = validate({ ...f, rss });
    expect(found(issues)).toContain('out/rss.xml URL_NOT_ABSOLUTE item[1]/link');
    expect(issues.every((i) => i.file === 'out/rss.xml')).toBe(true);
  });

  it('a relative Atom entry link and channel link: URL_NOT_ABSOLUTE', () => {
    const f = good();
    const atom = edit(
      f.atom,
      'href="https://news.example.org/articles/ro.html"',
      'href="articles/ro.html"',
    );
    expect(found(validate({ ...f, atom }))).toContain(
      'out/atom.xml URL_NOT_ABSOLUTE entry[2]/link',
    );
    const rss = edit(f.rss, '<link>https://news.example.org/</link>', '<link>/</link>');
    expect(found(validate({ ...f, rss }))).toContain('out/rss.xml URL_NOT_ABSOLUTE channel/link');
  });

  it('an Atom title typed as something else: ATOM_TEXT_TYPE', () => {
    const f = good();
    const atom = edit(f.atom, '<title type="text">Ends', '<title type="markdown">Ends');
    expect(found(validate({ ...f, atom }))).toEqual(['out/atom.xml ATOM_TEXT_TYPE entry[1]/title']);
  });
});
