import { constants, lstatSync, readdirSync, realpathSync, statSync, type Stats } from 'node:fs';
import { dirname, relative, sep } from 'node:path';
import { issue, type Issue } from '../model/issue.js';
import { ListingBuilder, type Listing } from './listing.js';

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

/**
 * What the articles folder reads: plain text and Markdown, `.markdown` too (Jekyll's default
 * extension: a site moved from a Jekyll `_posts/` folder lost every article without a word).
 */
export const ARTICLE = /\.(txt|md|markdown)$/i;
/** The extensions ARTICLE reads, as reports name them. */
export const ARTICLE_EXTENSIONS = '.md, .markdown and .txt';
/**
 * Names left in a folder by editors and file managers, skipped without a word: a backup
 * (`a.md~`, `a.md.bak`, `a.md.orig`), a swap file (`.a.md.swp` is hidden; `a.md.swp`), Emacs'
 * `#a.md#`, Windows' `Thumbs.db` and `desktop.ini`. Any other name that is not an article's is
 * reported (ARTICLE_EXTENSION_IGNORED) rather than passed over.
 */
const LEFTOVER = /~$|^#.*#$|\.(sw[a-p]|bak|orig|tmp)$|^(thumbs\.db|desktop\.ini)$/i;
/**
 * Files that are plainly not stories, kept beside them as Hugo's page bundles keep an
 * article's pictures: images, sound, video, documents, fonts, styles, scripts, archives and
 * data. Skipped without a word: a warning for each on every run would bury the one that
 * matters (a `.text` story). An `.html` file is still named: it may be a story.
 */
const ASSET =
  /\.(jpe?g|png|gif|webp|avif|svg|ico|bmp|tiff?|heic|mp3|m4a|aac|ogg|oga|wav|flac|mp4|m4v|webm|mov|avi|pdf|docx?|odt|xlsx?|ods|pptx?|woff2?|ttf|otf|css|js|mjs|map|zip|gz|tgz|bz2|xz|7z|json|ya?ml|toml|csv|xml)$/i;
const { S_IFMT, S_IFDIR, S_IFREG } = constants;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Every stored article below `dir` (`**\/*.txt`, `**\/*.md`, `**\/*.markdown`), sorted by path
 * so that runs are deterministic: walkArticles(), as objects.
 */
export function listArticles(dir: string, root: string): ListedArticle[] {
  return walkArticles(dir, root).articles();
}

/** What the walk made of one name in a folder. */
const enum Kind {
  Skip,
  File,
  Folder,
  /** Kept whole: a problem, or a link and its file. */
  Whole,
  /** A folder named like an article: its problem, and the articles inside it. */
  WholeAndFolder,
}

/**
 * Every stored article below `dir` (`**\/*.txt`, `**\/*.md`, `**\/*.markdown`), sorted by path
 * so that runs are deterministic; the other files' names in `ignored` (Listing). Hidden files and folders (editors' swap files, our own temp files) are skipped.
 * Only regular files are read: a FIFO (opening it would wait for a writer forever), a socket, a
 * device or a folder named like an article is listed with its problem; a symbolic link is
 * followed only to a regular file inside `dir` (a link to /etc/passwd published it in all three
 * feeds); a folder that cannot be listed, a link loop and a name that is not UTF-8 are problems
 * of their own. None of them stops the run.
 *
 * The walk keeps numbers, not objects (ingest/listing.ts), and visits each folder's names in
 * the order of the paths they lead to, so the listing comes out sorted without sorting 100,000
 * paths: a folder `d` sorts as `d/` (`d-2.txt` < `d/a.txt`, since `-` < `/`).
 */
