import { FEED_BUG_HINT, RFC3339, RFC822, isAbsoluteUrl, type Checker } from './checker.js';
import { parseHtml } from './parse-html.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';
import { htmlProblems, SUMMARY_ELEMENTS } from './read-content.js';
import type { NamespaceUse } from './well-formed.js';

/**
 * The specs' own rules, beyond the round-trip: RSS 2.0 (rssboard.org/rss-specification and
 * the Best Practices Profile), Atom (RFC 4287 section 4), JSON Feed 1.1. One code per rule.
 */
export function checkRssRules(c: Checker, tree: XmlNode, selfUrl: string): void {
  const rss = childOf(tree, 'rss');
  if (
    !c.check(
      attrOf(rss, 'version') === '2.0',
      'RSS_VERSION',
      'rss',
      'has no <rss version="2.0"> root.',
      'RSS 2.0 requires it.',
    )
  )
    return;
  const channel = childOf(rss, 'channel');
  for (const name of ['title', 'link', 'description']) {
    c.check(
      textOf(childOf(channel, name)) !== undefined,
      'RSS_CHANNEL_REQUIRED',
      `channel/${name}`,
      `has no channel <${name}>.`,
      'RSS 2.0 "Required channel elements": title, link, description.',
    );
  }
  absolute(c, textOf(childOf(channel, 'link')), 'channel/link');
  const built = textOf(childOf(channel, 'lastBuildDate'));
  date822(c, built, 'channel/lastBuildDate');
  self(
    c,
    attrOf(
      childrenOf(channel, 'atom:link').find((l) => attrOf(l, 'rel') === 'self'),
      'href',
    ),
    selfUrl,
    'channel/atom:link',
  );
  const guids = new Set<string>();
  childrenOf(channel, 'item').forEach((item, i) => {
    const at = `item[${i + 1}]`;
    c.check(
      textOf(childOf(item, 'title')) !== undefined ||
        textOf(childOf(item, 'description')) !== undefined,
      'RSS_ITEM_TITLE',
      at,
      'has neither title nor description.',
      'RSS 2.0: an item must have at least one of them.',
    );
    const guid = childOf(item, 'guid');
    const id = textOf(guid) ?? '';
    c.check(
      id !== '' && !guids.has(id),
      'RSS_GUID_UNIQUE',
      `${at}/guid`,
      `has a missing or repeated guid "${id}".`,
      'Every item needs its own guid, or readers merge or repeat items.',
    );
    guids.add(id);
    c.check(
      attrOf(guid, 'isPermaLink') === 'false',
      'RSS_GUID_PERMALINK',
      `${at}/guid`,
      'guid is a tag URI but isPermaLink is not "false".',
      'A guid that is not a URL must say isPermaLink="false".',
    );
    absolute(c, textOf(childOf(item, 'link')), `${at}/link`);
    const pubDate = textOf(childOf(item, 'pubDate'));
    date822(c, pubDate, `${at}/pubDate`);
    notBefore(c, built, pubDate, `${at}/pubDate`);
    const description = textOf(childOf(item, 'description'));
    if (description !== undefined) checkHtml(c, description, `${at}/description`, SUMMARY_ELEMENTS);
  });
}

export function checkAtomRules(c: Checker, tree: XmlNode, selfUrl: string): void {
  const feed = childOf(tree, 'feed');
  if (
    !c.check(
      attrOf(feed, 'xmlns') === 'http://www.w3.org/2005/Atom',
      'ATOM_NAMESPACE',
      'feed',
      'is not an Atom feed element.',
      'RFC 4287: the root is <feed xmlns="http://www.w3.org/2005/Atom">.',
    )
  )
    return;
  for (const name of ['id', 'title', 'updated']) {
    c.check(
      textOf(childOf(feed, name)) !== undefined,
      'ATOM_FEED_REQUIRED',
      `feed/${name}`,
      `has no feed <${name}>.`,
      'RFC 4287 section 4.1.1: atom:feed must contain id, title and updated.',
    );
  }
  const updated = textOf(childOf(feed, 'updated'));
  date3339(c, updated, 'feed/updated');
  const feedAuthor = childrenOf(feed, 'author').length > 0;
  self(
    c,
    attrOf(
      childrenOf(feed, 'link').find((l) => attrOf(l, 'rel') === 'self'),
      'href',
    ),
    selfUrl,
    'feed/link[@rel=self]',
  );
  textType(c, childOf(feed, 'title'), 'feed/title', 'text');
  textType(c, childOf(feed, 'subtitle'), 'feed/subtitle', 'text');
  const ids = new Set<string>();
  childrenOf(feed, 'entry').forEach((entry, i) => {
    const at = `entry[${i + 1}]`;
    for (const name of ['id', 'title', 'updated']) {
      c.check(
        textOf(childOf(entry, name)) !== undefined,
        'ATOM_ENTRY_REQUIRED',
        `${at}/${name}`,
        `has no <${name}>.`,
        'RFC 4287 section 4.1.2: atom:entry must contain id, title and updated.',
      );
    }
    const id = textOf(childOf(entry, 'id')) ?? '';
    c.check(
      !ids.has(id),
      'ATOM_ID_UNIQUE',
      `${at}/id`,
      `repeats the id "${id}".`,
      'Every entry needs its own id.',
    );
    ids.add(id);
    for (const name of ['updated', 'published']) {
      const value = textOf(childOf(entry, name));
      date3339(c, value, `${at}/${name}`);
      notBefore(c, updated, value, `${at}/${name}`);
    }
    c.check(
      feedAuthor || childrenOf(entry, 'author').length > 0,
      'ATOM_AUTHOR',
      `${at}/author`,
      'has no author, and the feed has none either.',
      'RFC 4287 section 4.1.1: set site.author in the configuration.',
    );
    textType(c, childOf(entry, 'title'), `${at}/title`, 'text');
    textType(c, childOf(entry, 'summary'), `${at}/summary`, 'text');
    textType(c, childOf(entry, 'content'), `${at}/content`, 'html');
    for (const link of childrenOf(entry, 'link')) absolute(c, attrOf(link, 'href'), `${at}/link`);
  });
}

