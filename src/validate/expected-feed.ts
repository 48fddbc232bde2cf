import type { ArchiveRecord } from '../model/record.js';
import { sourceLabel } from '../model/source-label.js';
import type { Block } from './read-content.js';

/**
 * What a subscriber must see, derived from the records and the site configuration on a path of
 * its own: it shares no code with render/ (which builds the FeedDocument the feeds are made
 * from), so a fault there (selection, order, dates, escaping, body HTML) cannot agree with
 * itself. Keep it short and obvious: it is the oracle.
 */
export interface SiteFacts {
  readonly title: string;
  readonly description: string;
  readonly baseUrl: string;
  readonly language: string;
  readonly author: { readonly name: string; readonly email?: string; readonly url?: string };
}

export interface ExpectedEntry {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly published: number;
  readonly updated: number;
  readonly summary: string;
  /** The body, then the source credit as a last paragraph. */
  readonly blocks: readonly Block[];
  /** The links in the content: the source's, when it has an http(s) URL. */
  readonly links: readonly { href: string; text: string }[];
  readonly sourceUrl: string | null;
  readonly language: string;
  readonly categories: readonly string[];
  readonly authors: readonly string[];
}

export interface ExpectedFeed {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  readonly language: string;
  readonly author: {
    readonly name: string;
    readonly email: string | null;
    readonly url: string | null;
  };
  /** The newest entry's update; the Unix epoch for an empty feed. */
  readonly updated: number;
  readonly entries: readonly ExpectedEntry[];
}

/** An index row, as the catalogue holds it for every record. */
export interface IndexRow {
  readonly id: string;
  readonly publishedAt: string;
  readonly withdrawn: boolean;
}

/**
 * The records the feeds must list: the newest `size` that are not withdrawn, by publication
 * date, then id (README, "The feeds"). A plain filter, sort and slice, on purpose.
 */
export function listedRecords(rows: Iterable<[string, IndexRow]>, size: number): string[] {
  const live = [...rows].filter(([, r]) => !r.withdrawn);
  live.sort(([, a], [, b]) =>
    a.publishedAt !== b.publishedAt
      ? a.publishedAt < b.publishedAt
        ? 1
        : -1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0,
  );
  return live.slice(0, size).map(([path]) => path);
}

const isHttp = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

export function expectedFeed(site: SiteFacts, records: readonly ArchiveRecord[]): ExpectedFeed {
  return {
    id: `${site.baseUrl}/`,
    title: site.title,
    description: site.description,
    homeUrl: `${site.baseUrl}/`,
    language: site.language,
    author: {
      name: site.author.name,
      email: site.author.email ?? null,
      url: site.author.url ?? null,
    },
    updated: Math.max(0, ...records.map((r) => Date.parse(r.updatedAt))),
    entries: records.map((r) => ({
      id: r.id,
      title: r.title,
      url: r.url,
      published: Date.parse(r.publishedAt),
      updated: Date.parse(r.updatedAt),
      summary: r.summary,
      blocks: [
        ...r.body.map((b) => ({ type: b.type, text: b.text })),
        ...(r.source === null
          ? []
          : [{ type: 'paragraph', text: `${sourceLabel(r.language)}: ${r.source.name}` }]),
      ],
      links:
        r.source !== null && isHttp(r.source.url)
          ? [{ href: r.source.url, text: r.source.name }]
          : [],
      sourceUrl: r.source !== null && isHttp(r.source.url) ? r.source.url : null,
      language: r.language,
      categories: [
        ...(r.section === null ? [] : [r.section]),
        ...r.tags.filter((t) => t !== r.section),
      ],
      authors: r.authors.map((a) => a.name),
    })),
  };
}
