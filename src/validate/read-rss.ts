import type { ParsedFeed } from './parsed-feed.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';

export function readRss(tree: XmlNode): ParsedFeed {
  const channel = childOf(childOf(tree, 'rss'), 'channel');
  const self = childrenOf(channel, 'atom:link').find((l) => attrOf(l, 'rel') === 'self');
  return {
    title: textOf(childOf(channel, 'title')),
    homeUrl: textOf(childOf(channel, 'link')),
    selfUrl: attrOf(self, 'href'),
    language: textOf(childOf(channel, 'language')),
    updated: dateOf(textOf(childOf(channel, 'lastBuildDate'))),
    entries: childrenOf(channel, 'item').map((item) => ({
      id: textOf(childOf(item, 'guid')),
      title: textOf(childOf(item, 'title')),
      url: textOf(childOf(item, 'link')),
      published: dateOf(textOf(childOf(item, 'pubDate'))),
      // RSS 2.0 has no item modification date.
      updated: undefined,
      summary: textOf(childOf(item, 'description')),
      contentHtml: textOf(childOf(item, 'content:encoded')),
      language: undefined,
      categories: childrenOf(item, 'category').map((c) => textOf(c) ?? ''),
      authors: childrenOf(item, 'dc:creator').map((c) => textOf(c) ?? ''),
    })),
  };
}

const dateOf = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};
