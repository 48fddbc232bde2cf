import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/model/issue.js';
import type { Format } from '../../src/model/outputs.js';
import { FEED_BUG_HINT } from '../../src/validate/checker.js';
import { makeRecords, NAMES, renderAll, verify, type Feeds } from './records.js';

/**
 * What the gate says about each fault, word for word: the element, the code, the message a
 * maintainer reads, and the hint of each code. Every fault is one small edit of a good render
 * of the hostile records (tests/validate/records.ts), and each is verified inside its test.
 */
const ROUNDTRIP = `The feed does not say what the archive records say. ${FEED_BUG_HINT}`;
const HTML_HINT = `Article text is escaped wherever it is rendered, so this HTML did not come from an article. ${FEED_BUG_HINT}`;
const HINTS: Readonly<Record<string, string>> = {
  ROUNDTRIP_MISMATCH: ROUNDTRIP,
  ROUNDTRIP_COUNT: ROUNDTRIP,
  XML_NOT_WELL_FORMED: FEED_BUG_HINT,
  JSON_INVALID: FEED_BUG_HINT,
  XML_ILLEGAL_CHARACTER:
    'A bug in feedkeeper (normalization removes these): report it with the article that caused it.',
  XML_NAMESPACE: `Namespaces in XML 1.0 section 3: an element is known by its namespace URI. ${FEED_BUG_HINT}`,
  RSS_VERSION: 'RSS 2.0 requires it.',
  RSS_CHANNEL_REQUIRED: 'RSS 2.0 "Required channel elements": title, link, description.',
  RSS_ITEM_TITLE: 'RSS 2.0: an item must have at least one of them.',
  RSS_GUID_UNIQUE: 'Every item needs its own guid, or readers merge or repeat items.',
  RSS_GUID_PERMALINK: 'A guid that is not a URL must say isPermaLink="false".',
  RSS_DATE: 'RSS 2.0 dates are RFC 822, e.g. "Wed, 25 Nov 2026 08:00:00 GMT".',
  RSS_DATE_WEEKDAY: `RFC 822 section 5.1: the day of the week must be the date's. ${FEED_BUG_HINT}`,
  ATOM_NAMESPACE: 'RFC 4287: the root is <feed xmlns="http://www.w3.org/2005/Atom">.',
  ATOM_FEED_REQUIRED: 'RFC 4287 section 4.1.1: atom:feed must contain id, title and updated.',
  ATOM_ENTRY_REQUIRED: 'RFC 4287 section 4.1.2: atom:entry must contain id, title and updated.',
  ATOM_ID_UNIQUE: 'Every entry needs its own id.',
  ATOM_AUTHOR: 'RFC 4287 section 4.1.1: set site.author in the configuration.',
  ATOM_TEXT_TYPE: `RFC 4287 section 3.1.1: a reader shows a text construct by its type. ${FEED_BUG_HINT}`,
  DATE_RFC3339: 'Atom and JSON Feed dates are RFC 3339, e.g. "2026-11-25T08:00:00Z".',
  FEED_DATE_BEFORE_ENTRY: `The feed date is the newest entry's update: readers that poll by it miss this entry. ${FEED_BUG_HINT}`,
  URL_NOT_ABSOLUTE:
    "Readers cannot resolve relative links: check site.baseUrl and the articles' url front matter.",
  SELF_LINK: 'The self link must be where subscribers fetch this file: check site.baseUrl.',
  JSON_VERSION: 'JSON Feed 1.1: version is "https://jsonfeed.org/version/1.1".',
  JSON_TITLE: 'JSON Feed 1.1: title is required.',
  JSON_ITEMS: 'JSON Feed 1.1: items is required.',
  JSON_ITEM_ID: 'JSON Feed 1.1: id is required, a string, unique.',
  JSON_ITEM_CONTENT: 'JSON Feed 1.1: one of them is required.',
  JSON_ITEM_TAGS: `JSON Feed 1.1: an item's tags are unique (its schema refuses the item otherwise). ${FEED_BUG_HINT}`,
  HTML_ELEMENT: HTML_HINT,
  HTML_ATTRIBUTE: HTML_HINT,
  HTML_URL: HTML_HINT,
};

/** Each issue as "element | code | message", after checking its file, severity and hint. */
function said(format: Format, feeds: Feeds): string[] {
  const issues: Issue[] = verify(feeds);
  return issues.map((i) => {
    expect(i.file).toBe(NAMES[format]);
    expect(i.severity).toBe('error');
    expect(i.hint, i.code).toBe(HINTS[i.code]);
    return `${i.element ?? ''} | ${i.code} | ${i.message}`;
  });
}

/** Replace `from` (which must be there, or the case would prove nothing). */
const edit =
  (from: string | RegExp, to: string) =>
  (text: string): string => {
    const out = text.replace(from, to);
    expect(out, `the edit of ${String(from)} must change the text`).not.toBe(text);
    return out;
  };
