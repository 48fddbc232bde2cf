import { dateOf, type ParsedAuthor, type ParsedFeed } from './parsed-feed.js';
import { parseHtml, textContent } from './parse-html.js';
import { attrOf, childOf, childrenOf, textOf, type XmlNode } from './parse-xml.js';

export function readRss(tree: XmlNode): ParsedFeed {
  const channel = childOf(childOf(tree, 'rss'), 'channel');
  const self = childrenOf(channel, 'atom:link').find((l) => attrOf(l, 'rel') === 'self');
  const language = textOf(childOf(channel, 'language'));
  return {
    id: undefined,
    title: textOf(childOf(channel, 'title')),
    // HTML, like an item's description (the profile): a reader shows the text of that HTML.
    description: htmlText(textOf(childOf(channel, 'description'))),
    homeUrl: textOf(childOf(channel, 'link')),
    selfUrl: attrOf(self, 'href'),
    language,
    updated: dateOf(textOf(childOf(channel, 'lastBuildDate'))),
    ttl: textOf(childOf(channel, 'ttl')),
    generator: textOf(childOf(channel, 'generator')),
    docs: textOf(childOf(channel, 'docs')),
    author: editorOf(textOf(childOf(channel, 'managingEditor'))),
    entries: childrenOf(channel, 'item').map((item) => {
      const description = textOf(childOf(item, 'description'));
      return {
        id: textOf(childOf(item, 'guid')),
        title: textOf(childOf(item, 'title')),
        url: textOf(childOf(item, 'link')),
        published: dateOf(textOf(childOf(item, 'pubDate'))),
        // RSS 2.0 has no item modification date.
        updated: undefined,
        // RSS descriptions are HTML by convention: a reader shows the text of that HTML.
        summary: htmlText(description),
        contentHtml: textOf(childOf(item, 'content:encoded')),
        language: textOf(childOf(item, 'dc:language')) ?? language,
        categories: childrenOf(item, 'category').map((c) => textOf(c) ?? ''),
        authors: childrenOf(item, 'dc:creator').map((c) => textOf(c) ?? ''),
        via: undefined,
      };
    }),
  };
}

const htmlText = (html: string | undefined): string | undefined =>
  html === undefined ? undefined : textContent(parseHtml(html));

/** RSS 2.0 managingEditor: "email (name)"; RSS has no element for the publisher's web site. */
function editorOf(text: string | undefined): ParsedAuthor | undefined {
  if (text === undefined) return undefined;
  const m = /^(\S+) \((.*)\)$/s.exec(text);
  return { email: m?.[1] ?? text, name: m?.[2], url: undefined };
}
