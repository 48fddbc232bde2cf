import { realpathSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, relative, sep } from 'node:path';

/**
 * The four folders, as written in the configuration and as resolved against its folder.
 */
export interface PathsToCheck {
  readonly articles: string;
  readonly records: string;
  readonly out: string;
  readonly state: string;
}

type Key = keyof PathsToCheck;

/**
 * Which layouts are refused, and why. What each folder is to feedkeeper:
 *
 * - `paths.articles`: the newsroom's; only read (`**\/*.txt`, `**\/*.md`, `**\/*.markdown`, hidden names skipped).
 * - `paths.records`: written (`YYYY/MM/<slug>.json`, atomically: `.<name>.tmp-<pid>` beside it);
 *   every `*.json` below it is read as a record; its temp files are removed when the catalogue
 *   is rebuilt (archive-articles.ts).
 * - `paths.out`: `rss.xml`, `atom.xml`, `feed.json` are overwritten; temp files below it are
 *   removed at the start of every run (schedule/locked-run.ts); it is what the web server shows.
 * - `paths.state`: catalogue, publish state, run log, lock; temp files below it are removed at
 *   every run, and `<state>/staging` is deleted whole (rm -rf) around every publish
 *   (publish/publish-files.ts).
 *
 * So any two of the four being the same folder, or one inside another, is refused, every pair:
 * state holding anything else loses `staging/` and hidden temp-named files to the cleaning (an
 * article under `archive/articles/staging/` was deleted that way); out holding articles or
 * records publishes them and cleans below them; records holding state or out reads
 * `inputs.json`, `published.json` and `feed.json` as (corrupt) records, and records inside the
 * articles writes among the newsroom's files; and a folder inside state or out (e.g. out at
 * `.feedkeeper/staging`) is deleted or overwritten by the other's writes. Only `records` and
 * `articles` being siblings (the default `archive/articles`, `archive/records`) is fine.
 *
 * And state, out and records must not be the configuration folder, nor a folder that holds it:
 * that folder is the newsroom's (feedkeeper.config.json, its own folders), and the cleaning
 * would reach every file below it; `rss.xml` would overwrite a file of the site. The articles
 * may be the configuration folder (they are only read) when the other three are elsewhere.
 *
 * Paths are compared as real paths (symlinks resolved as far as the folders exist), so a
 * symlinked folder cannot hide an overlap. Symlinks inside a folder are not a concern: neither
 * the article scan nor the temp-file cleaning follows a symlinked folder.
 */
export function pathOverlaps(
  written: PathsToCheck,
  resolved: PathsToCheck,
  root: string,
  label: string,
): string[] {
  const real = {} as Record<Key, string>;
  for (const k of ORDER) real[k] = realPathOf(resolved[k]);
  const realRoot = realPathOf(root);
  const shown = (k: Key): string => {
    const viaLink = real[k] !== resolved[k] ? `, real path ${real[k]}` : '';
    return `"paths.${k}": ${JSON.stringify(written[k])} (${resolved[k]}${viaLink})`;
  };
  const fix = (k: Key): string =>
    `write paths.${k} as a folder of its own, outside the other three, e.g. ${JSON.stringify(DEFAULTS[k])}`;
  const lines: string[] = [];
  const holdsRoot = new Set<Key>();
  for (const k of ['state', 'out', 'records'] as const) {
    if (!isInside(real[k], realRoot)) continue;
    holdsRoot.add(k);
    const what = real[k] === realRoot ? 'is' : 'holds';
    lines.push(
      `config: ${label}: ${shown(k)} ${what} the configuration folder (${root}), which is the newsroom's; feedkeeper writes and cleans paths.${k}: ${fix(k)}.`,
    );
  }
  for (let i = 0; i < ORDER.length; i++) {
    for (let j = i + 1; j < ORDER.length; j++) {
      const a = ORDER[i] as Key;
      const b = ORDER[j] as Key;
      let inner: Key;
      let outer: Key;
      if (isInside(real[b], real[a])) [inner, outer] = [a, b];
      else if (isInside(real[a], real[b])) [inner, outer] = [b, a];
      else continue;
      if (holdsRoot.has(outer)) continue; // already refused: it holds everything in the folder
      const how = real[inner] === real[outer] ? 'is the same folder as' : 'is inside';
      lines.push(
        `config: ${label}: ${shown(inner)} ${how} ${shown(outer)}; ${WHY[[a, b].sort().join('+')] ?? ''}: ${fix(inner)}.`,
      );
    }
  }
  return lines;
}

/** Listed by what is done to them: state cleaned most, articles only read. */
const ORDER: readonly Key[] = ['state', 'out', 'records', 'articles'];

/** What goes wrong when the two overlap (keys sorted, joined with "+"). */
const WHY: Readonly<Record<string, string>> = {
  'articles+state':
    'the state folder is cleaned (its staging/ deleted, hidden temp-named files removed)',
  'articles+out': 'the feeds would overwrite files there and out is cleaned and published',
  'articles+records': 'records would be written among the articles and every .json read as one',
  'out+records': 'feed.json would be read as a record and out is cleaned and published',
  'records+state': "the state's .json files would be read as records and its staging/ deleted",
  'out+state': "the state's staging/ is deleted whole and out is published",
};

const DEFAULTS: Readonly<Record<Key, string>> = {
  articles: 'archive/articles',
  records: 'archive/records',
  out: 'out',
  state: '.feedkeeper',
};

/** `inner` is `outer` or below it (absolute, normalized paths). */
function isInside(outer: string, inner: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** The real path of `path`: of its longest existing part, with the rest as written. */
function realPathOf(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    const parent = dirname(path);
    if (parent === path) return path;
    return join(realPathOf(parent), basename(path));
  }
}
