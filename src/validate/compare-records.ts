import type { Format } from '../model/outputs.js';
import { FEED_BUG_HINT, type Checker } from './checker.js';
import type { ExpectedEntry, ExpectedFeed } from './expected-feed.js';
import { parseHtml, type HtmlNode } from './parse-html.js';
import { sameData } from './same-data.js';
import type { ParsedAuthor, ParsedFeed } from './parsed-feed.js';
import {
  CONTENT_ELEMENTS,
  htmlProblems,
  readBlocks,
  readLinks,
  type Block,
  type HtmlProblem,
  type Link,
} from './read-content.js';

const HINT = `The feed does not say what the archive records say. ${FEED_BUG_HINT}`;

/**
 * What a reader parses out of one feed must be what the records say, field by field, entry by
 * entry, in the order the archive gives (validate/expected-feed.ts). Each format is compared
 * with the records, never with another format or with the document the renderer built.
 */
export function compareWithRecords(
  c: Checker,
  format: Format,
  parsed: ParsedFeed,
  want: ExpectedFeed,
): void {
  const same = (what: string, element: string, got: unknown, expected: unknown): void => {
    if (!sameData(got, expected))
      c.fail(
        'ROUNDTRIP_MISMATCH',
        element,
        `${what} reads back as ${JSON.stringify(got)}, but the archive says ${JSON.stringify(expected)}.`,
        HINT,
      );
  };
  // Dates are compared as milliseconds but shown as ISO 8601: two 13-digit numbers cannot be
  // told apart by a person reading the report.
  const sameDate = (
    what: string,
    element: string,
    got: number | undefined,
    expected: number | undefined,
  ): void => {
    if (!Object.is(got, expected))
      c.fail(
        'ROUNDTRIP_MISMATCH',
        element,
        `${what} reads back as ${shownDate(got)}, but the archive says ${shownDate(expected)}.`,
        HINT,
      );
  };
  const optional = (text: string): string | undefined => (text === '' ? undefined : text);
  same('the feed title', 'title', parsed.title, want.title);
  same(
    'the feed description',
    format === 'atom' ? 'subtitle' : 'description',
    parsed.description,
    format === 'rss' ? want.description : optional(want.description),
  );
  same('the home link', 'link', parsed.homeUrl, want.homeUrl);
  same('the language', 'language', parsed.language, want.language);
  same(
    'the publisher',
    format === 'rss' ? 'managingEditor' : 'author',
    parsed.author,
    authorIn(format, want.author),
  );
  if (format === 'atom') same('the feed id', 'id', parsed.id, want.id);
  // How long readers may cache the channel: one written for another schedule makes a reader
  // that honours it poll far too rarely (or too often).
  if (format === 'rss')
    same('the time to live', 'ttl', parsed.ttl, want.ttl === null ? undefined : String(want.ttl));
  // Who made the feed and which specification it follows: the version varies by release, so
  // the name is compared, and what follows it must be a version.
  if (format !== 'json')
    same('the generator', 'generator', generatorName(parsed.generator), want.generator);
  if (format === 'rss') same('the specification link', 'docs', parsed.docs, want.docs);
  if (format !== 'json')
    sameDate(
      'the feed date',
      format === 'rss' ? 'lastBuildDate' : 'updated',
      parsed.updated,
      want.updated,
    );
  if (
    !c.check(
      parsed.entries.length === want.entries.length,
      'ROUNDTRIP_COUNT',
      'entries',
      `has ${parsed.entries.length} entries; the archive lists ${want.entries.length} (the newest records that are not withdrawn).`,
      HINT,
    )
  )
    return;

  want.entries.forEach((e, i) => {
    const p = parsed.entries[i];
    if (!p) return;
    const at = `${format === 'rss' ? 'item' : format === 'atom' ? 'entry' : 'items'}[${i + 1}]`;
    same('the id', `${at}/id`, p.id, e.id);
    same('the title', `${at}/title`, p.title, e.title);
    same('the link', `${at}/link`, p.url, e.url);
    sameDate('the publication date', `${at}/published`, p.published, e.published);
    if (format !== 'rss') sameDate('the update date', `${at}/updated`, p.updated, e.updated);
    same('the summary', `${at}/summary`, p.summary, e.summary);
    compareContent(c, p.contentHtml, e, `${at}/content`, same);
    same('the language', `${at}/language`, p.language, e.language);
    same('the categories', `${at}/category`, p.categories, e.categories);
    same('the authors', `${at}/author`, p.authors, e.authors);
    if (format === 'atom')
      same('the source link', `${at}/link[@rel=via]`, p.via, e.sourceUrl ?? undefined);
  });
}

/** The content as a reader shows it: its blocks (headings stay headings) and its links. */
function compareContent(
  c: Checker,
  html: string | undefined,
  e: ExpectedEntry,
  element: string,
  same: (what: string, element: string, got: unknown, expected: unknown) => void,
): void {
  if (html === undefined) {
    same('the content', element, html, e.blocks);
    return;
  }
  const r = readingOf(parseHtml(html));
  for (const p of r.problems)
    c.fail(
      p.code,
      element,
      p.message,
      `Article text is escaped wherever it is rendered, so this HTML did not come from an article. ${FEED_BUG_HINT}`,
    );
  same('the content', element, r.blocks, e.blocks);
  same('the links in the content', element, r.links, e.links);
}

interface Reading {
  readonly problems: readonly HtmlProblem[];
  readonly blocks: readonly Block[];
  readonly links: readonly Link[];
}

/**
 * What a reader reads in one content tree, read once per tree: an entry's content is the same
 * HTML in the RSS, Atom and JSON documents, and parseHtml() hands back the same read-only tree
 * for it (parse-html.ts), so the second and third formats only compare. Reading it three times
 * was a third of the gate's time on a month's archive documents. Keyed weakly: the trees live
 * as long as parseHtml() keeps them.
 */
const readings = new WeakMap<readonly HtmlNode[], Reading>();

function readingOf(nodes: readonly HtmlNode[]): Reading {
  let r = readings.get(nodes);
  if (r === undefined) {
    r = {
      problems: htmlProblems(nodes, CONTENT_ELEMENTS),
      blocks: readBlocks(nodes),
      links: readLinks(nodes),
    };
    readings.set(nodes, r);
  }
  return r;
}

/** The publisher as each format carries it (see render/feed-adapter.ts). */
function authorIn(format: Format, a: ExpectedFeed['author']): ParsedAuthor | undefined {
  if (format === 'rss')
    return a.email === null ? undefined : { email: a.email, name: a.name, url: undefined };
  if (format === 'atom')
    return { name: a.name, email: a.email ?? undefined, url: a.url ?? undefined };
  const url = a.url ?? (a.email === null ? undefined : `mailto:${a.email}`);
  return { name: a.name, email: undefined, url };
}

/** 2026-11-25T07:30:00Z (milliseconds only when there are some); `undefined` when absent. */
function shownDate(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms)) return String(ms);
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

/** `feedkeeper 1.2.0` → `feedkeeper`; anything not a name and a version, as written. */
const generatorName = (text: string | undefined): string | undefined =>
  /^(\S+) \d+\.\d+\.\d+(?:[-+][0-9A-Za-z.-]+)?$/.exec(text ?? '')?.[1] ?? text;
