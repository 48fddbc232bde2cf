import type { ResolvedConfig } from '../config/load-config.js';
import type { FeedDocument, FeedEntry } from '../model/feed.js';
import { OUTPUTS, type Format } from '../model/outputs.js';
import { byPublishedDesc } from '../model/newest-first.js';
import type { ArchiveRecord } from '../model/record.js';
import { uniqueTags } from '../model/unique-tags.js';
import { contentHtml } from './article-html.js';

export const EPOCH = '1970-01-01T00:00:00Z';

export interface DocumentOptions {
  readonly version: string;
  /** Minutes between scheduled runs, for RSS <ttl>; null when unknown. */
  readonly ttl: number | null;
  /**
   * The last change to the archive's content: the newest updatedAt, withdrawnAt or restoredAt
   * of any record (archive/last-change.ts). The feed date is never before it, so it does not go back
   * when the newest entry is withdrawn or leaves the window. For an empty archive: when the
   * site was configured (pipeline/site-since.ts).
   */
  readonly changedAt: string | null;
}

/** Records (already selected: the newest N, not withdrawn) → the format-neutral feed. Pure. */
export function buildFeedDocument(
  records: readonly ArchiveRecord[],
  rc: ResolvedConfig,
  opts: DocumentOptions,
): FeedDocument {
  const { site } = rc.config;
  const entries = [...records].sort(byPublishedDesc).map(entryOf);
  // RSS lastBuildDate: "the last time the content of the channel changed".
  const updatedAt = entries.reduce(
    (max, e) => (e.updatedAt > max ? e.updatedAt : max),
    opts.changedAt ?? EPOCH,
  );
  return {
    id: `${site.baseUrl}/`,
    title: site.title,
    description: site.description,
    homeUrl: `${site.baseUrl}/`,
    selfUrls: selfUrlsOf(site.baseUrl),
    language: site.language,
    author: {
      name: site.author.name,
      email: site.author.email ?? null,
      url: site.author.url ?? null,
    },
    generator: {
      name: 'feedkeeper',
      version: opts.version,
      url: 'https://www.npmjs.com/package/feedkeeper',
    },
    docsUrl: 'https://www.rssboard.org/rss-specification',
    ttl: opts.ttl,
    updatedAt,
    entries,
  };
}

/** Each feed's public URL: where out/<file> is served (docs/reference.md, "The feeds"). */
function selfUrlsOf(baseUrl: string): Record<Format, string> {
  const url = (format: Format): string =>
    `${baseUrl}/${OUTPUTS.find((o) => o.format === format)?.file ?? ''}`;
  return { rss: url('rss'), atom: url('atom'), json: url('json') };
}

function entryOf(r: ArchiveRecord): FeedEntry {
  return {
    id: r.id,
    url: r.url,
    title: r.title,
    summary: r.summary,
    body: r.body,
    contentHtml: contentHtml(r.body, r.source, r.language),
    source: r.source,
    language: r.language,
    // The section first, then each tag once, the section not again: records archived before
    // tags were made unique keep theirs as written (model/unique-tags.ts).
    categories: uniqueTags([...(r.section === null ? [] : [r.section]), ...r.tags]),
    authors: r.authors,
    publishedAt: r.publishedAt,
    updatedAt: r.updatedAt,
  };
}
