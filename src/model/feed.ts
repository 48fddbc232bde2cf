import type { Author, Block } from './record.js';

/**
 * Format-neutral feed, built from records (render/feed-document.ts) and compared with what each
 * rendered format parses back to (validate/). Everything is plain text or an ASCII URL here;
 * each format does its own escaping.
 */
export interface FeedEntry {
  readonly id: string;
  readonly url: string;
  readonly title: string;
  readonly summary: string;
  readonly body: readonly Block[];
  readonly contentHtml: string;
  readonly language: string;
  readonly categories: readonly string[];
  readonly authors: readonly Author[];
  readonly publishedAt: string;
  readonly updatedAt: string;
}

export interface FeedLinks {
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

export interface FeedDocument {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  readonly selfUrls: FeedLinks;
  readonly language: string;
  readonly author: Author;
  readonly generator: { readonly name: string; readonly version: string; readonly url: string };
  readonly docsUrl: string;
  /** Minutes; from the schedule when one is configured. */
  readonly ttl: number | null;
  /** Newest entry's updatedAt; never the clock (the Unix epoch for an empty feed). */
  readonly updatedAt: string;
  readonly entries: readonly FeedEntry[];
}
