/**
 * What `feedkeeper init` writes, as text: pure, so a test can hold the configuration to the
 * schema and the example article to the stored-article format.
 */
export interface SiteAnswers {
  readonly title: string;
  readonly baseUrl: string;
  readonly author: string;
  readonly language: string;
}

/** Placeholders when nobody is asked (not on a terminal) and no flag says otherwise. */
export const PLACEHOLDERS: SiteAnswers = {
  title: 'My News',
  baseUrl: 'https://news.example.org',
  author: 'My Newsroom',
  language: 'en',
};

export const EXAMPLE_ARTICLE = 'welcome.md';

/** feedkeeper.config.json, every section explained in a `$comment` key (JSON has no comments). */
export function configText(a: SiteAnswers): string {
  const config = {
    $comment:
      'feedkeeper configuration (written by feedkeeper init). "$comment" keys like this one are notes for people: feedkeeper ignores them. The README lists every key and its default.',
    site: {
      $comment:
        'Who publishes the feeds and where out/ is served. baseUrl must be where subscribers fetch out/ from; its host also names every record id (tag:<host>,<date>:<slug>), minted once and never changed: set it before the first real article.',
      title: a.title,
      description: '',
      baseUrl: a.baseUrl,
      language: a.language,
      author: { name: a.author },
    },
    paths: {
      $comment:
        'Relative to this file. articles: what the newsroom writes (.txt, .md, .markdown). records: the archive, one JSON file per article, kept forever (keep it in version control). out: the published feeds. state: catalogue, run log and lock (this machine only).',
      articles: 'archive/articles',
      records: 'archive/records',
      out: 'out',
      state: '.feedkeeper',
    },
    feed: {
      $comment: 'Entries per feed, newest first (1 to 10,000).',
      size: 50,
    },
    limits: {
      $comment: 'A stored article larger than this (bytes) is rejected unread.',
      maxArticleBytes: 1_048_576,
    },
    schedule: {
      $comment:
        'When feedkeeper schedule runs a build: a cron expression (5 fields, or 6 with seconds first) in an IANA time zone. The RSS ttl follows it.',
      cron: '*/5 * * * *',
      timezone: 'UTC',
    },
  };
  return `${JSON.stringify(config, null, 2)}\n`;
}

/**
 * A short article in the stored-article format: front matter, headline with a section, lede,
 * paragraphs, a sub-heading. Dated when init ran (whole seconds, UTC), so it is never ahead of
 * the first build.
 */
export function exampleArticle(now: Date): string {
  const date = `${now.toISOString().slice(0, 19)}Z`;
  return `---
date: ${date}
tags: [feedkeeper]
---
Welcome to the archive | Newsroom

This is an example article, written by feedkeeper init. The first build turned it into a record in archive/records and published it in out/rss.xml, out/atom.xml and out/feed.json.

A stored article is a plain text or Markdown file in archive/articles. Its first line is the headline, and a section after a vertical bar becomes a category. The first paragraph is the summary; paragraphs are separated by blank lines.

What to do next

Write your own articles next to this one. Delete this file when you no longer need it: its record stays in the archive, marked withdrawn, and the feeds stop listing it.
`;
}

/** Lines feedkeeper needs in .gitignore: the state and the published copy, never the records. */
export const GITIGNORE_LINES = ['/out/', '/.feedkeeper/'] as const;

export function gitignoreText(existing: string | null): string | null {
  const have = new Set((existing ?? '').split('\n').map((l) => l.trim()));
  const missing = GITIGNORE_LINES.filter((l) => !have.has(l));
  if (missing.length === 0) return null;
  const block = [
    '# feedkeeper: archive/articles and archive/records are the archive: keep them in version control.',
    '# out/ is rebuilt from the records by feedkeeper build; .feedkeeper/ is this machine’s state.',
    ...missing,
  ].join('\n');
  if (existing === null || existing === '') return `${block}\n`;
  return `${existing}${existing.endsWith('\n') ? '' : '\n'}\n${block}\n`;
}
