import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readRegular } from '../io/read-regular.js';

/**
 * Records edited by hand outside the feeds' window, noticed without reading or stat'ing every
 * record: a stamp (`ino:mtimeMs`) of each month folder of the records
 * (archive/records/YYYY/MM/), saved after each publication. A month folder whose stamp moved
 * before a run wrote anything (a record replaced by an editor, `sed -i`, `git checkout`, `jq …
 * > tmp && mv tmp …`, or a file added or removed) has its records rendered again, as the
 * listed records are when one of them changes (render-feeds.ts `touched`): their pages, their
 * month parts and their archive documents, each record read and judged (unpublishable.ts), so
 * a correction is published and a broken record is left out. A few hundred stats a run.
 *
 * What it cannot see: an edit written into the file in place (shell `>`, `cp` onto it), which
 * moves no folder's stamp (`build --full` checks every record). A folder a run wrote to and did
 * not publish is taken as edited by the next run (its records rendered again: more work, never
 * less). `.feedkeeper/record-folders.json`.
 */
export type FolderStamps = Readonly<Record<string, string>>;

const file = (stateDir: string): string => join(stateDir, 'record-folders.json');

/** Each `YYYY/MM` folder of the records, with its stamp. */
export function recordFolderStamps(recordsDir: string): Record<string, string> {
  const stamps: Record<string, string> = {};
  const folders = (dir: string, name: RegExp): string[] => {
    try {
      return readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory() && name.test(e.name))
        .map((e) => e.name)
        .sort();
    } catch {
      return []; // no records yet
    }
  };
  for (const year of folders(recordsDir, /^\d{4}$/))
    for (const month of folders(join(recordsDir, year), /^\d{2}$/)) {
      const s = statSync(join(recordsDir, year, month), { throwIfNoEntry: false });
      if (s) stamps[`${year}/${month}`] = `${s.ino}:${s.mtimeMs}`;
    }
  return stamps;
}

/** The stamps saved by the last publication; null when there are none (then nothing is said). */
export function loadRecordFolders(stateDir: string): FolderStamps | null {
  try {
    const saved = JSON.parse(readRegular(file(stateDir), true).toString('utf8')) as {
      folders?: unknown;
    };
    return typeof saved.folders === 'object' && saved.folders !== null
      ? (saved.folders as FolderStamps)
      : null;
  } catch {
    return null;
  }
}

/** Saved after a publication; whether the file changed. */
export const saveRecordFolders = (stateDir: string, folders: FolderStamps): boolean =>
  writeFileAtomic(file(stateDir), `${JSON.stringify({ folders })}\n`);

export const recordFoldersFile = file;

/** The month folders (`YYYY/MM`) whose stamp is not the saved one: added, removed or changed. */
export function foldersMoved(saved: FolderStamps | null, now: FolderStamps): string[] {
  if (saved === null) return [];
  const names = new Set([...Object.keys(saved), ...Object.keys(now)]);
  return [...names].filter((n) => saved[n] !== now[n]).sort();
}
