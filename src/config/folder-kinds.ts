import { statSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import { shellWord } from '../model/shell-word.js';

/** The two folders feedkeeper creates and writes into, what it keeps there, their defaults. */
const KEPT = {
  state: ['its catalogue and publish state', '.feedkeeper'],
  records: ['one folder per year of records', 'archive/records'],
} as const;

/**
 * `paths.state` or `paths.records` naming something that is not a folder (a slip such as
 * `".gitignore"`, or `/dev/null`), or a path below such a thing: every run failed with a
 * disk-failure text after creating out/, and its hint was to move the user's own file away.
 * One configuration error per key instead, naming what is there; a path that does not exist
 * yet is fine (the run creates it). Follows links, as the run's own mkdir would.
 */
export function foldersThatAreFiles(
  written: { readonly state: string; readonly records: string },
  resolved: { readonly state: string; readonly records: string },
  label: string,
): string[] {
  return (['state', 'records'] as const).flatMap((k) => {
    const found = firstExisting(resolved[k]);
    if (found === null || found.stats.isDirectory()) return [];
    const where = found.path === resolved[k] ? 'is' : `is below ${found.path}, which is`;
    const [what, example] = KEPT[k];
    // At the default name, a stray file (the state folder replaced by one) rather than a slip
    // in the configuration: moving it away is the fix, and the run makes the folder again.
    const fix =
      written[k] === example && found.path === resolved[k] && found.stats.isFile()
        ? `move it away (mv ${shellWord(found.path)} ${shellWord(`${found.path}.moved`)}) and the next run makes the folder, or write paths.${k} as another folder`
        : `write paths.${k} as a folder of its own, e.g. ${JSON.stringify(example)}`;
    return [
      `config: ${label}: "paths.${k}": ${JSON.stringify(written[k])} (${resolved[k]}) ${where} ${kindOf(found.stats)}, not a folder; feedkeeper keeps ${what} there: ${fix}.`,
    ];
  });
}

/** The path itself or its nearest parent that exists, with what it is; null if none does. */
function firstExisting(path: string): { path: string; stats: Stats } | null {
  for (let p = path; ; p = dirname(p)) {
    let stats: Stats | undefined;
    try {
      stats = statSync(p, { throwIfNoEntry: false });
    } catch (error) {
      // ENOTDIR: a file on the way (`/dev/null/x`), found one level up. Anything else (a
      // permission) the run reports in its own words.
      if ((error as NodeJS.ErrnoException).code !== 'ENOTDIR') return null;
    }
    if (stats !== undefined) return { path: p, stats };
    if (dirname(p) === p) return null;
  }
}

function kindOf(s: Stats): string {
  if (s.isFile()) return 'a file';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isFIFO()) return 'a named pipe';
  if (s.isSocket()) return 'a socket';
  return 'something else';
}
