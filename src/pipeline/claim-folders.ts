import { readdirSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/settle-config.js';
import { claimOutFolder } from './out-folder.js';

/**
 * Issue 10, item 7: a `paths.*` folder holding files feedkeeper did not create is refused at
 * start (exit 2, which key, what to write), before anything is read or written: out/
 * (pipeline/out-folder.ts, with its marker), and here the state and records folders, which
 * feedkeeper writes into as well (its catalogue; one folder per year of records).
 *
 * - The state folder is feedkeeper's when it is new or empty, or holds at least one of the
 *   files feedkeeper keeps there: a state folder of any earlier version has some. One that
 *   holds only other files (`paths.state` set to a home or a project folder) is refused: the
 *   next save would write `inputs.json` and the rest among them.
 * - The records folder holds one folder per year (`2026/11/<slug>.json`) and hidden files
 *   (its generation marker, a `.gitkeep`); any other name at its top is someone else's.
 *
 * Hidden names do not count in either: feedkeeper writes none but its own.
 */
export function claimFolders(rc: ResolvedConfig, opts: { readonly mark: boolean }): void {
  const state = visibleEntries(rc.paths.state);
  if (state.length > 0 && !state.some((n) => STATE_FILES.has(n)))
    throw refused(
      rc,
      'state',
      rc.config.paths.state,
      rc.paths.state,
      `holds files feedkeeper did not create (${shown(state)}): it keeps its catalogue and publish state there (inputs.json, published.json, …) and would write among them`,
      'a folder of its own, e.g. ".feedkeeper"',
    );
  const foreign = visibleEntries(rc.paths.records).filter((n) => !YEAR.test(n));
  if (foreign.length > 0)
    throw refused(
      rc,
      'records',
      rc.config.paths.records,
      rc.paths.records,
      `holds files that are not feedkeeper records (${shown(foreign)}): it keeps one folder per year there (2026/11/<slug>.json)`,
      'a folder of its own, e.g. "archive/records"; or move those files out of it',
    );
  claimOutFolder(rc, opts);
}

/** What feedkeeper keeps in the state folder (any one of them makes the folder its own). */
export const STATE_FILES: ReadonlySet<string> = new Set([
  'catalogue.dirty',
  'config-cache.json',
  'etags.journal',
  'etags.json',
  'history.json',
  'inputs.journal',
  'inputs.json',
  'left-out.json',
  'lock',
  'pages.journal',
  'pages.json',
  'publish.pending',
  'published.json',
  'publishing.json',
  'records.journal',
  'records.json',
  'runs.jsonl',
  'schedule.json',
  'staging',
  'staging-archive',
  'staging-pages',
]);

const YEAR = /^\d{4}$/;

/** The names in `dir` that are not hidden; none when it does not exist or is not a folder. */
function visibleEntries(dir: string): string[] {
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory() !== true) return [];
  return readdirSync(dir)
    .filter((n) => !n.startsWith('.'))
    .sort();
}

const shown = (names: readonly string[]): string =>
  names.slice(0, 5).join(', ') + (names.length > 5 ? ', …' : '');

function refused(
  rc: ResolvedConfig,
  key: string,
  written: string,
  abs: string,
  what: string,
  write: string,
): ConfigError {
  const file = rc.file === null ? 'the configuration' : relative(process.cwd(), rc.file) || rc.file;
  return new ConfigError([
    `config: "paths.${key}": ${JSON.stringify(written)} (${abs}) ${what}.`,
    `hint: write paths.${key} in ${file} as ${write}; nothing was read or written.`,
  ]);
}