export function checkJsonRules(c: Checker, feed: Record<string, unknown>, selfUrl: string): void {
  c.check(
    feed['version'] === 'https://jsonfeed.org/version/1.1',
    'JSON_VERSION',
    'version',
    `has version ${JSON.stringify(feed['version'])}.`,
    'JSON Feed 1.1: version is "https://jsonfeed.org/version/1.1".',
  );
  c.check(
    typeof feed['title'] === 'string',
    'JSON_TITLE',
    'title',
    'has no title string.',
    'JSON Feed 1.1: title is required.',
  );
  self(c, typeof feed['feed_url'] === 'string' ? feed['feed_url'] : undefined, selfUrl, 'feed_url');
  if (
    !c.check(
      Array.isArray(feed['items']),
      'JSON_ITEMS',
      'items',
      'has no items array.',
      'JSON Feed 1.1: items is required.',
    )
  )
    return;
  const ids = new Set<string>();
  (feed['items'] as Record<string, unknown>[]).forEach((item, i) => {
    const at = `items[${i + 1}]`;
    const id = item['id'];
    c.check(
      typeof id === 'string' && id !== '' && !ids.has(id),
      'JSON_ITEM_ID',
      `${at}/id`,
      `has a missing, non-string or repeated id ${JSON.stringify(id)}.`,
      'JSON Feed 1.1: id is required, a string, unique.',
    );
    if (typeof id === 'string') ids.add(id);
    c.check(
      typeof item['content_html'] === 'string' || typeof item['content_text'] === 'string',
      'JSON_ITEM_CONTENT',
      `${at}/content_html`,
      'has neither content_html nor content_text.',
      'JSON Feed 1.1: one of them is required.',
    );
    for (const key of ['date_published', 'date_modified']) {
      if (item[key] !== undefined)
        date3339(c, typeof item[key] === 'string' ? item[key] : 'not a string', `${at}/${key}`);
    }
    if (item['url'] !== undefined)
      absolute(c, typeof item['url'] === 'string' ? item['url'] : undefined, `${at}/url`);
    // The JSON Feed 1.1 schema refuses an item with a tag twice (uniqueItems), whatever the
    // records say: this holds the file to it apart from the round-trip.
    const tags = Array.isArray(item['tags']) ? (item['tags'] as unknown[]) : [];
    const twice = tags.find((t, n) => tags.indexOf(t) !== n);
    c.check(
      twice === undefined,
      'JSON_ITEM_TAGS',
      `${at}/tags`,
      `has the tag ${JSON.stringify(twice)} more than once.`,
      `JSON Feed 1.1: an item's tags are unique (its schema refuses the item otherwise). ${FEED_BUG_HINT}`,
    );
  });
}

function absolute(c: Checker, url: string | undefined, element: string): void {
  c.check(
    isAbsoluteUrl(url),
    'URL_NOT_ABSOLUTE',
    element,
    `has ${JSON.stringify(url)} where an absolute http(s) URL belongs.`,
    "Readers cannot resolve relative links: check site.baseUrl and the articles' url front matter.",
  );
}

function self(c: Checker, got: string | undefined, want: string, element: string): void {
  c.check(
    got === want,
    'SELF_LINK',
    element,
    `self link is ${JSON.stringify(got)}, not the configured public URL ${want}.`,
    'The self link must be where subscribers fetch this file: check site.baseUrl.',
  );
}

function date822(c: Checker, value: string | undefined, element: string): void {
  if (
    c.check(
      value !== undefined && RFC822.test(value),
      'RSS_DATE',
      element,
      `has ${JSON.stringify(value)}, not an RFC 822 date.`,
      'RSS 2.0 dates are RFC 822, e.g. "Wed, 25 Nov 2026 08:00:00 GMT".',
    )
  )
    weekday(c, value ?? '', element);
}

