/**
 * What a rendered feed says once parsed back: the same shape for RSS, Atom and JSON. A field a
 * format cannot carry is `undefined` (and is not compared); one it carries but the file lacks
 * is `undefined` too, and then differs from what the records say.
 */
export interface ParsedEntry {
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly url: string | undefined;
  /** As milliseconds since the epoch (RSS dates are RFC 822 text). */
  readonly published: number | undefined;
  readonly updated: number | undefined;
  /** Plain text, as a reader shows it (RSS: the text of the description's HTML). */
  readonly summary: string | undefined;
  readonly contentHtml: string | undefined;
  readonly language: string | undefined;
  readonly categories: readonly string[];
  readonly authors: readonly string[];
  /** Atom `link rel="via"`: where the entry's information came from (RFC 4287 4.2.7.2). */
  readonly via: string | undefined;
}

export interface ParsedAuthor {
  readonly name: string | undefined;
  readonly email: string | undefined;
  readonly url: string | undefined;
}

export interface ParsedFeed {
  /** Atom only: the feed's id. */
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly description: string | undefined;
  readonly homeUrl: string | undefined;
  readonly selfUrl: string | undefined;
  readonly language: string | undefined;
  readonly updated: number | undefined;
  /** RSS only: `<ttl>` as written (undefined when there is none). */
  readonly ttl?: string | undefined;
  /** RSS and Atom: `<generator>`'s text; RSS only: `<docs>`. */
  readonly generator?: string | undefined;
  readonly docs?: string | undefined;
  readonly author: ParsedAuthor | undefined;
  readonly entries: readonly ParsedEntry[];
  /** RFC 5005 as the document says it (validate/read-history.ts). */
  readonly history?: ParsedHistory;
}

/** A document's RFC 5005 flags and links, in its own format (URLs of documents of that format). */
export interface ParsedHistory {
  readonly complete: boolean;
  readonly archive: boolean;
  readonly current: string | undefined;
  readonly prevArchive: string | undefined;
  readonly nextArchive: string | undefined;
  /** JSON Feed only: next_url, which must be prev-archive. */
  readonly nextUrl?: string | undefined;
}

export const dateOf = (text: unknown): number | undefined => {
  if (typeof text !== 'string') return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
};
