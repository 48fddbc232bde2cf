import { readdirSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** What `stat` says of a stored article: enough to notice any change without reading it. */
export interface ArticleStat {
  readonly size: number;
  readonly mtimeMs: number;
  readonly ctimeMs: number;
  readonly ino: number;
}

export interface ListedArticle {
  /** Relative to the configuration root, `/`-separated: the article's name in records and reports. */
  readonly path: string;
  readonly absPath: string;
  readonly stat: ArticleStat;
}

const ARTICLE = /\.(txt|md)$/i;

/**
 * Every stored article below `dir` (`**\/*.txt`, `**\/*.md`), sorted by path so that runs are
 * deterministic. Hidden files and folders (editors' swap files, our own temp files) are skipped.
 */
export function listArticles(dir: string, root: string): ListedArticle[] {
  const found: ListedArticle[] = [];
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const abs = join(folder, entry.name);
      if (entry.isDirectory()) walk(abs);
      else if (ARTICLE.test(entry.name) && (entry.isFile() || entry.isSymbolicLink())) {
        const s = statSync(abs, { throwIfNoEntry: false });
        if (!s?.isFile()) continue;
        found.push({
          path: relative(root, abs).split(sep).join('/'),
          absPath: abs,
          stat: { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino },
        });
      }
    }
  };
  walk(dir);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
