import { dateOf, type ParsedFeed } from './parsed-feed.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';

/** rel defaults to "alternate" (RFC 4287 section 4.2.7.2). */
const linkHref = (node: unknown, rel: string): string | undefined =>
  attrOf(
    childrenOf(node, 'link').find((l) => (attrOf(l, 'rel') ?? 'alternate') === rel),
    'href',
  );

export function readAtom(tree: XmlNode): ParsedFeed {
  const feed = childOf(tree, 'feed');
  const feedLang = attrOf(feed, 'xml:lang');
  const author = childOf(feed, 'author');
  return {
    id: textOf(childOf(feed, 'id')),
    title: textOf(childOf(feed, 'title')),
    description: textOf(childOf(feed, 'subtitle')),
    homeUrl: linkHref(feed, 'alternate'),
    selfUrl: linkHref(feed, 'self'),
    language: feedLang,
    updated: dateOf(textOf(childOf(feed, 'updated'))),
    generator: textOf(childOf(feed, 'generator')),
    author:
      author === undefined
        ? undefined
        : {
            name: textOf(childOf(author, 'name')),
            email: textOf(childOf(author, 'email')),
            url: textOf(childOf(author, 'uri')),
          },
    entries: childrenOf(feed, 'entry').map((entry) => ({
      id: textOf(childOf(entry, 'id')),
      title: textOf(childOf(entry, 'title')),
      url: linkHref(entry, 'alternate'),
      published: dateOf(textOf(childOf(entry, 'published'))),
      updated: dateOf(textOf(childOf(entry, 'updated'))),
      summary: textOf(childOf(entry, 'summary')),
      contentHtml: textOf(childOf(entry, 'content')),
      language: attrOf(entry, 'xml:lang') ?? feedLang,
      categories: childrenOf(entry, 'category').map((c) => attrOf(c, 'term') ?? ''),
      authors: childrenOf(entry, 'author').map((a) => textOf(childOf(a, 'name')) ?? ''),
      via: linkHref(entry, 'via'),
    })),
  };
}
