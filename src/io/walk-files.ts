import { readdirSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every regular file below `dir`, as `/`-separated paths relative to it, sorted; [] if `dir`
 * does not exist. `keep` filters by file name. Links are not followed (a link to a folder
 * could loop; to a file, lead out of `dir`), and a FIFO, socket or device is never listed:
 * reading a FIFO named like a record would wait for a writer forever.
 *
 * With `follow` (the records: git-annex keeps every record as a link, and a year moved to
 * another disk is linked back), links to folders are walked and every name `keep` accepts is
 * listed whatever it is (a link to a file, a FIFO, a link to a device, a link to nothing): its
 * reader reads only regular files (io/read-regular.ts) and reports the rest, so such a record
 * is a problem that keeps its name, never a record that silently does not exist (its article
 * minted again). A folder reached twice (a link loop, two links to one folder) is walked once,
 * by its real path. Only links cost a stat: a records folder without links is listed by the
 * same readdir calls as before.
 */
export function walkFiles(
  dir: string,
  keep: (name: string) => boolean = () => true,
  follow = false,
): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const walk = (d: string, real: string | null): void => {
    if (real !== null) {
      if (seen.has(real)) return;
      seen.add(real);
    }
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      const rel = (): string => relative(dir, abs).split(sep).join('/');
      if (e.isDirectory()) walk(abs, real === null ? null : join(real, e.name));
      else if (e.isFile()) {
        if (keep(e.name)) out.push(rel());
      } else if (follow && e.isSymbolicLink() && isFolder(abs)) {
        const target = realOf(abs);
        if (target !== null) walk(abs, target);
      } else if (follow && keep(e.name)) out.push(rel());
    }
  };
  walk(dir, follow ? realOf(dir) : null);
  return out.sort();
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false; // a link to nothing, or a loop: listed, and its reader says so
  }
}

function realOf(path: string): string | null {
  try {
    return realpathSync(path);
  } catch {
    return null;
  }
}
