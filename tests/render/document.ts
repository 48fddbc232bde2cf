import type { FeedDocument, FeedEntry } from '../../src/model/feed.js';
import type { Block } from '../../src/model/record.js';
import { bodyHtml } from '../../src/render/article-html.js';

/**
 * A handmade FeedDocument for unit tests of the adapter and the validator: three entries,
 * newest first, with the text that breaks naive feed writers.
 */
export const HOSTILE_TITLE = 'Ends ]]> twice ]]> & <b>not bold</b> "double" \'single\'';
export const HOSTILE_SUMMARY = 'A & B < C > D ]]> "q" \'s\' &amp; literal';
export const HOSTILE_SECTION = 'Secția "Știri" \'speciale\' & <Co>';

const entry = (over: Partial<FeedEntry> & { id: string; body: Block[] }): FeedEntry => ({
  url: `https://news.example.org/articles/${over.id.split(':').pop() ?? 'x'}.html`,
  title: 'Untitled',
  summary: over.body[0]?.text ?? '',
  contentHtml: bodyHtml(over.body),
  source: null,
  language: 'ro',
  categories: [],
  authors: [],
  publishedAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
  ...over,
});

export function makeDocument(over: Partial<FeedDocument> = {}): FeedDocument {
  const entries: FeedEntry[] = [
    entry({
      id: 'tag:news.example.org,2026-11-24:hostile',
      title: HOSTILE_TITLE,
      summary: HOSTILE_SUMMARY,
      body: [
        { type: 'heading', text: 'Heading with ]]> and & and <i>' },
        { type: 'paragraph', text: 'Body ]]> once, ]]> twice, "quoted" & \'single\' <br/>.' },
      ],
      language: 'en',
      categories: [HOSTILE_SECTION, 'tag-two'],
      authors: [{ name: 'Ana "Ani" O\'Pop' }, { name: 'Ion & <Co>' }],
      publishedAt: '2026-11-24T10:00:00Z',
      updatedAt: '2026-11-25T07:30:00Z',
    }),
    entry({
      id: 'tag:news.example.org,2026-11-23:ro',
      title: 'Știri în limba română',
      body: [{ type: 'paragraph', text: 'Un paragraf în română, cu diacritice: ăâîșț.' }],
      language: 'ro',
      categories: ['Politică'],
      authors: [{ name: 'Maria Ionescu' }],
      publishedAt: '2026-11-23T09:00:00Z',
      updatedAt: '2026-11-23T09:00:00Z',
    }),
    entry({
      id: 'tag:news.example.org,2026-11-22:ar',
      title: 'أخبار اليوم 👩‍💻',
      body: [{ type: 'paragraph', text: 'هذه فقرة باللغة العربية.' }],
      language: 'ar',
      publishedAt: '2026-11-22T08:00:00Z',
      updatedAt: '2026-11-22T08:00:00Z',
    }),
  ];
  return {
    id: 'https://news.example.org/',
    title: 'Test News & <Friends>',
    description: 'Feeds "for" tests',
    homeUrl: 'https://news.example.org/',
    selfUrls: {
      rss: 'https://news.example.org/rss.xml',
      atom: 'https://news.example.org/atom.xml',
      json: 'https://news.example.org/feed.json',
    },
    language: 'ro',
    author: { name: 'Test Newsroom', email: null, url: null },
    generator: { name: 'feedkeeper', version: '0.0.0-test', url: 'https://example.org/fk' },
    docsUrl: 'https://www.rssboard.org/rss-specification',
    ttl: 5,
    updatedAt: '2026-11-25T07:30:00Z',
    entries,
    ...over,
  };
}

export const NAMES = { rss: 'out/rss.xml', atom: 'out/atom.xml', json: 'out/feed.json' } as const;

/** Undo the five escapes our HTML uses, to read a text back out of escaped HTML. */
export const unescapeHtml = (html: string): string =>
  html
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');

/** The same document with nothing optional: no description, ttl, authors, tags or summary. */
export function makeBareDocument(): FeedDocument {
  const base = makeDocument();
  return makeDocument({
    description: '',
    ttl: null,
    entries: base.entries.map((e) => ({ ...e, authors: [], categories: [], summary: '' })),
  });
}
