import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { StoredArticle } from '../model/article.js';
import type { ListedArticle } from './list-articles.js';

/** Read a stored article's bytes (never written: the newsroom's file is the original). */
export function readArticle(listed: ListedArticle): StoredArticle {
  const bytes = readFileSync(listed.absPath);
  return { path: listed.path, bytes, sha256: sha256(bytes) };
}

export const sha256 = (data: Uint8Array | string): string =>
  createHash('sha256').update(data).digest('hex');
