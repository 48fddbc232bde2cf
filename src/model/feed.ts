import type { FeedHistory } from './feed-history.js';
import type { Format } from './outputs.js';
import type { Author, Block, Source } from './record.js';

/**
 * Format-neutral feed, built from records (render/feed-document.ts) and rendered into each
 * format. The verifier never compares with it: it reads the records on a path of its own
 * (validate/expected-feed.ts), so a fault in building this document cannot prove itself.
 * Everything is plain text or an ASCII URL here; each format does its own escaping.
 */
export interface FeedEntry {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly summary: string;
  readonly body: readonly Block[];
  /** The body as HTML, then the source credit. */
  readonly contentHtml: string;
  readonly source: Source | null;
  readonly language: string;
  readonly categories: readonly string[];
  readonly authors: readonly Author[];
  readonly publishedAt: string;
  readonly updatedAt: string;
}

/** The publisher (site.author): Atom's feed author, RSS managingEditor, JSON Feed authors. */
export interface FeedAuthor {
  readonly name: string;
  readonly email: string | null;
  readonly url: string | null;
}

export interface FeedDocument {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  readonly selfUrls: Readonly<Record<Format, string>>;
  readonly language: string;
  readonly author: FeedAuthor;
  readonly generator: { readonly name: string; readonly version: string; readonly url: string };
  readonly docsUrl: string;
  /** Minutes; from the schedule when one is configured. */
  readonly ttl: number | null;
  /** Newest entry's updatedAt; never the clock (the Unix epoch for an empty feed). */
  readonly updatedAt: string;
  readonly entries: readonly FeedEntry[];
  /** RFC 5005 links and flags (src/history/archive-chain.ts); none on a plain feed. */
  readonly history?: FeedHistory;
}
