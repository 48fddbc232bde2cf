import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordEntry } from '../archive/catalogue.js';
import { writeFileAtomic } from '../io/atomic-write.js';

/**
 * What the last publication of the pages was made from, so that a run renders only the pages
 * whose record or neighbours changed, without reading a page or walking out/ (README "Pages"):
 * for each record, the stamp of the catalogue row its page was made from and the page's file;
 * the months that had articles (their order gives each month page its neighbours); and the
 * identity of out/ and out/articles/ (inode and mtime: a folder's mtime moves when a file in it
 * is created, renamed or deleted, so a deleted page or a replaced out/ shows as three stats).
 * It is read only on runs that render; a run with nothing to do never opens it.
 */
export interface PageState {
  readonly fingerprint: string;
  /** Record path → [stamp, page file ('' when it has no page of ours)]. */
  readonly records: Readonly<Record<string, readonly [string, string]>>;
  /** `YYYY/MM` of the months with published articles, newest first. */
  readonly months: readonly string[];
  readonly folders: Readonly<Record<string, string>>;
}

export const pageStateFile = (stateDir: string): string => join(stateDir, 'pages.json');

export function loadPageState(stateDir: string): PageState | null {
  try {
    return JSON.parse(readFileSync(pageStateFile(stateDir), 'utf8')) as PageState;
  } catch {
    return null;
  }
}

export const savePageState = (stateDir: string, state: PageState): boolean =>
  writeFileAtomic(pageStateFile(stateDir), `${JSON.stringify(state)}\n`);

/**
 * What a page is made from: a revision moves updatedAt, a withdrawal sets withdrawnAt; and
 * publishedAt last, so that a run knows the month a record was listed in when its date moves.
 */
export const stampOf = (r: RecordEntry): string =>
  `${r.updatedAt}|${r.withdrawnAt ?? (r.withdrawn ? 'withdrawn' : '')}|${r.fingerprint}|${r.publishedAt}`;

/** out/ and out/articles/, as `ino:mtimeMs` (or '-' when absent). */
export function folderStamps(outDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of ['.', 'articles']) {
    const s = statSync(join(outDir, name), { throwIfNoEntry: false });
    out[name] = s ? `${s.ino}:${s.mtimeMs}` : '-';
  }
  return out;
}
