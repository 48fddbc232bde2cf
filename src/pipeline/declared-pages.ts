import type { ListedArticle } from '../ingest/list-articles.js';
import { readArticle } from '../ingest/read-article.js';
import type { Examined } from './examine-article.js';
import type { PagesHeld } from './pages-held.js';

/**
 * Reserve the page files that the front-matter urls of a run's new articles name, before any
 * of them is minted (pages-held.ts, `reserve`). A big run mints each article as soon as it is
 * read (archive-articles.ts), so an article read before the one whose `url` names
 * `articles/<its slug>.html` took that file, and the `url` record got PAGE_URL_UNUSABLE and a
 * feed link that opened the other story (attackA #4).
 *
 * Every file is read once more (from the page cache, just listed), and only one whose bytes
 * hold `url` (every front-matter url key does) is examined, by the same code as the run's, so
 * the url is the one its record will carry: few articles have one.
 */
export function reserveDeclaredPages(
  work: readonly ListedArticle[],
  pages: PagesHeld,
  examine: (l: ListedArticle) => Examined,
): void {
  for (const l of work) {
    if (l.problem !== undefined) continue;
    const stored = readArticle(l);
    if ('issue' in stored || !holdsUrl(stored.bytes)) continue;
    const x = examine(l);
    if (x.kind !== 'arrived') continue;
    const file = pages.fileOf(x.arriving.article.url);
    if (file !== null) pages.reserve(file, l.path);
  }
}

const holdsUrl = (bytes: Uint8Array): boolean =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).includes('url');
