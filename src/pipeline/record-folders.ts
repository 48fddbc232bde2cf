import { lstatSync, readdirSync, statSync } from 'node:fs';
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
 * A folder that moved is looked into at its own cost (recordFolderChanges()): only the records
 * whose file changed since the folder's saved stamp are taken as edited, not all of them (a
 * month of 100,000 undated records rendered whole because a run wrote one record there and did
 * not publish, or an editor left a swap file).
 *
 * What it cannot see: an edit written into the file in place (shell `>`, `cp` onto it), which
 * moves no folder's stamp (`build --full` checks every record); one made while the run that
 * saves the stamps runs. `.feedkeeper/record-folders.json`.
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

/** What changed in the month folders of the records that moved (recordFolderChanges()). */
export interface RecordFolderChanges {
  /** The folders (`YYYY/MM`) whose stamp is not the saved one: added, removed or changed. */
  readonly moved: readonly string[];
  /** Those of them with a record file changed, added or replaced (or unknown: all taken so). */
  readonly edited: readonly string[];
  /** The record files (`YYYY/MM/<slug>.json`) of moved folders that did not change. */
  readonly unchanged: ReadonlySet<string>;
}

/**
 * Which records of the folders that moved changed since the last publication, at the cost of
 * those folders: each is listed and each record file lstat-ed (and stat-ed through a symbolic
 * link: git-annex). A file whose ctime is after the folder's saved mtime was written, replaced
 * or renamed into the folder since (a rename sets the file's ctime as it moves the folder's
 * mtime; ctime cannot be set back by hand, `cp -p` and `touch -d` set mtime only); the others
 * are as they were when the folder was stamped, after the last publication. A record of the
 * catalogue that is no longer there is not among `unchanged` either (render-feeds.ts takes it
 * as edited). A folder replaced whole (another inode: `mv`, a restore keeps its files' times)
 * or new has every record taken as edited, as before this existed.
 */
export function recordFolderChanges(
  recordsDir: string,
  saved: FolderStamps | null,
  now: FolderStamps,
): RecordFolderChanges {
  const moved = foldersMoved(saved, now);
  const edited: string[] = [];
  const unchanged = new Set<string>();
  for (const folder of moved) {
    const [ino, mtime] = (saved?.[folder] ?? '').split(':');
    if (ino === undefined || mtime === undefined || ino !== now[folder]?.split(':')[0]) {
      edited.push(folder);
      continue;
    }
    const stampedAt = Number(mtime);
    let names: string[];
    try {
      names = readdirSync(join(recordsDir, folder));
    } catch {
      edited.push(folder); // gone meanwhile: its records are all missing
      continue;
    }
    let changed = false;
    for (const name of names) {
      // Record files only: an editor's swap file or a `jq` temp file is none of ours.
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const file = join(recordsDir, folder, name);
      const l = lstatSync(file, { throwIfNoEntry: false });
      const t = l?.isSymbolicLink() === true ? statSync(file, { throwIfNoEntry: false }) : l;
      if (l === undefined || t === undefined || l.ctimeMs > stampedAt || t.ctimeMs > stampedAt)
        changed = true;
      else unchanged.add(`${folder}/${name}`);
    }
    if (changed) edited.push(folder);
  }
  return { moved, edited, unchanged };
}
