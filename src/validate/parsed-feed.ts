/** What a rendered feed says once parsed back: the same shape for RSS, Atom and JSON. */
export interface ParsedEntry {
  readonly id: string | undefined;
  readonly title: string | undefined;
  readonly url: string | undefined;
  /** As milliseconds since the epoch (RSS dates are RFC 822 text). */
  readonly published: number | undefined;
  readonly updated: number | undefined;
  /** Plain text. */
  readonly summary: string | undefined;
  readonly contentHtml: string | undefined;
  readonly language: string | undefined;
  readonly categories: readonly string[];
  readonly authors: readonly string[];
}

export interface ParsedFeed {
  readonly title: string | undefined;
  readonly homeUrl: string | undefined;
  readonly selfUrl: string | undefined;
  readonly language: string | undefined;
  readonly updated: number | undefined;
  readonly entries: readonly ParsedEntry[];
}
