import type { ParsedFeed } from './parsed-feed.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';

export function readAtom(tree: XmlNode): ParsedFeed {
  const feed = childOf(tree, 'feed');
  const links = childrenOf(feed, 'link');
  const feedLang = attrOf(feed, 'xml:lang');
  return {
    title: textOf(childOf(feed, 'title')),
    homeUrl: attrOf(
      links.find((l) => (attrOf(l, 'rel') ?? 'alternate') === 'alternate'),
      'href',
    ),
    selfUrl: attrOf(
      links.find((l) => attrOf(l, 'rel') === 'self'),
      'href',
    ),
    language: feedLang,
    updated: dateOf(textOf(childOf(feed, 'updated'))),
    entries: childrenOf(feed, 'entry').map((entry) => ({
      id: textOf(childOf(entry, 'id')),
      title: textOf(childOf(entry, 'title')),
      url: attrOf(
        childrenOf(entry, 'link').find((l) => (attrOf(l, 'rel') ?? 'alternate') === 'alternate'),
        'href',
      ),
      published: dateOf(textOf(childOf(entry, 'published'))),
      updated: dateOf(textOf(childOf(entry, 'updated'))),
      summary: textOf(childOf(entry, 'summary')),
      contentHtml: textOf(childOf(entry, 'content')),
      language: attrOf(entry, 'xml:lang') ?? feedLang,
      categories: childrenOf(entry, 'category').map((c) => attrOf(c, 'term') ?? ''),
      authors: childrenOf(entry, 'author').map((a) => textOf(childOf(a, 'name')) ?? ''),
    })),
  };
}

const dateOf = (text: string | undefined): number | undefined => {
  if (text === undefined) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};