const both =
  (...edits: ((t: string) => string)[]) =>
  (text: string): string =>
    edits.reduce((t, e) => e(t), text);
const json =
  (change: (feed: Record<string, unknown>, items: Record<string, unknown>[]) => unknown) =>
  (text: string): string => {
    const feed = JSON.parse(text) as Record<string, unknown>;
    change(feed, feed['items'] as Record<string, unknown>[]);
    return JSON.stringify(feed, null, 2);
  };

type Case = [string, Format, (text: string) => string, string[]];

export const CASES: Case[] = [
  // RSS channel
  [
    'an RSS version other than 2.0',
    'rss',
    edit('<rss version="2.0"', '<rss version="2.1"'),
    ['rss | RSS_VERSION | has no <rss version="2.0"> root.'],
  ],
  [
    'no channel title',
    'rss',
    edit(/<title>Test News[^<]*<\/title>/, ''),
    [
      'channel/title | RSS_CHANNEL_REQUIRED | has no channel <title>.',
      'title | ROUNDTRIP_MISMATCH | the feed title reads back as undefined, but the archive says "Test News & <Friends>".',
    ],
  ],
  [
    'no channel link',
    'rss',
    edit('<link>https://news.example.org/</link>', ''),
    [
      'channel/link | RSS_CHANNEL_REQUIRED | has no channel <link>.',
      'channel/link | URL_NOT_ABSOLUTE | has undefined where an absolute http(s) URL belongs.',
      'link | ROUNDTRIP_MISMATCH | the home link reads back as undefined, but the archive says "https://news.example.org/".',
    ],
  ],
  [
    'a relative channel link',
    'rss',
    edit('<link>https://news.example.org/</link>', '<link>news.example.org/</link>'),
    [
      'channel/link | URL_NOT_ABSOLUTE | has "news.example.org/" where an absolute http(s) URL belongs.',
      'link | ROUNDTRIP_MISMATCH | the home link reads back as "news.example.org/", but the archive says "https://news.example.org/".',
    ],
  ],
  [
    'no lastBuildDate',
    'rss',
    edit(/<lastBuildDate>[^<]*<\/lastBuildDate>/, ''),
    [
      'channel/lastBuildDate | RSS_DATE | has undefined, not an RFC 822 date.',
      'lastBuildDate | ROUNDTRIP_MISMATCH | the feed date reads back as undefined, but the archive says 2026-11-25T07:30:00Z.',
    ],
  ],
  [
    // Found by an outside fault-injection try: the ttl was never read back.
    'a ttl for another schedule',
    'rss',
    edit('<ttl>5</ttl>', '<ttl>500</ttl>'),
    ['ttl | ROUNDTRIP_MISMATCH | the time to live reads back as "500", but the archive says "5".'],
  ],
  [
    // Found by an outside fault-injection try (attackE X14, X15): never read back.
    'another generator',
    'rss',
    edit('<generator>feedkeeper 0.0.0-test</generator>', '<generator>WordPress 6.0</generator>'),
    [
      'generator | ROUNDTRIP_MISMATCH | the generator reads back as "WordPress 6.0", but the archive says "feedkeeper".',
    ],
  ],
  [
    'another docs link',
    'rss',
    edit(
      '<docs>https://www.rssboard.org/rss-specification</docs>',
      '<docs>https://evil.example/</docs>',
    ),
    [
      'docs | ROUNDTRIP_MISMATCH | the specification link reads back as "https://evil.example/", but the archive says "https://www.rssboard.org/rss-specification".',
    ],
  ],
  [
    'another generator in Atom',
    'atom',
    edit('>feedkeeper 0.0.0-test</generator>', '>WordPress 6.0</generator>'),
    [
      'generator | ROUNDTRIP_MISMATCH | the generator reads back as "WordPress 6.0", but the archive says "feedkeeper".',
    ],
  ],
  [
    'no ttl',
    'rss',
    edit('<ttl>5</ttl>', ''),
    [
      'ttl | ROUNDTRIP_MISMATCH | the time to live reads back as undefined, but the archive says "5".',
    ],
  ],
  [
    'a lastBuildDate with the wrong weekday',
    'rss',
    edit('Wed, 25 Nov 2026 07:30:00 GMT', 'Thu, 25 Nov 2026 07:30:00 GMT'),
    [
      'channel/lastBuildDate | RSS_DATE_WEEKDAY | has "Thu, 25 Nov 2026 07:30:00 GMT", but that date is a Wed.',
    ],
  ],
  [
    'a lastBuildDate before an item (and one equal to the newest pubDate)',
    'rss',
    edit('Wed, 25 Nov 2026 07:30:00 GMT', 'Mon, 23 Nov 2026 09:00:00 GMT'),
    [
      "item[1]/pubDate | FEED_DATE_BEFORE_ENTRY | is Tue, 24 Nov 2026 10:00:00 GMT, after the feed's own date Mon, 23 Nov 2026 09:00:00 GMT.",
      'lastBuildDate | ROUNDTRIP_MISMATCH | the feed date reads back as 2026-11-23T09:00:00Z, but the archive says 2026-11-25T07:30:00Z.',
    ],
  ],
  [
    'the same instant west of Greenwich, with its own weekday (no fault)',
    'rss',
    edit('Tue, 24 Nov 2026 10:00:00 GMT', 'Mon, 23 Nov 2026 23:59:00 -1001'),
    [],
  ],
  [
    'a weekday west of Greenwich that is the UTC one',
    'rss',
    edit('Tue, 24 Nov 2026 10:00:00 GMT', 'Tue, 23 Nov 2026 23:59:00 -1001'),
    [
      'item[1]/pubDate | RSS_DATE_WEEKDAY | has "Tue, 23 Nov 2026 23:59:00 -1001", but that date is a Mon.',
    ],
  ],
  [
    'no managingEditor name in parentheses',
    'rss',
    edit('desk@news.example.org (Test Newsroom)', 'desk@news.example.org'),
    [
      'managingEditor | ROUNDTRIP_MISMATCH | the publisher reads back as {"email":"desk@news.example.org"}, but the archive says {"email":"desk@news.example.org","name":"Test Newsroom"}.',
    ],
  ],
  [
    'no atom:link self link',
    'rss',
    edit(/<atom:link [^>]*>/, ''),
    [
      'channel/atom:link | SELF_LINK | self link is undefined, not the configured public URL https://news.example.org/rss.xml.',
    ],
  ],
  // RSS items
  [
    'a pubDate of the RFC 822 shape that is no date',
    'rss',
    edit('Tue, 24 Nov 2026 10:00:00 GMT', 'Tue, 99 Nov 2026 10:00:00 GMT'),
    [
      // The shape passes RSS_DATE (Atom's DATE_RFC3339 also parses the date; RSS_DATE does not).
      'item[1]/published | ROUNDTRIP_MISMATCH | the publication date reads back as undefined, but the archive says 2026-11-24T10:00:00Z.',
    ],
  ],
  [
    'an item without title',
    'rss',
    edit(/<title>Ends[^<]*<\/title>/, ''),
    [
      'item[1]/title | ROUNDTRIP_MISMATCH | the title reads back as undefined, but the archive says "Ends ]]> twice ]]> & <b>not bold</b> \\"double\\" \'single\'".',
    ],
  ],
  [
    'an item without description',
    'rss',
    edit(/<description><!\[CDATA\[Un paragraf[^\]]*\]\]><\/description>/, ''),
    [
      'item[2]/summary | ROUNDTRIP_MISMATCH | the summary reads back as undefined, but the archive says "Un paragraf în română.".',
    ],
  ],
  [
    'a repeated guid',
    'rss',
    edit(
      '<guid isPermaLink="false">tag:news.example.org,2026-11-23:ro</guid>',
      '<guid isPermaLink="false">tag:news.example.org,2026-11-24:hostile</guid>',
    ),
    [
      'item[2]/guid | RSS_GUID_UNIQUE | has a missing or repeated guid "tag:news.example.org,2026-11-24:hostile".',
      'item[2]/id | ROUNDTRIP_MISMATCH | the id reads back as "tag:news.example.org,2026-11-24:hostile", but the archive says "tag:news.example.org,2026-11-23:ro".',
    ],
  ],
  [
    'an empty guid',
    'rss',
    edit(
      '<guid isPermaLink="false">tag:news.example.org,2026-11-22:ar</guid>',
      '<guid isPermaLink="false"></guid>',
    ),
    [
      'item[3]/guid | RSS_GUID_UNIQUE | has a missing or repeated guid "".',
      'item[3]/id | ROUNDTRIP_MISMATCH | the id reads back as "", but the archive says "tag:news.example.org,2026-11-22:ar".',
    ],
  ],
  [
    'a guid without isPermaLink',
    'rss',
    edit(
      '<guid isPermaLink="false">tag:news.example.org,2026-11-22:ar</guid>',
      '<guid>tag:news.example.org,2026-11-22:ar</guid>',
    ),
    ['item[3]/guid | RSS_GUID_PERMALINK | guid is a tag URI but isPermaLink is not "false".'],
  ],
  [
    'an item without link',
    'rss',
    edit('<link>https://news.example.org/articles/ro.html</link>', ''),
    [
      'item[2]/link | URL_NOT_ABSOLUTE | has undefined where an absolute http(s) URL belongs.',
      'item[2]/link | ROUNDTRIP_MISMATCH | the link reads back as undefined, but the archive says "https://news.example.org/articles/ro.html".',
    ],
  ],
  [
    'an item without pubDate',
    'rss',
    edit(/<pubDate>Mon[^<]*<\/pubDate>/, ''),
    [
      'item[2]/pubDate | RSS_DATE | has undefined, not an RFC 822 date.',
      'item[2]/published | ROUNDTRIP_MISMATCH | the publication date reads back as undefined, but the archive says 2026-11-23T09:00:00Z.',
    ],
  ],
  [
    'an item without content:encoded',
    'rss',
    edit(/<content:encoded><!\[CDATA\[<p>هذه[^\]]*\]\]><\/content:encoded>/, ''),
    [
      'item[3]/content | ROUNDTRIP_MISMATCH | the content reads back as undefined, but the archive says [{"type":"paragraph","text":"هذه فقرة باللغة العربية."},{"type":"paragraph","text":"Source: وكالة"}].',
    ],
  ],
  [
    'a description with an element',
    'rss',
    edit('<![CDATA[Un paragraf în română.]]>', '<![CDATA[Un <em>paragraf</em> în română.]]>'),
    ['item[2]/description | HTML_ELEMENT | holds a <em> element, which we never write.'],
  ],
  [
    'an item in the channel language without dc:language',
    'rss',
    edit('<dc:language>ar</dc:language>', ''),
    [
      'item[3]/language | ROUNDTRIP_MISMATCH | the language reads back as "ro", but the archive says "ar".',
    ],
  ],
  [
    'a category and a creator emptied',
    'rss',
    both(
      edit('<category>Politică</category>', '<category></category>'),
      edit('<dc:creator>Maria Ionescu</dc:creator>', '<dc:creator/>'),
    ),
    [
      'item[2]/category | ROUNDTRIP_MISMATCH | the categories reads back as [""], but the archive says ["Politică"].',
      'item[2]/author | ROUNDTRIP_MISMATCH | the authors reads back as [""], but the archive says ["Maria Ionescu"].',
    ],
  ],
  // Atom feed
  [
    'no feed title',
    'atom',
    edit(/<title>Test News[^<]*<\/title>/, ''),
    [
      'feed/title | ATOM_FEED_REQUIRED | has no feed <title>.',
      'title | ROUNDTRIP_MISMATCH | the feed title reads back as undefined, but the archive says "Test News & <Friends>".',
    ],
  ],
  [
    'no feed updated',
    'atom',
    edit('<updated>2026-11-25T07:30:00Z</updated>\n    <gen', '<gen'),
    [
      'feed/updated | ATOM_FEED_REQUIRED | has no feed <updated>.',
      'updated | ROUNDTRIP_MISMATCH | the feed date reads back as undefined, but the archive says 2026-11-25T07:30:00Z.',
    ],
  ],
  [
    'a feed updated that is no date',
    'atom',
    edit(
      '<updated>2026-11-25T07:30:00Z</updated>\n    <gen',
      '<updated>2026-13-45T07:30:00Z</updated>\n    <gen',
    ),
    [
      'feed/updated | DATE_RFC3339 | has "2026-13-45T07:30:00Z", not an RFC 3339 date.',
      'updated | ROUNDTRIP_MISMATCH | the feed date reads back as undefined, but the archive says 2026-11-25T07:30:00Z.',
    ],
  ],
  [
    'a feed updated before an entry, and one equal to a publication',
    'atom',
    edit(
      '<updated>2026-11-25T07:30:00Z</updated>\n    <gen',
      '<updated>2026-11-24T10:00:00Z</updated>\n    <gen',
    ),
    [
      "entry[1]/updated | FEED_DATE_BEFORE_ENTRY | is 2026-11-25T07:30:00Z, after the feed's own date 2026-11-24T10:00:00Z.",
      'updated | ROUNDTRIP_MISMATCH | the feed date reads back as 2026-11-24T10:00:00Z, but the archive says 2026-11-25T07:30:00Z.',
    ],
  ],
  [
    'no self link',
    'atom',
    edit(/<link rel="self"[^>]*>/, ''),
    [
      'feed/link[@rel=self] | SELF_LINK | self link is undefined, not the configured public URL https://news.example.org/atom.xml.',
    ],
  ],
  [
    'a feed title typed html',
    'atom',
    edit('<title>Test News', '<title type="html">Test News'),
    [
      'feed/title | ATOM_TEXT_TYPE | has type "html"; what feedkeeper writes here is plain text, type="text".',
    ],
  ],
  [
    'a subtitle typed html',
    'atom',
    edit('<subtitle>', '<subtitle type="xhtml">'),
    [
      'feed/subtitle | ATOM_TEXT_TYPE | has type "xhtml"; what feedkeeper writes here is plain text, type="text".',
    ],
  ],
  ['a subtitle typed text', 'atom', edit('<subtitle>', '<subtitle type="text">'), []],
  [
    'no feed subtitle',
    'atom',
    edit(/<subtitle>[^<]*<\/subtitle>/, ''),
    [
      'subtitle | ROUNDTRIP_MISMATCH | the feed description reads back as undefined, but the archive says "Feeds \\"for\\" tests".',
    ],
  ],
  [
    'no feed author e-mail',
    'atom',
    edit('<email>desk@news.example.org</email>', ''),
    [
      'author | ROUNDTRIP_MISMATCH | the publisher reads back as {"name":"Test Newsroom","url":"https://news.example.org/about"}, but the archive says {"name":"Test Newsroom","email":"desk@news.example.org","url":"https://news.example.org/about"}.',
    ],
  ],
  [
    'no feed author and an entry without author',
    'atom',
    edit(/<author>\s*<name>Test Newsroom<\/name>[\s\S]*?<\/author>/, ''),
    [
      'entry[3]/author | ATOM_AUTHOR | has no author, and the feed has none either.',
      'author | ROUNDTRIP_MISMATCH | the publisher reads back as undefined, but the archive says {"name":"Test Newsroom","email":"desk@news.example.org","url":"https://news.example.org/about"}.',
    ],
  ],
  // Atom entries
  [
    'an entry without title',
    'atom',
    edit(/<title type="text">Știri[^<]*<\/title>/, ''),
    [
      'entry[2]/title | ATOM_ENTRY_REQUIRED | has no <title>.',
      'entry[2]/title | ROUNDTRIP_MISMATCH | the title reads back as undefined, but the archive says "Știri în limba română".',
    ],
  ],
  [
    'an entry without id',
    'atom',
    edit('<id>tag:news.example.org,2026-11-22:ar</id>', ''),
    [
      'entry[3]/id | ATOM_ENTRY_REQUIRED | has no <id>.',
      'entry[3]/id | ROUNDTRIP_MISMATCH | the id reads back as undefined, but the archive says "tag:news.example.org,2026-11-22:ar".',
    ],
  ],
  [
    'an entry published after the feed date',
    'atom',
    edit(
      '<published>2026-11-22T08:00:00Z</published>',
      '<published>2026-11-26T08:00:00Z</published>',
    ),
    [
      "entry[3]/published | FEED_DATE_BEFORE_ENTRY | is 2026-11-26T08:00:00Z, after the feed's own date 2026-11-25T07:30:00Z.",
      'entry[3]/published | ROUNDTRIP_MISMATCH | the publication date reads back as 2026-11-26T08:00:00Z, but the archive says 2026-11-22T08:00:00Z.',
    ],
  ],
  [
    'an entry date with a space',
    'atom',
    edit(
      '<published>2026-11-22T08:00:00Z</published>',
      '<published>2026-11-22 08:00:00Z</published>',
    ),
    ['entry[3]/published | DATE_RFC3339 | has "2026-11-22 08:00:00Z", not an RFC 3339 date.'],
  ],
  [
    'an entry without xml:lang in the feed language (no fault) and one in another',
    'atom',
    both(edit('<entry xml:lang="ro">', '<entry>'), edit('<entry xml:lang="ar">', '<entry>')),
    [
      'entry[3]/language | ROUNDTRIP_MISMATCH | the language reads back as "ro", but the archive says "ar".',
    ],
  ],
  [
    'a relative via link',
    'atom',
    edit(
      '<link rel="via" href="https://www.aljazeera.com/"/>',
      '<link rel="via" href="www.aljazeera.com/"/>',
    ),
    [
      'entry[2]/link | URL_NOT_ABSOLUTE | has "www.aljazeera.com/" where an absolute http(s) URL belongs.',
      'entry[2]/link[@rel=via] | ROUNDTRIP_MISMATCH | the source link reads back as "www.aljazeera.com/", but the archive says "https://www.aljazeera.com/".',
    ],
  ],
  [
    'a category without term',
    'atom',
    edit('<category label="Politică" term="Politică"/>', '<category label="Politică"/>'),
    [
      'entry[2]/category | ROUNDTRIP_MISMATCH | the categories reads back as [""], but the archive says ["Politică"].',
    ],
  ],
  [
    'an entry summary typed html',
    'atom',
    edit('<summary type="text">Un', '<summary type="html">Un'),
    [
      'entry[2]/summary | ATOM_TEXT_TYPE | has type "html"; what feedkeeper writes here is plain text, type="text".',
    ],
  ],
  [
    'an entry content without type',
    'atom',
    edit(/<content type="html">(?=<!\[CDATA\[<p>هذه)/, '<content>'),
    [
      'entry[3]/content | ATOM_TEXT_TYPE | has type "text"; what feedkeeper writes here is HTML, type="html".',
    ],
  ],
  [
    'a content with a template, a comment and links',
    'atom',
    edit(
      '<p>هذه فقرة باللغة العربية.</p>',
      '<p>هذه فقرة باللغة العربية.</p>text<template><script>x</script></template><!-- c --><p onclick="x" class="y"><a href=" https://ok.example/">ok</a><a>none</a><a href="data:' +
        'x'.repeat(100) +
        '">d</a></p>',
    ),
    [
      'entry[3]/content | HTML_ELEMENT | holds a <template> element, which we never write.',
      'entry[3]/content | HTML_ELEMENT | holds a <script> element, which we never write.',
      'entry[3]/content | HTML_ELEMENT | holds an HTML comment.',
      'entry[3]/content | HTML_ATTRIBUTE | holds <p onclick="…">, an event handler that runs script.',
      'entry[3]/content | HTML_ATTRIBUTE | holds <p class="…">.',
      'entry[3]/content | HTML_URL | links to "data:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", not an http(s) URL.',
      'entry[3]/content | ROUNDTRIP_MISMATCH | the content reads back as [{"type":"paragraph","text":"هذه فقرة باللغة العربية."},{"type":"text","text":"text"},{"type":"template","text":"x"},{"type":"#comment","text":""},{"type":"paragraph","text":"oknoned"},{"type":"paragraph","text":"Source: وكالة"}], but the archive says [{"type":"paragraph","text":"هذه فقرة باللغة العربية."},{"type":"paragraph","text":"Source: وكالة"}].',
      'entry[3]/content | ROUNDTRIP_MISMATCH | the links in the content reads back as [{"href":" https://ok.example/","text":"ok"},{"href":"","text":"none"},{"href":"data:xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx","text":"d"}], but the archive says [].',
    ],
  ],
  // JSON Feed
  [
    'another version',
    'json',
    json((f) => (f['version'] = 'https://jsonfeed.org/version/2')),
    ['version | JSON_VERSION | has version "https://jsonfeed.org/version/2".'],
  ],
  [
    'a title that is a number',
    'json',
    json((f) => (f['title'] = 5)),
    [
      'title | JSON_TITLE | has no title string.',
      'title | ROUNDTRIP_MISMATCH | the feed title reads back as undefined, but the archive says "Test News & <Friends>".',
    ],
  ],
  [
    'a feed_url that is a number',
    'json',
    json((f) => (f['feed_url'] = 5)),
    [
      'feed_url | SELF_LINK | self link is undefined, not the configured public URL https://news.example.org/feed.json.',
    ],
  ],
  [
    'items that are an object',
    'json',
    json((f) => (f['items'] = {})),
    [
      'items | JSON_ITEMS | has no items array.',
      'entries | ROUNDTRIP_COUNT | has 0 entries; the archive lists 3 (the newest records that are not withdrawn).',
    ],
  ],
  [
    'no authors',
    'json',
    json((f) => (f['authors'] = [])),
    [
      'author | ROUNDTRIP_MISMATCH | the publisher reads back as undefined, but the archive says {"name":"Test Newsroom","url":"https://news.example.org/about"}.',
    ],
  ],
  [
    'an author without url',
    'json',
    json((f) => (f['authors'] = [{ name: 'Test Newsroom' }])),
    [
      'author | ROUNDTRIP_MISMATCH | the publisher reads back as {"name":"Test Newsroom"}, but the archive says {"name":"Test Newsroom","url":"https://news.example.org/about"}.',
    ],
  ],
  [
    'an id that is a number',
    'json',
    json((_f, i) => (i[1]!['id'] = 5)),
    [
      'items[2]/id | JSON_ITEM_ID | has a missing, non-string or repeated id 5.',
      'items[2]/id | ROUNDTRIP_MISMATCH | the id reads back as undefined, but the archive says "tag:news.example.org,2026-11-23:ro".',
    ],
  ],
  [
    'an empty id',
    'json',
    json((_f, i) => (i[1]!['id'] = '')),
    [
      'items[2]/id | JSON_ITEM_ID | has a missing, non-string or repeated id "".',
      'items[2]/id | ROUNDTRIP_MISMATCH | the id reads back as "", but the archive says "tag:news.example.org,2026-11-23:ro".',
    ],
  ],
  [
    'a repeated id',
    'json',
    json((_f, i) => (i[2]!['id'] = i[0]!['id'])),
    [
      'items[3]/id | JSON_ITEM_ID | has a missing, non-string or repeated id "tag:news.example.org,2026-11-24:hostile".',
      'items[3]/id | ROUNDTRIP_MISMATCH | the id reads back as "tag:news.example.org,2026-11-24:hostile", but the archive says "tag:news.example.org,2026-11-22:ar".',
    ],
  ],
  [
    'content_text instead of content_html',
    'json',
    json((_f, i) => {
      i[2]!['content_text'] = i[2]!['content_html'];
      delete i[2]!['content_html'];
    }),
    [
      'items[3]/content | ROUNDTRIP_MISMATCH | the content reads back as undefined, but the archive says [{"type":"paragraph","text":"هذه فقرة باللغة العربية."},{"type":"paragraph","text":"Source: وكالة"}].',
    ],
  ],
  [
    'a date that is not RFC 3339',
    'json',
    json((_f, i) => (i[2]!['date_published'] = '2026-11-22')),
    [
      'items[3]/date_published | DATE_RFC3339 | has "2026-11-22", not an RFC 3339 date.',
      'items[3]/published | ROUNDTRIP_MISMATCH | the publication date reads back as 2026-11-22T00:00:00Z, but the archive says 2026-11-22T08:00:00Z.',
    ],
  ],
  [
    'no date_modified',
    'json',
    json((_f, i) => delete i[2]!['date_modified']),
    [
      'items[3]/updated | ROUNDTRIP_MISMATCH | the update date reads back as undefined, but the archive says 2026-11-22T08:00:00Z.',
    ],
  ],
  [
    'a url that is a number',
    'json',
    json((_f, i) => (i[2]!['url'] = 5)),
    [
      'items[3]/url | URL_NOT_ABSOLUTE | has undefined where an absolute http(s) URL belongs.',
      'items[3]/link | ROUNDTRIP_MISMATCH | the link reads back as undefined, but the archive says "https://news.example.org/articles/ar.html".',
    ],
  ],
  [
    'no url',
    'json',
    json((_f, i) => delete i[2]!['url']),
    [
      'items[3]/link | ROUNDTRIP_MISMATCH | the link reads back as undefined, but the archive says "https://news.example.org/articles/ar.html".',
    ],
  ],
  [
    'no item language, in the feed language (no fault) and in another',
    'json',
    json((_f, i) => {
      delete i[1]!['language'];
      delete i[2]!['language'];
    }),
    [
      'items[3]/language | ROUNDTRIP_MISMATCH | the language reads back as "ro", but the archive says "ar".',
    ],
  ],
  [
    'tags and authors of the wrong types',
    'json',
    json((_f, i) => {
      i[1]!['tags'] = [5];
      i[1]!['authors'] = [{}, 'x'];
    }),
    [
      'items[2]/category | ROUNDTRIP_MISMATCH | the categories reads back as ["5"], but the archive says ["Politică"].',
      'items[2]/author | ROUNDTRIP_MISMATCH | the authors reads back as ["",""], but the archive says ["Maria Ionescu"].',
    ],
  ],
  [
    // attackG #1: the JSON Feed schema refuses it (uniqueItems), and so did nothing here.
    'a tag twice',
    'json',
    json((_f, i) => (i[1]!['tags'] = ['Politică', 'Politică'])),
    [
      'items[2]/tags | JSON_ITEM_TAGS | has the tag "Politică" more than once.',
      'items[2]/category | ROUNDTRIP_MISMATCH | the categories reads back as ["Politică","Politică"], but the archive says ["Politică"].',
    ],
  ],
  [
    'an item that is not an object',
    'json',
    json((_f, i) => (i[2] = 'x' as never)),
    [
      'items[3]/id | JSON_ITEM_ID | has a missing, non-string or repeated id undefined.',
      'items[3]/content_html | JSON_ITEM_CONTENT | has neither content_html nor content_text.',
      'items[3]/id | ROUNDTRIP_MISMATCH | the id reads back as undefined, but the archive says "tag:news.example.org,2026-11-22:ar".',
      'items[3]/title | ROUNDTRIP_MISMATCH | the title reads back as undefined, but the archive says "أخبار اليوم 👩‍💻".',
      'items[3]/link | ROUNDTRIP_MISMATCH | the link reads back as undefined, but the archive says "https://news.example.org/articles/ar.html".',
      'items[3]/published | ROUNDTRIP_MISMATCH | the publication date reads back as undefined, but the archive says 2026-11-22T08:00:00Z.',
      'items[3]/updated | ROUNDTRIP_MISMATCH | the update date reads back as undefined, but the archive says 2026-11-22T08:00:00Z.',
      'items[3]/summary | ROUNDTRIP_MISMATCH | the summary reads back as undefined, but the archive says "".',
      'items[3]/content | ROUNDTRIP_MISMATCH | the content reads back as undefined, but the archive says [{"type":"paragraph","text":"هذه فقرة باللغة العربية."},{"type":"paragraph","text":"Source: وكالة"}].',
      'items[3]/language | ROUNDTRIP_MISMATCH | the language reads back as "ro", but the archive says "ar".',
    ],
  ],
  ['null', 'json', () => 'null', ['(document) | JSON_INVALID | is not a JSON object.']],
  ['a number', 'json', () => '5', ['(document) | JSON_INVALID | is not a JSON object.']],
  // Well-formedness and characters
  [
    'a lone surrogate on line 4',
    'atom',
    edit('<title>Test News', '<title>\uD800Test News'),
    [
      'line 4 | XML_ILLEGAL_CHARACTER | holds U+D800, a character XML 1.0 forbids; readers drop the whole feed.',
      'title | ROUNDTRIP_MISMATCH | the feed title reads back as "\\ud800Test News & <Friends>", but the archive says "Test News & <Friends>".',
    ],
  ],
  [
    'U+FFFE',
    'rss',
    edit('<title>Test News', '<title>\uFFFETest News'),
    [
      'line 4 | XML_ILLEGAL_CHARACTER | holds U+FFFE, a character XML 1.0 forbids; readers drop the whole feed.',
      'line 4, column 16 | XML_NOT_WELL_FORMED | is not well-formed XML: disallowed character.',
    ],
  ],
  [
    'a default namespace in RSS',
    'rss',
    edit('<channel>', '<channel xmlns="urn:x">'),
    [
      'channel | XML_NAMESPACE | binds the default namespace to "urn:x", not "": readers look channel up by that URI and will not find it.',
    ],
  ],
  [
    'a prefixed attribute in a foreign namespace',
    'atom',
    edit(
      '<feed xmlns="http://www.w3.org/2005/Atom"',
      '<feed xmlns:x="urn:x" x:y="1" xmlns="http://www.w3.org/2005/Atom"',
    ),
    ['x:y | XML_NAMESPACE | uses the prefix "x" (urn:x), which feedkeeper never writes.'],
  ],
];

describe('what the gate says, word for word', () => {
  it.each(CASES)('%s (%s)', (_what, format, change, want) => {
    const good = renderAll();
    const feeds = { ...good, [format]: change(good[format]) };
    expect(said(format, feeds)).toEqual(want);
  });
});

describe('XML that is not well-formed', () => {
  it('is reported at most five times, each with its line and column', () => {
    const good = renderAll();
    const rss = edit('<docs>', '<docs>&a &b &c &d &e &f &g ')(good.rss);
    const issues = verify({ ...good, rss });
    expect(issues.map((i) => [i.file, i.code, i.element])).toEqual([
      ['out/rss.xml', 'XML_NOT_WELL_FORMED', 'line 15, column 32'],
      ...Array.from({ length: 4 }, () => [
        'out/rss.xml',
        'XML_NOT_WELL_FORMED',
        'line 15, column 126',
      ]),
    ]);
    for (const i of issues) {
      expect(i.message).toMatch(/^is not well-formed XML: .*[^.]\.+$/);
      expect(i.hint).toBe(FEED_BUG_HINT);
    }
    expect(issues[0]?.message).toContain('disallowed character in entity name');
  });

  // well-formed.ts strips a "file:line:column: " prefix, but saxes (no file name given) writes
  // "line:column: ", so the position is said twice and the message ends in "..".
  it('says the position once, in the element, and ends with one period', () => {
    const good = renderAll();
    const rss = edit('<docs>', '<docs>&a ')(good.rss);
    const [first] = verify({ ...good, rss });
    expect(first?.message).toBe('is not well-formed XML: disallowed character in entity name.');
  });
});

describe('records the gate accepts as they are', () => {
  it('a record stored with a tag twice, or a tag equal to its section: each category once', () => {
    const records = makeRecords().map((r, i) =>
      i === 0
        ? { ...r, tags: ['energy', 'energy', ...r.tags] }
        : i === 1
          ? { ...r, tags: ['Politică', 'Știri', 'Știri'] }
          : r,
    );
    const feeds = renderAll(records);
    expect(verify(feeds, records)).toEqual([]);
    const items = (JSON.parse(feeds.json) as { items: { tags?: string[] }[] }).items;
    for (const item of items) expect(new Set(item.tags).size).toBe(item.tags?.length ?? 0);
    expect(items[1]?.tags).toEqual(['Politică', 'Știri']);
    expect(feeds.rss.match(/<category>Știri<\/category>/g)).toHaveLength(1);
    expect(feeds.atom.match(/<category [^>]*term="energy"/g)).toHaveLength(1);
  });

  it('a source with a javascript: URL (no link, no via) and one with an upper-case HTTP URL', () => {
    const records = makeRecords().map((r, i) =>
      i === 0
        ? { ...r, source: { name: 'Bad', url: 'javascript:alert(1)' } }
        : i === 1
          ? { ...r, source: { name: 'Up', url: 'HTTP://UP.EXAMPLE/' } }
          : r,
    );
    const feeds = renderAll(records);
    expect(feeds.atom).toContain('<link rel="via" href="HTTP://UP.EXAMPLE/"/>');
    expect(feeds.atom.match(/rel="via"/g)).toHaveLength(1);
    expect(feeds.rss).toContain('<p>Source: Bad</p>');
    expect(verify(feeds, records)).toEqual([]);
    // And the same feeds are refused for the records they were not made from.
    expect(verify(feeds).map((i) => `${i.file} ${i.element ?? ''}`)).toContain(
      'out/atom.xml entry[1]/link[@rel=via]',
    );
  });
});
