import { dateOf, type ParsedFeed } from './parsed-feed.js';

type Json = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const obj = (v: unknown): Json => (typeof v === 'object' && v !== null ? (v as Json) : {});

export function readJson(feed: Json): ParsedFeed {
  const author = list(feed['authors'])[0];
  return {
    id: undefined,
    title: str(feed['title']),
    description: str(feed['description']),
    homeUrl: str(feed['home_page_url']),
    selfUrl: str(feed['feed_url']),
    language: str(feed['language']),
    // JSON Feed has no feed date.
    updated: undefined,
    author:
      author === undefined
        ? undefined
        : { name: str(obj(author)['name']), email: undefined, url: str(obj(author)['url']) },
    entries: list(feed['items']).map((raw) => {
      const item = obj(raw);
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
        authors: list(item['authors']).map((a) => String(obj(a)['name'] ?? '')),
        via: undefined,
      };
    }),
  };
}