export function walkArticles(dir: string, root: string): Listing {
  const out = new ListingBuilder();
  let home: string;
  try {
    home = realpathSync(dir);
  } catch {
    home = dir;
  }
  const rel = (abs: string): string => relative(root, abs).split(sep).join('/');
  /** An unlistable folder's entry goes at its folder's place, where a sibling may sort before it. */
  let unsorted = false;
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
      unsorted = true;
      out.addWhole(
        entry(relFolder, lstatOf(folder), unreadable(relFolder, error, 'folder'), folder),
      );
      return;
    }
    // A name that is not UTF-8 comes back with U+FFFD in it: that folder is listed again as
    // bytes, which tells such a name from one that really holds U+FFFD.
    if (names.some((n) => n.includes('\uFFFD'))) return walkBytes(folder, relFolder);
    visitAll(folder, relFolder, names.filter((n) => !n.startsWith('.')).sort(), null);
  };
  const walkBytes = (folder: string, relFolder: string): void => {
    let entries: Buffer[];
    try {
      entries = readdirSync(folder, { encoding: 'buffer' });
    } catch (error) {
      unsorted = true;
      out.addWhole(
        entry(relFolder, lstatOf(folder), unreadable(relFolder, error, 'folder'), folder),
      );
      return;
    }
    const prefix = Buffer.from(folder + sep);
    const named = entries
      .map((raw) => ({ ...nameOf(raw), statPath: Buffer.concat([prefix, raw]) }))
      .filter((n) => !n.text.startsWith('.'))
      .sort((a, b) => compare(a.text, b.text));
    visitAll(
      folder,
      relFolder,
      named.map((n) => n.text),
      named.map((n) => ({ utf8: n.utf8, statPath: n.statPath })),
    );
  };
  /** `names` sorted; `bytes`, for a folder read as bytes: how to stat each, and if it is UTF-8. */
  const visitAll = (
    folder: string,
    relFolder: string,
    names: readonly string[],
    bytes: readonly { utf8: boolean; statPath: Buffer }[] | null,
  ): void => {
    const f = out.folder(relFolder, folder);
    const n = names.length;
    const kinds = new Uint8Array(n);
    const numbers = new Float64Array(4 * n);
    const wholes = new Map<number, ListedArticle>();
    let folders = 0;
    for (let j = 0; j < n; j++) {
      const name = names[j]!;
      const abs = childOf(folder, name);
      const statPath = bytes === null ? abs : bytes[j]!.statPath;
      let type: number;
      try {
        type = statInto(statPath, numbers, 4 * j);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue; // gone meanwhile
        // Not gone: there but out of reach (a path over the system's 4,096 bytes). It was
        // skipped without a word, and its article, or the articles under it, with it.
        wholes.set(
          j,
          entry(
            relPath(relFolder, name),
            undefined,
            unreadable(relPath(relFolder, name), error, 'entry'),
            abs,
          ),
        );
        kinds[j] = Kind.Whole;
        continue;
      }
      if (type === GONE) continue; // gone since the folder was listed
      if (bytes !== null && !bytes[j]!.utf8) {
        // Its name cannot be written in a record or a report as it is: not read, not walked.
        if (type === S_IFDIR || ARTICLE.test(name)) {
          const again = lstatOf(statPath);
          wholes.set(
            j,
            entry(relPath(relFolder, name), again, notUtf8(relPath(relFolder, name), again), abs),
          );
          kinds[j] = Kind.Whole;
        }
      } else if (type === S_IFDIR) {
        folders++;
        if (ARTICLE.test(name)) {
          wholes.set(
            j,
            entry(
              relPath(relFolder, name),
              lstatOf(statPath),
              notAFile(relPath(relFolder, name), 'a folder', true),
              abs,
            ),
          );
          kinds[j] = Kind.WholeAndFolder;
        } else kinds[j] = Kind.Folder;
      } else if (!ARTICLE.test(name)) {
        // Not an article: named, so that a file the newsroom meant as one is not lost silently.
        if (!LEFTOVER.test(name) && !ASSET.test(name)) out.ignore(relPath(relFolder, name));
      } else if (type === S_IFREG) {
        kinds[j] = Kind.File;
      } else {
        const again = lstatOf(statPath);
        if (again === undefined) continue; // gone meanwhile
        const listed = other(abs, relPath(relFolder, name), again);
        if (listed === null) continue; // another name for an article listed at its own
        wholes.set(j, listed);
        kinds[j] = Kind.Whole;
      }
    }
    const emit = (j: number, into: boolean): void => {
      const kind = kinds[j]!;
      if (kind === Kind.File)
        out.add(
          f,
          names[j]!,
          numbers[4 * j]!,
          numbers[4 * j + 1]!,
          numbers[4 * j + 2]!,
          numbers[4 * j + 3]!,
        );
      else if (kind === Kind.Whole || (kind === Kind.WholeAndFolder && !into))
        out.addWhole(wholes.get(j)!);
      else if (kind === Kind.Folder || kind === Kind.WholeAndFolder) {
        const name = names[j]!;
        walk(childOf(folder, name), relPath(relFolder, name));
      }
    };
    if (folders === 0) {
      for (let j = 0; j < n; j++) emit(j, false);
      return;
    }
    // A folder's entries follow its path and a `/`: it sorts as `name/`; its own problem entry
    // (a folder named like an article) as `name`.
    const order: { key: string; j: number; into: boolean }[] = [];
    for (let j = 0; j < n; j++) {
      const kind = kinds[j]!;
      if (kind === Kind.Skip) continue;
      if (kind !== Kind.Folder) order.push({ key: names[j]!, j, into: false });
      if (kind === Kind.Folder || kind === Kind.WholeAndFolder)
        order.push({ key: `${names[j]!}/`, j, into: true });
    }
    order.sort((a, b) => compare(a.key, b.key));
    for (const { j, into } of order) emit(j, into);
  };
  /**
   * Neither a folder nor a regular file: a link (followed), or what it is. null for a link to a
   * file the walk lists at its own path: the file is the article, the link another name for it.
   * Listed too, the link held the record whenever it sorted first (`a.txt` → `b.txt`) and the
   * file itself was reported as its duplicate; skipped, a link that held a record before
   * gives it to the file (the record's input moves, as when a duplicate's original is deleted).
   */
  const other = (abs: string, path: string, l: Stats): ListedArticle | null => {
    if (!l.isSymbolicLink()) return entry(path, l, notAFile(path, kindOf(l)), abs);
    let real: string;
    let s: Stats;
    try {
      real = realpathSync(abs);
      s = statSync(real);
    } catch (error) {
      return entry(path, l, unreadable(path, error, 'link'), abs);
    }
    // `loop.md -> .` names the articles folder itself (or a folder above the link inside it):
    // not outside, and not a way out either; a loop the walk does not follow.
    if (s.isDirectory() && (real === home || real.startsWith(home + sep)) && holdsLink(real, abs))
      return entry(path, l, loop(path, rel(real)), abs);
    if (!real.startsWith(home + sep)) return entry(path, l, outside(path, real), abs);
    if (!s.isFile()) return entry(path, l, notAFile(path, `a link to ${kindOf(s)}`), abs);
    if (listedAtItsOwnPath(relative(home, real))) return null;
    return entry(path, s, undefined, real);
  };
  walk(dir, rel(dir));
  const listing = out.done();
  if (!unsorted) return listing;
  const sorted = new ListingBuilder();
  for (const path of listing.ignored) sorted.ignore(path);
  for (const a of [...listing.articles()].sort((a, b) => compare(a.path, b.path)))
    sorted.addWhole(a);
  return sorted.done();
}

