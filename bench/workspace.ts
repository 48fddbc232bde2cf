import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import type { ArticleGenerator } from './article.js';

/** A generated project folder: configuration, stored articles, and (after a build) its output. */
export interface Workspace {
  readonly dir: string;
  readonly articles: string;
  /** Names (relative to `articles`) of the generated articles, by index. */
  readonly names: string[];
}

/** Article mtimes are set this far in the past, so that no scan finds them "racy" (< 2 s old). */
export const AGE_SECONDS = 3600;

const CONFIG = {
  site: {
    title: 'Știri de test',
    description: 'Arhivă sintetică pentru benchmark.',
    baseUrl: 'https://news.example.org',
    language: 'ro',
    author: { name: 'Redacția de test', email: 'redactia@news.example.org' },
  },
  paths: {
    articles: 'archive/articles',
    records: 'archive/records',
    out: 'out',
    state: '.feedkeeper',
  },
  feed: { size: 50 },
  limits: { maxArticleBytes: 1048576 },
  schedule: { cron: '*/5 * * * *', timezone: 'UTC' },
};

export function createWorkspace(dir: string, size: number, gen: ArticleGenerator): Workspace {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'feedkeeper.config.json'), `${JSON.stringify(CONFIG, null, 2)}\n`);
  const ws: Workspace = { dir, articles: join(dir, 'archive', 'articles'), names: [] };
  const past = Date.now() / 1000 - AGE_SECONDS;
  for (let i = 0; i < size; i++) ws.names.push(writeArticle(ws, gen, i, past));
  return ws;
}

/** Write article `index` with the given mtime (seconds); returns its name. */
export function writeArticle(
  ws: Workspace,
  gen: ArticleGenerator,
  index: number,
  mtime: number,
): string {
  const a = gen.article(index);
  const abs = join(ws.articles, a.name);
  mkdirSync(dirname(abs), { recursive: true });
  writeFileSync(abs, a.text);
  utimesSync(abs, mtime, mtime);
  return a.name;
}

/** Replace an article's text in place and give it a new mtime (seconds). */
export function rewriteArticle(
  ws: Workspace,
  name: string,
  edit: (text: string) => string,
  mtime: number,
): void {
  const abs = join(ws.articles, name);
  writeFileSync(abs, edit(readFileSync(abs, 'utf8')));
  utimesSync(abs, mtime, mtime);
}

/** Back to a never-built project: no records, no feeds, no catalogue. */
export function resetBuild(ws: Workspace, trash: string): void {
  for (const d of ['archive/records', 'out', '.feedkeeper']) discard(join(ws.dir, d), trash);
}

let discarded = 0;

/**
 * Move `path` into `trash`, deleted once the measurements are over. Deleting 10,000 files
 * between runs made the next runs slower than they are: ext4 skips recently deleted inodes when
 * it allocates new ones (`recently_deleted()` in ialloc.c), and on this machine creating a file
 * went from 0.02 ms to 0.6 ms for minutes after such a deletion.
 */
export function discard(path: string, trash: string): void {
  if (!existsSync(path)) return;
  mkdirSync(trash, { recursive: true });
  renameSync(path, join(trash, `${discarded++}`));
}

/**
 * Throw if a stored article was modified less than `seconds` ago: the catalogue re-reads such
 * files ("racy"), so a no-change run would not measure what it claims to.
 */
export function assertArticlesOlderThan(ws: Workspace, seconds: number): void {
  const limit = Date.now() - seconds * 1000;
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (statSync(abs).mtimeMs > limit)
        throw new Error(`${abs} is younger than ${seconds} s`);
    }
  };
  walk(ws.articles);
}
