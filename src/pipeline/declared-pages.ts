import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { ListedArticle } from '../ingest/list-articles.js';
import type { Examined } from './examine-article.js';
import type { PagesHeld } from './pages-held.js';

/**
 * Reserve the page files that the front-matter urls of a run's new articles name, before any
 * of them is minted (pages-held.ts, `reserve`). A big run mints each article as soon as it is
 * read (archive-articles.ts), so an article read before the one whose `url` names
 * `articles/<its slug>.html` took that file, and the `url` record got PAGE_URL_UNUSABLE and a
 * feed link that opened the other story (attackA #4).
 *
 * Each file's first HEAD_BYTES are read once more (from the page cache, just listed; no hash),
 * and only a file whose front matter may hold `url` (those bytes hold it) is examined, by the
 * same code as the run's, so the url is the one its record will carry: few articles have one.
 */
export function reserveDeclaredPages(
  work: readonly ListedArticle[],
  pages: PagesHeld,
  examine: (l: ListedArticle) => Examined,
): void {
  const buffer = Buffer.allocUnsafe(HEAD_BYTES);
  for (const l of work) {
    if (l.problem !== undefined || headOf(l, buffer)?.includes('url') !== true) continue;
    const x = examine(l);
    if (x.kind !== 'arrived') continue;
    const file = pages.fileOf(x.arriving.article.url);
    if (file !== null) pages.reserve(file, l.path);
  }
}

/** Front matter comes first: 64 KiB of it is more than any article's. */
const HEAD_BYTES = 64 * 1024;

/**
 * A stored article's first bytes (in `buffer`, reused), opened as ingest/read-article.ts opens it (no link followed,
 * never blocking on a FIFO); null if it cannot be read (the run reports why when it reads it).
 */
function headOf(l: ListedArticle, buffer: Buffer): Buffer | null {
  let fd: number;
  try {
    fd = openSync(l.absPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch {
    return null;
  }
  try {
    if (!fstatSync(fd).isFile()) return null;
    return buffer.subarray(0, readSync(fd, buffer, 0, buffer.length, 0));
  } catch {
    return null;
  } finally {
    closeSync(fd);
  }
}