/** Whether the walk lists a file at this path (relative to the articles folder) itself. */
const listedAtItsOwnPath = (inside: string): boolean => {
  const parts = inside.split(sep);
  return parts.every((p) => p !== '' && !p.startsWith('.')) && ARTICLE.test(parts.at(-1) ?? '');
};

/** An entry's name in records and reports: its folder's and its own. */
const relPath = (relFolder: string, name: string): string =>
  relFolder === '' ? name : `${relFolder}/${name}`;

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** An entry kept whole (ingest/listing.ts): with its problem, or a link with its file's path. */
const entry = (
  path: string,
  s: Stats | undefined,
  problem: Issue | undefined,
  absPath: string,
): ListedArticle => ({
  path,
  absPath,
  stat: s
    ? { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino }
    : { size: 0, mtimeMs: 0, ctimeMs: 0, ino: 0 },
  ...(problem ? { problem } : {}),
});

const GONE = -1;

/**
 * lstat() `path` into `numbers` at `at` (size, mtimeMs, ctimeMs, ino) and give its type
 * (`mode & S_IFMT`), or GONE. Small on purpose: V8 inlines lstatSync() here and, the Stats
 * object never escaping, does not make it, nor its four Dates: a third of the walk's time at
 * 100,000 articles. The rare cases stat their entry again for a Stats to describe it with.
 */
function statInto(path: string | Buffer, numbers: Float64Array, at: number): number {
  const l = lstatSync(path, { throwIfNoEntry: false });
  if (l === undefined) return GONE;
  numbers[at] = l.size;
  numbers[at + 1] = l.mtimeMs;
  numbers[at + 2] = l.ctimeMs;
  numbers[at + 3] = l.ino;
  return l.mode & S_IFMT;
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
      ? 'Rename the folder so its name does not end in .txt, .md or .markdown.'
      : 'Stored articles must be regular files: replace it with the article file, or move it out of the articles folder.',
  );

/** Whether the folder `real` holds the link at `abs` (the link's own folder, or one above it). */
function holdsLink(real: string, abs: string): boolean {
  let folder: string;
  try {
    folder = realpathSync(dirname(abs));
  } catch {
    return false;
  }
  return folder === real || folder.startsWith(real + sep);
}

const loop = (file: string, target: string): Issue =>
  issue(
    'ARTICLE_NOT_A_FILE',
    'error',
    file,
    `is a symbolic link to ${target}, a folder it is in: a loop back into the articles folder, not an article; it is skipped (the articles in that folder are read at their own paths).`,
    'Remove the link: nothing is lost, every article under that folder is read once, at its own path.',
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

/**
 * A file in the articles folder that is not read: its name does not end in an article's
 * extension. A warning, on every run while it is there: a `.text` or `.mdown` story was never
 * published and nothing said so.
 */
export const extensionIgnored = (file: string): Issue =>
  issue(
    'ARTICLE_EXTENSION_IGNORED',
    'warning',
    file,
    `is not read: only ${ARTICLE_EXTENSIONS} files are articles.`,
    'If it is an article, rename it to end in .md (or .txt); otherwise move it out of the articles folder.',
  );
