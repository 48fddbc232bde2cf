import type { ParsedFeed } from './parsed-feed.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const dateOf = (v: unknown): number | undefined => {
  if (typeof v !== 'string') return undefined;
  const ms = Date.parse(v);
  return Number.isNaN(ms) ? undefined : ms;
};
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

export function readJson(feed: Json): ParsedFeed {
  return {
    title: str(feed['title']),
    homeUrl: str(feed['home_page_url']),
    selfUrl: str(feed['feed_url']),
    language: str(feed['language']),
    updated: undefined,
    entries: list(feed['items']).map((raw) => {
      const item = (typeof raw === 'object' && raw !== null ? raw : {}) as Json;
      return {
        id: str(item['id']),
        title: str(item['title']),
        url: str(item['url']),
        published: dateOf(item['date_published']),
        updated: dateOf(item['date_modified']),
        summary: str(item['summary']),
        contentHtml: str(item['content_html']),
        language: str(item['language']) ?? str(feed['language']),
        categories: list(item['tags']).map((t) => String(t)),
        authors: list(item['authors']).map((a) => String((a as Json)['name'] ?? '')),
      };
    }),
  };
}
