import { opendirSync, type Dir } from 'node:fs';
import { join, relative } from 'node:path';
import { ConfigError } from '../config/config-error.js';
import type { ResolvedConfig } from '../config/settle-config.js';
import { loadPublishState } from './publish-state.js';
import { claimOutFolder, namesShown, refusedFolder, visibleEntries } from './out-folder.js';

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
    throw refusedFolder(
      rc,
      'state',
      `holds files feedkeeper did not create (${namesShown(state)}): it keeps its catalogue and publish state there (inputs.json, published.json, …) and would write among them`,
      'a folder of its own, e.g. ".feedkeeper"',
    );
  const years = visibleEntries(rc.paths.records);
  const foreign = years.filter((n) => !YEAR.test(n));
  if (foreign.length > 0)
    throw refusedFolder(
      rc,
      'records',
      `holds files that are not feedkeeper records (${namesShown(foreign)}): it keeps one folder per year there (2026/11/<slug>.json)`,
      'a folder of its own, e.g. "archive/records"; or move those files out of it',
    );
  if (!holdsRecord(rc.paths.records, years)) refuseEmptyRecords(rc);
  claimOutFolder(rc, opts);
}

/**
 * No record at all while the last publication listed some: a share or a disk that is not
 * mounted (an empty mount point), or `paths.records` pointing at the wrong folder, far more
 * often than an archive deleted on purpose. Going on minted every article again from the
 * stored files: revisions gone, undated articles under a new date (and, on a later day, a new
 * id), every story announced again, and the real records hidden under the mount once it is
 * back. Refused before anything is written (exit 2); the records are the archive's truth, so
 * starting over takes removing the publish state by hand.
 */
function refuseEmptyRecords(rc: ResolvedConfig): void {
  const listed = loadPublishState(rc.paths.state)?.entries.length ?? 0;
  if (listed === 0) return;
  const folder = relative(rc.root, rc.paths.records) || '.';
  const state = relative(rc.root, rc.paths.state) || '.';
  throw new ConfigError([
    `build: the records folder ${folder} (paths.records) holds no record, while the last publication listed ${listed}: nothing was changed (minting them again would lose their revisions and re-announce them).`,
    `hint: if the folder is a share or a disk, mount it; if paths.records is wrong, fix it in the configuration; if the records were lost, restore them from a backup (then run feedkeeper build --full); to start a new archive on purpose, remove ${state}/published.json once.`,
  ]);
}

/**
 * Whether a `.json` file stands anywhere below the year folders (`YYYY/MM/<slug>.json`): found
 * at the first one on an archive. Year folders without a record (an empty `2026/` at a share's
 * mount point, or made by an `rsync` that creates folders first) are no archive: counting
 * top-level names let such a folder through the guard.
 *
 * Every run asks this, so the folders are read an entry at a time and left at the first
 * record: a month folder holds thousands of records (all of an undated archive's, when it
 * was imported in one month), and reading it whole was half of a no-change run's CPU at
 * 100,000 articles (1.4 s of readdir, docs/development.md).
 */
function holdsRecord(dir: string, names: Iterable<string>, depth = 0): boolean {
  for (const name of names) {
    if (name.endsWith('.json')) return true;
    if (depth === 2) continue;
    if (holdsRecord(join(dir, name), namesIn(join(dir, name)), depth + 1)) return true;
  }
  return false;
}

/** The visible names in a folder, read as they are asked for; none if it is not a folder. */
function* namesIn(dir: string): Generator<string> {
  let d: Dir;
  try {
    d = opendirSync(dir);
  } catch {
    return; // not a folder: not a record either
  }
  try {
    for (let e = d.readSync(); e !== null; e = d.readSync())
      if (!e.name.startsWith('.')) yield e.name;
  } catch {
    return; // unreadable midway: what was read is what there is
  } finally {
    d.closeSync();
  }
}

/** What feedkeeper keeps in the state folder (any one of them makes the folder its own). */
export const STATE_FILES: ReadonlySet<string> = new Set([
  'catalogue.dirty',
  'config-cache.json',
  'etags.journal',
  'etags.json',
  'history.json',
  // The inputs table's buckets (archive/catalogue-file.ts).
  'inputs',
  'inputs.journal',
  'inputs.json',
  // The records' index by key and its root (archive/key-index-file.ts).
  'keys',
  'keys.journal',
  'keys.json',
  'left-out.json',
  'lock',
  // The page state's groups and their root (pipeline/page-state.ts).
  'pages',
  'pages.journal',
  'pages.json',
  'publish.pending',
  'published.json',
  'publishing.json',
  // The records month folders' stamps (pipeline/record-folders.ts).
  'record-folders.json',
  // The records table's chunks (archive/catalogue-file.ts).
  'records',
  'records.journal',
  'records.json',
  'runs.jsonl',
  'schedule.json',
  'staging',
  'staging-archive',
  'staging-pages',
]);

const YEAR = /^\d{4}$/;
