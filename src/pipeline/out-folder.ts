import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/settle-config.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { shellWord } from '../model/shell-word.js';
import { OUT_MARKER } from '../model/outputs.js';
import { holds } from '../publish/publish-files.js';
import { loadPublishState } from './publish-state.js';

/**
 * Whose folder `paths.out` is (issue 10, item 7). feedkeeper overwrites `rss.xml`, `index.html`
 * and the rest in it, and cleans its own temp files there, so it must never take over a folder
 * that holds someone else's files (a web server's document root with its own `index.html`).
 * A marker file in out/ says the folder is ours; it is written when feedkeeper creates out/ or
 * first publishes into an empty one, and it lives in out/ itself so that losing the state
 * folder (`.feedkeeper/`) does not make our own folder look foreign. Its name is hidden:
 * `serve`, and the nginx and Caddy configurations in deploy/, never answer for a hidden name.
 *
 * A folder without the marker is adopted (the marker written) when it is empty (hidden files
 * aside), or when the
 * publish state says feedkeeper published there: a site built before the marker existed has
 * its feeds in out/ with the sha256 `published.json` recorded. Anything else is refused before
 * the run starts (ConfigError: exit 2, nothing read or written).
 */
export { OUT_MARKER };

const MARKER_TEXT = `This folder is feedkeeper's output (paths.out): feedkeeper writes and replaces the files in it.
Keep this file: without it, feedkeeper refuses to publish into a folder that holds files, so that
it never overwrites files it did not create. It is never served.
`;

/**
 * Refuse a run into a foreign out/ (ConfigError), and, with `mark`, mark out/ as ours when it is
 * new, empty or known to the publish state. Commands check first, before the lock (a dry run
 * and a run skipped for the lock write nothing); the run that holds the lock marks
 * (schedule/locked-run.ts). Costs one stat when the marker is there (every run after the first).
 */
export function claimOutFolder(rc: ResolvedConfig, opts: { readonly mark: boolean }): void {
  const out = rc.paths.out;
  const marker = join(out, OUT_MARKER);
  if (existsSync(marker)) return;
  const s = statSync(out, { throwIfNoEntry: false });
  if (s !== undefined && !s.isDirectory())
    throw refusedFolder(
      rc,
      'out',
      `is a file, not a folder`,
      'a folder feedkeeper can create, e.g. "out"',
    );
  // Hidden names are never ours to write (but for our temp files and the marker): a `.gitkeep`
  // that keeps out/ in a repository (this project's own), a `.htaccess` or `.well-known/`
  // are left alone, so they do not make the folder foreign.
  const entries = visibleEntries(out);
  if (entries.length > 0 && !publishedHere(rc)) {
    throw refusedFolder(
      rc,
      'out',
      `holds files feedkeeper did not create (${namesShown(entries)}): it would overwrite them (rss.xml, index.html, …)`,
      `an empty or new folder, e.g. "out"; or, if this folder is feedkeeper's own output and only its marker was lost, put the marker back: touch ${shellWord(marker)}`,
    );
  }
  if (opts.mark) writeFileAtomic(marker, MARKER_TEXT);
}

/**
 * The upgrade path: out/ holds a feed with the exact bytes the publish state records (its
 * sha256), so feedkeeper published there before the marker existed.
 */
function publishedHere(rc: ResolvedConfig): boolean {
  const state = loadPublishState(rc.paths.state);
  if (state === null) return false;
  return Object.entries(state.files).some(
    ([name, f]) => typeof f.sha256 === 'string' && holds(join(rc.paths.out, name), f),
  );
}

/**
 * The refusal of a `paths.*` folder that is not feedkeeper's (here and in claim-folders.ts):
 * which key, what it holds, what to write instead. Exit 2 (ConfigError).
 */
export function refusedFolder(
  rc: ResolvedConfig,
  key: 'out' | 'state' | 'records',
  what: string,
  write: string,
): ConfigError {
  const file = rc.file === null ? 'the configuration' : relative(process.cwd(), rc.file) || rc.file;
  return new ConfigError([
    `config: "paths.${key}": ${JSON.stringify(rc.config.paths[key])} (${rc.paths[key]}) ${what}.`,
    `hint: write paths.${key} in ${file} as ${write}; nothing was read or written.`,
  ]);
}

/**
 * The names in a folder that feedkeeper could write over: not hidden ones (it writes none but
 * its own temp files and markers). None when it does not exist or is not a folder.
 */
export function visibleEntries(dir: string): string[] {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
}

/** The first five names, for a message. */
export const namesShown = (names: readonly string[]): string =>
  names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');
