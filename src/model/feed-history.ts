import type { Format } from './outputs.js';

/**
 * RFC 5005 (Feed Paging and Archiving) as one feed document carries it. The subscription
 * documents (out/rss.xml, atom.xml, feed.json) are either complete (section 2: everything fits
 * in feed.size, `fh:complete`) or link `prev-archive` to the newest archive document; each
 * archive document (out/archive/YYYY/MM/…, section 4) says `fh:archive` and links `current`
 * (the subscription document), `prev-archive` (the month before) and `next-archive` (the month
 * after). Each link is given for every format: an RSS document links RSS documents, and so on.
 */
export type FormatUrls = Readonly<Record<Format, string>>;

export interface FeedHistory {
  /** Section 2: this document holds every entry of the feed. Subscription documents only. */
  readonly complete: boolean;
  /** Section 4: this is an archive document. */
  readonly archive: boolean;
  /** The subscription documents (archive documents only). */
  readonly current: FormatUrls | null;
  /** The archive document before this one in time, if any. */
  readonly prevArchive: FormatUrls | null;
  /** The archive document after this one in time, if any (archive documents only). */
  readonly nextArchive: FormatUrls | null;
}

/** The namespace of `fh:archive` and `fh:complete` (RFC 5005 section 5). */
export const FH_NAMESPACE = 'http://purl.org/syndication/history/1.0';

/** Where JSON Feed documents carry the history (a JSON Feed 1.1 extension, "_" + name). */
export const JSON_HISTORY_KEY = '_feed_history';
export const RFC5005_URL = 'https://www.rfc-editor.org/rfc/rfc5005';

/**
 * At most this many records (live or withdrawn) per archive document: a month with more is cut
 * into parts (src/history/archive-chain.ts), so no document grows without bound.
 */
export const PART_SIZE = 100;
