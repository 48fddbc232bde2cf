import { lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { relative, sep } from 'node:path';
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
  const add = (
    path: string,
    s: Stats | undefined,
    problem?: Issue,
    real: string | undefined = undefined,
    abs = '',
  ): void => {
    found.push({
      path,
      absPath: real ?? abs,
      stat: s
        ? { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
        : { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 },
      ...(problem ? { problem } : {}),
    });
  };
  /**
   * `relFolder` is `folder` relative to root, so that an entry's name is its folder's plus its
   * own (path.relative per entry, a Buffer per entry and a decoder call per entry were a third
   * of the listing's cost at 10,000 articles).
   */
  const walk = (folder: string, relFolder: string): void => {
    let names: string[];
    try {
      names = readdirSync(folder);
    } catch (error) {
      // The articles folder itself: a configuration problem, not an article's (and an empty
      // listing would withdraw every record).
      if (folder === dir) throw error;
      add(relFolder, lstatOf(folder), unreadable(relFolder, error, 'folder'), undefined, folder);
      return;
    }
    // A name that is not UTF-8 comes back with U+FFFD in it: that folder is listed again as
    // bytes, which tells such a name from one that really holds U+FFFD.
    if (names.some((n) => n.includes('\uFFFD'))) return walkBytes(folder, relFolder);
    for (const name of names) visit(folder, relFolder, name, true, childOf(folder, name));
  };
  const walkBytes = (folder: string, relFolder: string): void => {
    let entries: Buffer[];
    try {
      entries = readdirSync(folder, { encoding: 'buffer' });
    } catch (error) {
      add(relFolder, lstatOf(folder), unreadable(relFolder, error, 'folder'), undefined, folder);
      return;
    }
    const prefix = Buffer.from(folder + sep);
    for (const raw of entries) {
      const name = nameOf(raw);
      visit(folder, relFolder, name.text, name.utf8, Buffer.concat([prefix, raw]));
    }
  };
  const visit = (
    folder: string,
    relFolder: string,
    name: string,
    isUtf8: boolean,
    statPath: string | Buffer,
  ): void => {
    if (name.startsWith('.')) return;
    const abs = childOf(folder, name);
    const path = relFolder === '' ? name : `${relFolder}/${name}`;
    const l = lstatOrError(statPath);
    if (l instanceof Error) {
      // Not gone: there but out of reach (a path over the system's 4,096 bytes). It was
      // skipped without a word, and its article, or the articles under it, with it.
      add(path, undefined, unreadable(path, l, 'entry'), undefined, abs);
      return;
    }
    if (!isUtf8) {
      // Its name cannot be written in a record or a report as it is: not read, not walked.
      if (l?.isDirectory() || ARTICLE.test(name)) add(path, l, notUtf8(path, l), undefined, abs);
      return;
    }
    if (l === undefined) return; // gone since the folder was listed
    if (l.isDirectory()) {
      if (ARTICLE.test(name)) add(path, l, notAFile(path, 'a folder', true), undefined, abs);
      walk(abs, path);
      return;
    }
    if (!ARTICLE.test(name)) return;
    if (l.isSymbolicLink()) {
      followLink(abs, path, l);
      return;
    }
    if (l.isFile()) add(path, l, undefined, undefined, abs);
    else add(path, l, notAFile(path, kindOf(l)), undefined, abs);
  };
  const followLink = (abs: string, path: string, l: Stats): void => {
    let real: string;
    let s: Stats;
    try {
      real = realpathSync(abs);
      s = statSync(real);
    } catch (error) {
      add(path, l, unreadable(path, error, 'link'), undefined, abs);
      return;
    }
    if (!real.startsWith(home + sep)) add(path, l, outside(path, real), undefined, abs);
    else if (!s.isFile()) add(path, l, notAFile(path, `a link to ${kindOf(s)}`), undefined, abs);
    else add(path, s, undefined, real);
  };
  walk(dir, rel(dir));
  return found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** lstat(), or the error when it is not "no such file" (that is undefined: gone meanwhile). */
function lstatOrError(path: string | Buffer): Stats | NodeJS.ErrnoException | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : (error as Error);
  }
}

function lstatOf(path: string | Buffer): Stats | undefined {
  try {
    return lstatSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** `join(folder, name)` for a name without separators, without join's normalization pass. */
const childOf = (folder: string, name: string): string =>
  folder.endsWith(sep) ? folder + name : folder + sep + name;

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

function unreadable(file: string, error: unknown, what: 'folder' | 'link' | 'entry'): Issue {
  const code = (error as NodeJS.ErrnoException).code ?? 'an error';
  const why =
    code === 'ENAMETOOLONG'
      ? 'has a path longer than the system allows (ENAMETOOLONG): it cannot be read, nor anything under it'
      : code === 'ELOOP'
        ? 'is a symbolic link that leads back to itself (a loop)'
        : code === 'ENOENT'
          ? 'is a symbolic link to a file that does not exist'
          : what === 'folder'
            ? `is a folder that cannot be listed (${code})`
            : what === 'entry'
              ? `cannot be read (${code})`
              : `is a symbolic link that cannot be followed (${code})`;
  return issue(
    'ARTICLE_UNREADABLE',
    'error',
    file,
    `${why}; it was not read.`,
    code === 'EACCES' || code === 'EPERM'
      ? `Let the user feedkeeper runs as read it (e.g. chmod a+r${what === 'folder' ? 'x' : ''} on it), or move it out of the articles folder.`
      : code === 'ENAMETOOLONG'
        ? 'Move it (or the folders above it) to a shorter path in the articles folder.'
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
