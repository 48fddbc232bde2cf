import type { FeedDocument } from '../model/feed.js';
import { RFC3339, RFC822, isAbsoluteUrl, type Checker } from './checker.js';
import type { Format } from './compare.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';

/**
 * The specs' own rules, beyond the round-trip: RSS 2.0 (rssboard.org/rss-specification and
 * the Best Practices Profile), Atom (RFC 4287 section 4), JSON Feed 1.1. One code per rule.
 */
export function checkRssRules(c: Checker, tree: XmlNode, doc: FeedDocument): void {
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
  date822(c, textOf(childOf(channel, 'lastBuildDate')), 'channel/lastBuildDate');
  self(
    c,
    attrOf(
      childrenOf(channel, 'atom:link').find((l) => attrOf(l, 'rel') === 'self'),
      'href',
    ),
    doc.selfUrls.rss,
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
    date822(c, textOf(childOf(item, 'pubDate')), `${at}/pubDate`);
  });
}

export function checkAtomRules(c: Checker, tree: XmlNode, doc: FeedDocument): void {
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
  date3339(c, textOf(childOf(feed, 'updated')), 'feed/updated');
  const feedAuthor = childrenOf(feed, 'author').length > 0;
  self(
    c,
    attrOf(
      childrenOf(feed, 'link').find((l) => attrOf(l, 'rel') === 'self'),
      'href',
    ),
    doc.selfUrls.atom,
    'feed/link[@rel=self]',
  );
  textType(c, childOf(feed, 'title'), 'feed/title');
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
    date3339(c, textOf(childOf(entry, 'updated')), `${at}/updated`);
    date3339(c, textOf(childOf(entry, 'published')), `${at}/published`);
    c.check(
      feedAuthor || childrenOf(entry, 'author').length > 0,
      'ATOM_AUTHOR',
      `${at}/author`,
      'has no author, and the feed has none either.',
      'RFC 4287 section 4.1.1: set site.author in the configuration.',
    );
    textType(c, childOf(entry, 'title'), `${at}/title`);
    textType(c, childOf(entry, 'summary'), `${at}/summary`);
    for (const link of childrenOf(entry, 'link')) absolute(c, attrOf(link, 'href'), `${at}/link`);
  });
}

export function checkJsonRules(c: Checker, feed: Record<string, unknown>, doc: FeedDocument): void {
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
  self(
    c,
    typeof feed['feed_url'] === 'string' ? feed['feed_url'] : undefined,
    doc.selfUrls.json,
    'feed_url',
  );
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
  });
}

export const RULES: Record<Format, string> = {
  rss: 'RSS 2.0',
  atom: 'Atom 1.0',
  json: 'JSON Feed 1.1',
};

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
  c.check(
    value !== undefined && RFC822.test(value),
    'RSS_DATE',
    element,
    `has ${JSON.stringify(value)}, not an RFC 822 date.`,
    'RSS 2.0 dates are RFC 822, e.g. "Wed, 25 Nov 2026 08:00:00 GMT".',
  );
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

function textType(c: Checker, node: unknown, element: string): void {
  if (node === undefined) return;
  const type = attrOf(node, 'type') ?? 'text';
  c.check(
    type === 'text' || type === 'html' || type === 'xhtml',
    'ATOM_TEXT_TYPE',
    element,
    `has type "${type}".`,
    'RFC 4287 section 3.1.1: a text construct is type text, html or xhtml.',
  );
}
