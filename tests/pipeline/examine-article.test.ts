import { describe, expect, it } from 'vitest';
import { listArticles } from '../../src/ingest/list-articles.js';
import type { NormalizedArticle } from '../../src/model/record.js';
import {
  MAX_ENTRY_CONTENT_BYTES,
  examineArticle,
  type ExamineOptions,
} from '../../src/pipeline/examine-article.js';
import { makeProject } from '../helpers.js';

/**
 * A 50 MB article (with limits.maxArticleBytes raised) gave RSS and Atom feeds that xmllint
 * refused ("CData section too big": libxml2 stops at 10,000,000 bytes in one text). An article
 * whose content would be over MAX_ENTRY_CONTENT_BYTES in a feed is refused at the door.
 */
const article = (text: string): NormalizedArticle => ({
  title: 'Titlu',
  section: null,
  tags: [],
  language: 'ro',
  summary: 'Rezumat.',
  body: [{ type: 'paragraph', text }],
  source: null,
  authors: [],
  wordCount: 1,
  url: null,
  id: null,
  publishedAt: null,
  updatedAt: null,
  slugBase: 'titlu',
  fingerprint: 'f',
});

function examine(text: string) {
  const p = makeProject();
  p.write('big.txt', text);
  const [listed] = listArticles(p.articles, p.dir);
  const o: ExamineOptions = {
    maxBytes: 100_000_000,
    normalize: () => ({ article: article(text), issues: [] }),
    normalizeOptions: { defaultLanguage: 'ro' },
    recheck: false,
    isCorrupt: () => false,
    exists: () => false,
  };
  return examineArticle(listed!, undefined, o);
}

describe('an article too large for a feed entry', () => {
  it('is refused with its own code, counted in bytes of HTML (escaping included)', () => {
    // 2 MB of `&` is 10 MB of HTML (`&amp;`).
    const x = examine('&'.repeat(2_000_000));
    expect(x.kind).toBe('rejected');
    if (x.kind !== 'rejected') return;
    expect(x.issues).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_TOO_LARGE_FOR_FEEDS',
        severity: 'error',
        file: 'archive/articles/big.txt',
      }),
    ]);
    expect(x.issues[0]?.message).toMatch(/10000007 bytes of HTML/);
  });

  it('is archived just below the limit', () => {
    const x = examine('a'.repeat(MAX_ENTRY_CONTENT_BYTES - 7));
    expect(x.kind).toBe('arrived');
  });
});
