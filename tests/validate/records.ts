import { resolveConfig, type ResolvedConfig } from '../../src/config/load-config.js';
import type { Issue } from '../../src/model/issue.js';
import { OUTPUTS, type Format } from '../../src/model/outputs.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { buildFeedDocument } from '../../src/render/feed-document.js';
import { renderOutputs } from '../../src/render/render-outputs.js';
import { expectedFeed } from '../../src/validate/expected-feed.js';
import { verifyOutputs } from '../../src/validate/verify-outputs.js';
import { HOSTILE_SECTION, HOSTILE_SUMMARY, HOSTILE_TITLE } from '../render/document.js';

/**
 * Records with the text that breaks naive feed writers, rendered through the real render path
 * and proven by the real verifier against the records: the gate as build runs it, in memory.
 */
export const SITE = {
  title: 'Test News & <Friends>',
  description: 'Feeds "for" tests',
  baseUrl: 'https://news.example.org',
  language: 'ro',
  author: {
    name: 'Test Newsroom',
    email: 'desk@news.example.org',
    url: 'https://news.example.org/about',
  },
};

export const siteConfig = (site: unknown = SITE): ResolvedConfig =>
  resolveConfig({ site, schedule: { cron: '*/5 * * * *' } }, '/nonexistent');

const record = (over: Partial<ArchiveRecord> & { slug: string }): ArchiveRecord => ({
  schemaVersion: 1,
  id: `tag:news.example.org,2026-11-20:${over.slug}`,
  url: `https://news.example.org/articles/${over.slug}.html`,
  title: 'Untitled',
  section: null,
  tags: [],
  language: 'ro',
  summary: 'A summary.',
  body: [{ type: 'paragraph', text: 'A paragraph.' }],
  source: null,
  authors: [],
  publishedAt: '2026-11-20T08:00:00Z',
  updatedAt: '2026-11-20T08:00:00Z',
  withdrawnAt: null,
  wordCount: 2,
  input: { path: `${over.slug}.txt`, sha256: '0'.repeat(64), bytes: 10 },
  revisions: [],
  ...over,
});

/** Three records, newest first: hostile text in English, Romanian, Arabic with an emoji. */
export function makeRecords(): ArchiveRecord[] {
  return [
    record({
      slug: 'hostile',
      id: 'tag:news.example.org,2026-11-24:hostile',
      title: HOSTILE_TITLE,
      summary: HOSTILE_SUMMARY,
      section: HOSTILE_SECTION,
      tags: ['tag-two', HOSTILE_SECTION],
      body: [
        { type: 'heading', text: 'Heading with ]]> and & and <i>' },
        { type: 'paragraph', text: 'Body ]]> once, <script>alert(1)</script> &amp; "q" \'s\'.' },
      ],
      language: 'en',
      source: { name: 'Wire & <Co>', url: 'https://wire.example.com/a?x=1&y=2' },
      authors: [{ name: 'Ana "Ani" O\'Pop' }, { name: 'Ion & <Co>' }],
      publishedAt: '2026-11-24T10:00:00Z',
      updatedAt: '2026-11-25T07:30:00Z',
    }),
    record({
      slug: 'ro',
      id: 'tag:news.example.org,2026-11-23:ro',
      title: 'Știri în limba română',
      summary: 'Un paragraf în română.',
      body: [{ type: 'paragraph', text: 'Un paragraf în română, cu diacritice: ăâîșț.' }],
      section: 'Politică',
      source: { name: 'www.aljazeera.com', url: 'https://www.aljazeera.com/' },
      authors: [{ name: 'Maria Ionescu' }],
      publishedAt: '2026-11-23T09:00:00Z',
      updatedAt: '2026-11-23T09:00:00Z',
    }),
    record({
      slug: 'ar',
      id: 'tag:news.example.org,2026-11-22:ar',
      title: 'أخبار اليوم 👩‍💻',
      summary: '',
      body: [{ type: 'paragraph', text: 'هذه فقرة باللغة العربية.' }],
      language: 'ar',
      source: { name: 'وكالة', url: null },
      publishedAt: '2026-11-22T08:00:00Z',
      updatedAt: '2026-11-22T08:00:00Z',
    }),
  ];
}

export type Feeds = Record<Format, string>;

export const NAMES: Readonly<Record<Format, string>> = {
  rss: 'out/rss.xml',
  atom: 'out/atom.xml',
  json: 'out/feed.json',
};

/** The real render path: records → FeedDocument → every output of the table. */
export function renderAll(records = makeRecords(), rc = siteConfig()): Feeds {
  const doc = buildFeedDocument(records, rc, { version: '0.0.0-test', ttl: 5, changedAt: null });
  const { files, issues } = renderOutputs(doc, (f) => `out/${f}`);
  if (issues.length > 0) throw new Error(JSON.stringify(issues));
  return Object.fromEntries(files.map((f) => [f.row.format, f.text])) as Feeds;
}

/** The real gate, proving `feeds` against `records` (which it takes as the listed ones). */
export function verify(feeds: Feeds, records = makeRecords(), rc = siteConfig()): Issue[] {
  return verifyOutputs({
    files: OUTPUTS.map((row) => ({ row, text: feeds[row.format] })),
    expected: expectedFeed(
      rc.config.site,
      records,
      Math.max(0, ...records.map((r) => Date.parse(r.updatedAt))),
      5, // the ttl render() writes
    ),
    baseUrl: rc.config.site.baseUrl,
    shown: (f) => `out/${f}`,
  });
}