function date3339(c: Checker, value: string | undefined, element: string): void {
  if (value === undefined) return;
  c.check(
    RFC3339.test(value) && !Number.isNaN(Date.parse(value)),
    'DATE_RFC3339',
    element,
    `has ${JSON.stringify(value)}, not an RFC 3339 date.`,
    'Atom and JSON Feed dates are RFC 3339, e.g. "2026-11-25T08:00:00Z".',
  );
}

/**
 * The declared type of an Atom text construct decides how a reader shows it (RFC 4287 section
 * 3.1.1): a plain title declared "html" shows "&" and "<" wrongly or as markup, and HTML content
 * declared "text" shows its tags. The round-trip cannot see this: the text reads back the same.
 */
function textType(c: Checker, node: unknown, element: string, want: 'text' | 'html'): void {
  if (node === undefined) return;
  const type = attrOf(node, 'type') ?? 'text';
  c.check(
    type === want,
    'ATOM_TEXT_TYPE',
    element,
    `has type "${type}"; what feedkeeper writes here is ${want === 'text' ? 'plain text' : 'HTML'}, type="${want}".`,
    `RFC 4287 section 3.1.1: a reader shows a text construct by its type. ${FEED_BUG_HINT}`,
  );
}

/** A weekday that does not match its date: readers disagree on which of the two they believe. */
function weekday(c: Checker, value: string, element: string): void {
  const ms = Date.parse(value);
  const offset = /([+-])(\d{2})(\d{2})$/.exec(value);
  const minutes = offset
    ? (offset[1] === '-' ? -1 : 1) * (Number(offset[2]) * 60 + Number(offset[3]))
    : 0;
  const day = new Date(ms + minutes * 60_000).getUTCDay();
  const want = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][day];
  c.check(
    Number.isNaN(ms) || value.startsWith(`${want ?? ''},`),
    'RSS_DATE_WEEKDAY',
    element,
    `has ${JSON.stringify(value)}, but that date is a ${want ?? '?'}.`,
    `RFC 822 section 5.1: the day of the week must be the date's. ${FEED_BUG_HINT}`,
  );
}

/** The feed's date says when it last changed: never before an entry it holds. */
function notBefore(
  c: Checker,
  feedDate: string | undefined,
  entryDate: string | undefined,
  element: string,
): void {
  if (feedDate === undefined || entryDate === undefined) return;
  const f = Date.parse(feedDate);
  const e = Date.parse(entryDate);
  if (Number.isNaN(f) || Number.isNaN(e)) return;
  c.check(
    f >= e,
    'FEED_DATE_BEFORE_ENTRY',
    element,
    `is ${entryDate}, after the feed's own date ${feedDate}.`,
    `The feed date is the newest entry's update: readers that poll by it miss this entry. ${FEED_BUG_HINT}`,
  );
}

/** The HTML in a payload holds only what we write: see validate/read-content.ts. */
export function checkHtml(
  c: Checker,
  html: string,
  element: string,
  allowed: Readonly<Record<string, readonly string[]>>,
): void {
  for (const p of htmlProblems(parseHtml(html), allowed))
    c.fail(
      p.code,
      element,
      p.message,
      `Article text is escaped wherever it is rendered, so this HTML did not come from an article. ${FEED_BUG_HINT}`,
    );
}

/**
 * The namespace URI bound to every prefix a feed uses. Readers find `content:encoded`,
 * `dc:creator` and `atom:link` by URI: with a wrong one newsboat falls back to the summary and
 * drops the authors. Add a row when a format gains an extension (RFC 5005 `fh:`).
 */
const NAMESPACES: Readonly<Record<'rss' | 'atom', Readonly<Record<string, string>>>> = {
  rss: {
    '': '',
    content: 'http://purl.org/rss/1.0/modules/content/',
    dc: 'http://purl.org/dc/elements/1.1/',
    atom: 'http://www.w3.org/2005/Atom',
    fh: 'http://purl.org/syndication/history/1.0',
  },
  atom: {
    '': 'http://www.w3.org/2005/Atom',
    xml: 'http://www.w3.org/XML/1998/namespace',
    fh: 'http://purl.org/syndication/history/1.0',
  },
};

export function checkNamespaces(
  c: Checker,
  format: 'rss' | 'atom',
  used: readonly NamespaceUse[],
): void {
  for (const u of used) {
    const want = NAMESPACES[format][u.prefix];
    const what = u.prefix === '' ? 'the default namespace' : `the prefix "${u.prefix}"`;
    c.check(
      want === u.uri,
      'XML_NAMESPACE',
      u.name,
      want === undefined
        ? `uses ${what} (${u.uri}), which feedkeeper never writes.`
        : `binds ${what} to ${JSON.stringify(u.uri)}, not ${JSON.stringify(want)}: readers look ${u.name} up by that URI and will not find it.`,
      `Namespaces in XML 1.0 section 3: an element is known by its namespace URI. ${FEED_BUG_HINT}`,
    );
  }
}
