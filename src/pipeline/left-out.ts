import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SortKey } from '../archive/record-chunks.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { readRegular } from '../io/read-regular.js';
import type { Issue } from '../model/issue.js';

/**
 * Records left out are checked again on every run (the feeds render even when nothing else
 * changed), so their problems are reported every time and a repaired record comes back.
 * Each is kept with its row's sort key then (`[path, publishedAt, id]`): the next run's plan
 * from the changes (parts-plan.ts) finds where it was without reading every row. A file of
 * before the keys (paths alone) is still read as the list of paths.
 */
const leftOutFile = (stateDir: string): string => join(stateDir, 'left-out.json');

export const leftOutLastTime = (stateDir: string): boolean => existsSync(leftOutFile(stateDir));

export function saveLeftOut(
  stateDir: string,
  leftOut: ReadonlyMap<string, Issue>,
  /** The sort key of a left-out record's row (undefined: none; its path alone is kept). */
  keyOf: (path: string) => SortKey | undefined = () => undefined,
): void {
  if (leftOut.size === 0) {
    rmSync(leftOutFile(stateDir), { force: true });
    return;
  }
  const rows = [...leftOut.keys()].map((path) => {
    const key = keyOf(path);
    return key === undefined ? path : [path, key[0], key[1]];
  });
  writeFileAtomic(leftOutFile(stateDir), `${JSON.stringify(rows, null, 2)}\n`);
}

/**
 * The records the last publication left out, each with its sort key then; null when that is
 * not known (a path kept without its key, an unreadable file): the caller plans without it.
 */
export function loadLeftOutKeys(stateDir: string): Map<string, SortKey> | null {
  if (!existsSync(leftOutFile(stateDir))) return new Map();
  try {
    const rows = JSON.parse(readRegular(leftOutFile(stateDir), true).toString('utf8')) as unknown;
    if (!Array.isArray(rows)) return null;
    const out = new Map<string, SortKey>();
    for (const row of rows) {
      if (!Array.isArray(row) || row.length !== 3 || !row.every((x) => typeof x === 'string'))
        return null;
      const [path, publishedAt, id] = row as [string, string, string];
      out.set(path, [publishedAt, id, path]);
    }
    return out;
  } catch {
    return null;
  }
}
