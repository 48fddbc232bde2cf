import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import type { StoredArticle } from '../model/article.js';
import { issue, type Issue } from '../model/issue.js';
import type { ListedArticle } from './list-articles.js';

/**
 * Read a stored article's bytes (never written: the newsroom's file is the original), or say
 * why it cannot be read. Opened without following a link (the listing resolved links already)
 * and without blocking (a FIFO put in a file's place after the listing would wait for a writer
 * forever), then checked to be a regular file on the open descriptor itself.
 */
export function readArticle(listed: ListedArticle): StoredArticle | { issue: Issue } {
  let fd: number;
  try {
    fd = openSync(listed.absPath, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    return { issue: unreadable(listed.path, (error as NodeJS.ErrnoException).code) };
  }
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) return { issue: unreadable(listed.path, 'not a regular file') };
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.allocUnsafe(Math.max(65536, s.size - total + 1));
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      chunks.push(chunk.subarray(0, n));
      total += n;
    }
    const bytes = Buffer.concat(chunks, total);
    return { path: listed.path, bytes, sha256: sha256(bytes) };
  } catch (error) {
    return { issue: unreadable(listed.path, (error as NodeJS.ErrnoException).code) };
  } finally {
    closeSync(fd);
  }
}

export const sha256 = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');

const unreadable = (file: string, code: string | undefined): Issue =>
  issue(
    'ARTICLE_UNREADABLE',
    'error',
    file,
    `cannot be read (${code ?? 'unknown error'}); it was not archived.`,
    code === 'EACCES' || code === 'EPERM'
      ? 'Let the user feedkeeper runs as read it (e.g. chmod a+r on it), or move it out of the articles folder.'
      : 'Check that it is a regular file you can read (ls -l, cat), then run feedkeeper build again.',
  );
