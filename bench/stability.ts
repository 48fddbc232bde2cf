import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * What could skew a benchmark on a shared machine: the code under test changed mid-run (a
 * colleague's commit and `tsc`), or other work loading the CPUs. Checked at start and end.
 */
export function codeHash(dir: string): string {
  const hash = createHash('sha256');
  const walk = (d: string): void => {
    const entries = readdirSync(d, { withFileTypes: true });
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else hash.update(`${abs}\n`).update(readFileSync(abs));
    }
  };
  walk(dir);
  return hash.digest('hex');
}

export const formatLoad = (load: readonly number[]): string =>
  load.map((x) => x.toFixed(2)).join(' / ');
