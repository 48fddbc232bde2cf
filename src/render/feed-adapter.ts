import { createHash } from 'node:crypto';
import { Feed, type Item } from 'feed';
import type { FeedDocument } from '../model/feed.js';
import { isHttpUrl } from './article-html.js';
import { escapeHtmlText, escapeMarkup, escapeXmlText } from './escape.js';
import { historyHead } from './history-head.js';
import { jsonHistory } from './history-json.js';
import { extendHead } from './xml-head.js';

/**
 * The one importer of `feed` (6.0.0). It lays out the elements, order and namespaces of RSS 2.0
 * and Atom 1.0; we never hand it our text, because it mangles text (DESIGN.md section 5):
 * its XML writer turns a literal "&amp;" into "&", splits only the first "]]>" of a CDATA
 * section, leaves "<" raw in attributes, and Atom titles come out as type="html".
 *
 * Instead every text goes in as a slot token, and after rendering each token is replaced by
 * the text escaped for its place: plain text with hex references (RSS Profile), HTML in
 * CDATA, Atom text as type="text". A token left over, or text where no token went, fails loudly.
 * Dates are ours too: feed never falls back to the clock because we always pass them.
 */
export interface RenderedFeeds {
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

type Kind = 'text' | 'html';
type Extension = { name: string; objects: unknown };

interface TextSink {
  put(text: string, kind?: Kind): string;
}

/** JSON needs no slots: JSON.stringify escapes every text correctly. */
const asIs: TextSink = { put: (text) => text };

class Slots implements TextSink {
  readonly values: { text: string; kind: Kind }[] = [];
  constructor(private readonly nonce: string) {}
  put(text: string, kind: Kind = 'text'): string {
    this.values.push({ text, kind });
    return `\uE000fk${this.nonce}:${this.values.length - 1}\uE001`;
  }
  /** Replace every token; `wrap` says how the text is written where its token stands. */
  fill(
    xml: string,
    wrap: (text: string, kind: Kind, inCdata: boolean, before: string) => string,
  ): string {
    const out = xml.replace(
      new RegExp(`(<!\\[CDATA\\[)?\uE000fk${this.nonce}:(\\d+)\uE001(\\]\\]>)?`, 'g'),
      (_m, open: string | undefined, n: string, close: string | undefined, offset: number) => {
        const slot = this.values[Number(n)];
        if (!slot) throw new Error(`feed adapter: unknown slot ${n}`);
        return wrap(
          slot.text,
          slot.kind,
          open !== undefined && close !== undefined,
          xml.slice(Math.max(0, offset - 40), offset),
        );
      },
    );
    if (out.includes(`\uE000fk${this.nonce}:`))
      throw new Error('feed adapter: a slot token was not replaced');
    return out;
  }
}

/** A nonce no article can contain: derived from all the text it would have to contain. */
const nonceOf = (doc: FeedDocument): string =>
  createHash('sha256').update(JSON.stringify(doc)).digest('hex').slice(0, 8);

/** Whether any string in `value` (a document: plain objects, arrays, strings) holds U+E000. */
function holdsMark(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\uE000');
  if (Array.isArray(value)) return value.some(holdsMark);
  if (value !== null && typeof value === 'object') return Object.values(value).some(holdsMark);
  return false;
}

/**
 * Slot tokens start with U+E000, a private-use character. When no string of the document holds
 * one, nothing but our tokens can look like a token in what feed writes, and they need no
 * nonce; a document whose text holds one gets a nonce derived from all its text. The test walks
 * the document's strings instead of counting the U+E000 in feed's output: a category goes in
 * twice (name and term) and each format writes one of them, so counts never matched and every
 * document with tags was rendered twice (a fifth of a cold build's main thread).
 */
function withSlots(doc: FeedDocument, render: (slots: Slots) => string): string {
  return render(new Slots(holdsMark(doc) ? nonceOf(doc) : ''));
}

const dateOf = (utc: string): Date => new Date(utc);
const generatorText = (doc: FeedDocument): string =>
  `${doc.generator.name} ${doc.generator.version}`;

function build(
  doc: FeedDocument,
  slots: TextSink,
  self: string,
  withDescriptionHtml: boolean,
): Feed {
  const feed = new Feed({
    id: doc.id,
    title: slots.put(doc.title),
    // RSS: readers render the channel description as HTML, as they do an item's (Universal
    // Feed Parser dropped "<teste>" from a site's description escaped once), so the site's
    // plain text is escaped as HTML first, then for XML; escapeHtmlText() escapes only what an
    // HTML parser needs, so a description with `&` or quotes draws no ContainsHTML warning
    // from the W3C validator. Atom subtitle and JSON Feed description are plain text.
    description:
      doc.description === ''
        ? undefined
        : withDescriptionHtml
          ? slots.put(escapeHtmlText(doc.description), 'html')
          : slots.put(doc.description),
    link: doc.homeUrl,
    language: doc.language,
    updated: dateOf(doc.updatedAt),
    generator: slots.put(generatorText(doc)),
    docs: doc.docsUrl,
    ...(doc.ttl === null ? {} : { ttl: doc.ttl }),
    feed: self,
    feedLinks: { json: doc.selfUrls.json },
    author: {
      name: slots.put(doc.author.name),
      ...(doc.author.email === null ? {} : { email: slots.put(doc.author.email) }),
      ...(doc.author.url === null ? {} : { link: doc.author.url }),
    },
  });
  for (const e of doc.entries) {
    const item: Item = {
      title: slots.put(e.title),
      id: e.id,
      guid: e.id,
      link: e.url,
      date: dateOf(e.updatedAt),
      published: dateOf(e.publishedAt),
      description: withDescriptionHtml
        ? slots.put(escapeMarkup(e.summary), 'html')
        : slots.put(e.summary),
      content: slots.put(e.contentHtml, 'html'),
      category: e.categories.map((c) => ({ name: slots.put(c), term: slots.put(c) })),
    };
    // RSS extensions (Atom drops them): xml-js writes an array of {_text} as repeated elements.
    const extensions: Extension[] = [];
    if (e.authors.length > 0) {
      // dc:creator: a name-only <author> is invalid RSS, which wants an e-mail address.
      const creators = e.authors.map((a) => ({ _text: slots.put(a.name) }));
      extensions.push({ name: 'dc:creator', objects: creators });
      item.author = e.authors.map((a) => ({ name: slots.put(a.name) }));
    }
    // RSS has only the channel's <language>: an item in another language says so in Dublin Core.
    if (e.language !== doc.language)
      extensions.push({ name: 'dc:language', objects: { _text: slots.put(e.language) } });
    if (extensions.length > 0) item.extensions = extensions as Item['extensions'];
    feed.addItem(item);
  }
  return feed;
}

export const renderRss = (doc: FeedDocument): string =>
  withSlots(doc, (slots) => rssWith(doc, slots));

/**
 * Every change to what feed wrote is made while the texts are still slot tokens, and the texts
 * go in last (Slots.fill): a pattern then meets only markup feed wrote, never an article's words
 * (a title "at 10:00:00.000Z" was cut to "10:00:00Z" by the date fix below, and the gate refused
 * to publish anything), and each big document is copied once instead of once per change.
 */
function rssWith(doc: FeedDocument, slots: Slots): string {
  const feed = build(doc, slots, doc.selfUrls.rss, true);
  for (const item of feed.items) delete item.author;
  let xml = feed.rss2();
  // The publisher's address (RSS 2.0 "managingEditor": an e-mail address, then the name in
  // parentheses, as the RSS Best Practices Profile writes it); feed writes it only for podcasts.
  if (doc.author.email !== null) {
    const editor = `<managingEditor>${escapeXmlText(`${doc.author.email} (${doc.author.name})`)}</managingEditor>`;
    xml = insertBefore(xml, '<atom:link ', `${editor}\n        `);
  }
  // RFC 5005: fh:complete or fh:archive and the archive links (feed cannot declare fh:).
  if (doc.history) xml = extendHead(xml, 'rss', historyHead(doc.history, 'rss'));
  return finish(slots, xml);
}

function insertBefore(xml: string, marker: string, text: string): string {
  const at = xml.indexOf(marker);
  if (at < 0) throw new Error(`feed adapter: no ${marker.trim()} to insert before`);
  return xml.slice(0, at) + text + xml.slice(at);
}

export const renderAtom = (doc: FeedDocument): string =>
  withSlots(doc, (slots) => atomWith(doc, slots));

function atomWith(doc: FeedDocument, slots: Slots): string {
  const feed = build(doc, slots, doc.selfUrls.atom, false);
  for (const item of feed.items) delete item.extensions;
  let xml = feed.atom1();
  // Titles and summaries are plain text: say so (RFC 4287 section 3.1.1), feed writes type="html".
  xml = xml.replace(/<(title|summary) type="html">/g, '<$1 type="text">');
  // Whole-second dates, as stored (RFC 3339 allows the fraction; we never have one).
  xml = xml.replace(/(\d{2}:\d{2}:\d{2})\.000Z</g, '$1Z<');
  // xml:lang on the feed and on each entry (RFC 4287 section 2; feed cannot write it).
  xml = xml.replace(
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${escapeMarkup(doc.language)}">`,
  );
  // And the source as a link rel="via" (RFC 4287 section 4.2.7.2), which feed cannot write,
  // after the entry's alternate link: lenient readers (rss-parser) take the first link.
  let n = 0;
  xml = xml.replace(/<entry>([\s\S]*?<link href="[^"]*"\/>)/g, (_m, head: string) => {
    const e = doc.entries[n++];
    const via = isHttpUrl(e?.source?.url ?? null)
      ? `\n        <link rel="via" href="${escapeMarkup(e?.source?.url ?? '')}"/>`
      : '';
    return `<entry xml:lang="${escapeMarkup(e?.language ?? doc.language)}">${head}${via}`;
  });
  if (n !== doc.entries.length) throw new Error('feed adapter: an Atom entry has no link');
  if (doc.history) xml = extendHead(xml, 'atom', historyHead(doc.history, 'atom'));
  return finish(slots, xml);
}

