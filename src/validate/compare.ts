import { isDeepStrictEqual } from 'node:util';
import type { FeedDocument } from '../model/feed.js';
import { escapeMarkup } from '../render/escape.js';
import { FEED_BUG_HINT, type Checker } from './checker.js';
import type { ParsedFeed } from './parsed-feed.js';

export type Format = 'rss' | 'atom' | 'json';

/**
 * Parsed round-trip: what a reader parses out of the file must equal the FeedDocument, entry
 * by entry, field by field. Comparing each format with the one document also proves that the
 * three formats agree with each other (same ids byte for byte, same order, same dates).
 */
export function compareWithDocument(
  c: Checker,
  format: Format,
  parsed: ParsedFeed,
  doc: FeedDocument,
): void {
  const same = (what: string, element: string, got: unknown, want: unknown): void => {
    if (!isDeepStrictEqual(got, want)) {
      c.fail(
        'ROUNDTRIP_MISMATCH',
        element,
        `${what} reads back as ${JSON.stringify(got)}, but the archive says ${JSON.stringify(want)}.`,
        FEED_BUG_HINT,
      );
    }
  };
  same('the feed title', 'title', parsed.title, doc.title);
  same('the home link', 'link', parsed.homeUrl, doc.homeUrl);
  same('the language', 'language', parsed.language, doc.language);
  if (format !== 'json')
    same(
      'the feed date',
      format === 'rss' ? 'lastBuildDate' : 'updated',
      parsed.updated,
      Date.parse(doc.updatedAt),
    );
  if (
    !c.check(
      parsed.entries.length === doc.entries.length,
      'ROUNDTRIP_COUNT',
      'entries',
      `has ${parsed.entries.length} entries; the archive selects ${doc.entries.length}.`,
      FEED_BUG_HINT,
    )
  )
    return;

  doc.entries.forEach((e, i) => {
    const p = parsed.entries[i];
    if (!p) return;
    const at = `${format === 'rss' ? 'item' : format === 'atom' ? 'entry' : 'items'}[${i + 1}]`;
    same('the id', `${at}/id`, p.id, e.id);
    same('the title', `${at}/title`, p.title, e.title);
    same('the link', `${at}/link`, p.url, e.url);
    same('the publication date', `${at}/published`, p.published, Date.parse(e.publishedAt));
    if (format !== 'rss')
      same('the update date', `${at}/updated`, p.updated, Date.parse(e.updatedAt));
    // RSS descriptions are HTML by convention: the summary is written as escaped HTML there.
    same(
      'the summary',
      `${at}/summary`,
      p.summary,
      format === 'rss' ? escapeMarkup(e.summary) : e.summary,
    );
    same('the content', `${at}/content`, p.contentHtml, e.contentHtml);
    if (format !== 'rss') same('the language', `${at}/language`, p.language, e.language);
    same('the categories', `${at}/category`, p.categories, e.categories);
    same(
      'the authors',
      `${at}/author`,
      p.authors,
      e.authors.map((a) => a.name),
    );
  });
}
