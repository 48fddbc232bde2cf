import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { issue, type Issue } from '../model/issue.js';

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
  /** What to open: the file itself, or the file a symbolic link inside the folder names. */
  readonly absPath: string;
  readonly stat: ArticleStat;
  /**
   * Why it is not read (not a regular file, a link out of the folder, a name that is not
   * UTF-8…): a per-article problem, reported on every run until it is fixed (issue 10, part 6).
   */
  readonly problem?: Issue;
}

const ARTICLE = /\.(txt|md)$/i;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every stored article below `dir` (`**\/*.txt`, `**\/*.md`), sorted by path so that runs are
 * deterministic. Hidden files and folders (editors' swap files, our own temp files) are skipped.
 * Only regular files are read: a FIFO (opening it would wait for a writer forever), a socket, a
 * device or a folder named like an article is listed with its problem; a symbolic link is
 * followed only to a regular file inside `dir` (a link to /etc/passwd published it in all three
 * feeds); a folder that cannot be listed, a link loop and a name that is not UTF-8 are problems
 * of their own. None of them stops the run.
 */
export function listArticles(dir: string, root: string): ListedArticle[] {
  const found: ListedArticle[] = [];
  let home: string;
  try {
    home = realpathSync(dir);
  } catch {
    home = dir;
  }
  const rel = (abs: string): string => relative(root, abs).split(sep).join('/');
  const add = (abs: string, s: Stats | undefined, problem?: Issue, real = abs): void => {
    found.push({
      path: rel(abs),
      absPath: real,
      stat: s
        ? { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
        : { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 },
      ...(problem ? { problem } : {}),
    });
  };
  const walk = (folder: string): void => {
    let entries: Buffer[];
    try {
      entries = readdirSync(folder, { encoding: 'buffer' });
    } catch (error) {
      // The articles folder itself: a configuration problem, not an article's (and an empty
      // listing would withdraw every record).
      if (folder === dir) throw error;
      add(folder, lstatOf(folder), unreadable(rel(folder), error, 'folder'));
      return;
    }
    for (const raw of entries) {
      const name = nameOf(raw);
      if (name.text.startsWith('.')) continue;
      const abs = join(folder, name.text);
      const absBytes = Buffer.concat([Buffer.from(folder + sep), raw]);
      const l = lstatOf(absBytes);
      if (!name.utf8) {
        // Its name cannot be written in a record or a report as it is: not read, not walked.
        if (l?.isDirectory() || ARTICLE.test(name.text)) add(abs, l, notUtf8(rel(abs), l));
        continue;
      }
      if (l === undefined) continue; // gone since the folder was listed
      if (l.isDirectory()) {
        if (ARTICLE.test(name.text)) add(abs, l, notAFile(rel(abs), 'a folder', true));
        walk(abs);
        continue;
      }
      if (!ARTICLE.test(name.text)) continue;
      if (l.isSymbolicLink()) {
        followLink(abs, l);
        continue;
      }
      if (l.isFile()) add(abs, l);
      else add(abs, l, notAFile(rel(abs), kindOf(l)));
    }
  };
  const followLink = (abs: string, l: Stats): void => {
    let real: string;
    let s: Stats;
    try {
      real = realpathSync(abs);
      s = statSync(real);
    } catch (error) {
      add(abs, l, unreadable(rel(abs), error, 'link'));
      return;
    }
    if (!real.startsWith(home + sep)) add(abs, l, outside(rel(abs), real));
    else if (!s.isFile()) add(abs, l, notAFile(rel(abs), `a link to ${kindOf(s)}`));
    else add(abs, s, undefined, real);
  };
  walk(dir);
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function lstatOf(path: string | Buffer): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** A file name as text: UTF-8, or (when it is not) each byte that is not as `\xNN`. */
function nameOf(raw: Buffer): { text: string; utf8: boolean } {
  try {
    return { text: utf8.decode(raw), utf8: true };
  } catch {
    let text = '';
    for (const b of raw) text += b < 0x80 ? String.fromCharCode(b) : `\\x${b.toString(16)}`;
    return { text, utf8: false };
  }
}

const kindOf = (s: Stats): string =>
  s.isDirectory()
    ? 'a folder'
    : s.isFIFO()
      ? 'a named pipe (FIFO)'
      : s.isSocket()
        ? 'a socket'
        : s.isCharacterDevice() || s.isBlockDevice()
          ? 'a device'
          : 'not a regular file';

const notAFile = (file: string, what: string, folder = false): Issue =>
  issue(
    'ARTICLE_NOT_A_FILE',
    'error',
    file,
    folder
      ? `is ${what} named like an article; the articles inside it are read, the folder itself is not one.`
      : `is ${what}, not a regular file; it was not read.`,
    folder
      ? 'Rename the folder so its name does not end in .txt or .md.'
      : 'Stored articles must be regular files: replace it with the article file, or move it out of the articles folder.',
  );

const outside = (file: string, target: string): Issue =>
  issue(
    'ARTICLE_LINK_OUTSIDE',
    'error',
    file,
    `is a symbolic link to ${target}, outside the articles folder; it was not followed.`,
    'Copy the article into the articles folder instead of linking to it (feedkeeper never publishes a file from outside paths.articles), or remove the link.',
  );

function unreadable(file: string, error: unknown, what: 'folder' | 'link'): Issue {
  const code = (error as NodeJS.ErrnoException).code ?? 'an error';
  const why =
    code === 'ELOOP'
      ? 'is a symbolic link that leads back to itself (a loop)'
      : code === 'ENOENT'
        ? 'is a symbolic link to a file that does not exist'
        : what === 'folder'
          ? `is a folder that cannot be listed (${code})`
          : `is a symbolic link that cannot be followed (${code})`;
  return issue(
    'ARTICLE_UNREADABLE',
    'error',
    file,
    `${why}; it was not read.`,
    code === 'EACCES' || code === 'EPERM'
      ? `Let the user feedkeeper runs as read it (e.g. chmod a+r${what === 'folder' ? 'x' : ''} on it), or move it out of the articles folder.`
      : 'Replace the link with the article file, or remove it.',
  );
}

const notUtf8 = (file: string, l: Stats | undefined): Issue =>
  issue(
    'ARTICLE_NAME_NOT_UTF8',
    'error',
    file,
    `has a ${l?.isDirectory() ? 'folder ' : ''}name that is not valid UTF-8 (shown with \\xNN for each such byte); it was not read.`,
    'Rename it to UTF-8, e.g. convmv -f latin2 -t utf8 --notest <name> (use the encoding it was written in), or rename it by hand.',
  );