/** The texts in their places (escaped for XML, HTML in CDATA), and one final newline. */
const finish = (slots: Slots, xml: string): string =>
  `${slots.fill(xml.trimEnd(), (text, kind, inCdata) =>
    kind === 'html' ? cdata(text, inCdata) : escapeXmlText(text),
  )}\n`;

/**
 * JSON Feed 1.1. feed writes 1.0 (https://jsonfeed.org/version/1): we keep its texts and
 * links, and upgrade the rest: `version`, `authors` for `author`, feed and item `language`,
 * whole-second dates, and no item without an id (1.1 "Items").
 */
export function renderJson(doc: FeedDocument): string {
  const feed = build(doc, asIs, doc.selfUrls.json, false);
  const base = JSON.parse(feed.json1()) as JsonFeed10;
  if (base.items.length !== doc.entries.length)
    throw new Error('feed adapter: JSON item count differs');
  const out = {
    version: 'https://jsonfeed.org/version/1.1',
    title: base.title,
    home_page_url: base.home_page_url,
    feed_url: base.feed_url,
    // RFC 5005 in JSON Feed: next_url goes back in time (render/history-json.ts).
    ...(doc.history ? jsonHistory(doc.history).next : {}),
    ...(base.description === undefined ? {} : { description: base.description }),
    language: doc.language,
    // JSON Feed 1.1 authors have a url, no e-mail: "it could also be a mailto: link".
    authors: [
      {
        name: doc.author.name,
        ...(doc.author.url !== null
          ? { url: doc.author.url }
          : doc.author.email !== null
            ? { url: `mailto:${doc.author.email}` }
            : {}),
      },
    ],
    ...(doc.history ? jsonHistory(doc.history).extension : {}),
    items: base.items.map((item, i) => {
      const e = doc.entries[i];
      if (!e || item.id !== e.id)
        throw new Error(`feed adapter: JSON item ${i} is not entry ${e?.id ?? '?'}`);
      return {
        id: item.id,
        url: item.url,
        title: item.title,
        // feed drops an empty summary; the archive (and the round-trip) says "".
        summary: item.summary ?? e.summary,
        content_html: item.content_html,
        date_published: e.publishedAt,
        date_modified: e.updatedAt,
        language: e.language,
        ...(e.authors.length > 0 ? { authors: e.authors.map((a) => ({ name: a.name })) } : {}),
        ...(item.tags && item.tags.length > 0 ? { tags: item.tags } : {}),
      };
    }),
  };
  return `${JSON.stringify(out, null, 2)}\n`;
}

interface JsonFeed10 {
  title: string;
  home_page_url?: string;
  feed_url?: string;
  description?: string;
  items: {
    id: string;
    url?: string;
    title?: string;
    summary?: string;
    content_html?: string;
    tags?: string[];
  }[];
}

function cdata(html: string, inCdata: boolean): string {
  // Our HTML escapes every ">" in text, so it never holds "]]>"; if it ever did, escape instead.
  if (inCdata && !html.includes(']]>')) return `<![CDATA[${html}]]>`;
  return escapeMarkup(html);
}
