import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/**
 * Every regular file below `dir`, as `/`-separated paths relative to it, sorted; [] if `dir`
 * does not exist. `keep` filters by file name. Links are not followed (a link to a folder
 * could loop; to a file, lead out of `dir`), and a FIFO, socket or device is never listed:
 * reading a FIFO named like a record would wait for a writer forever.
 */
export function walkFiles(dir: string, keep: (name: string) => boolean = () => true): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else if (e.isFile() && keep(e.name)) out.push(relative(dir, abs).split(sep).join('/'));
    }
  };
  walk(dir);
  return out.sort();
}
