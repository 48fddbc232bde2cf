import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';

/** DESIGN.md section 2: pure folders import no node:fs, no process, no clock. */
const PURE = ['model', 'normalize', 'render', 'validate'];
const IMPURE = [
  /from 'node:fs'/,
  /from 'node:fs\/promises'/,
  /\bprocess\./,
  /Date\.now\(/,
  /new Date\(\)/,
];

describe('pure folders', () => {
  for (const folder of PURE) {
    it(`src/${folder} does no I/O and reads no clock`, () => {
      const dir = join(REPO, 'src', folder);
      const offenders = readdirSync(dir)
        .filter((f) => f.endsWith('.ts'))
        .flatMap((f) => {
          const text = readFileSync(join(dir, f), 'utf8');
          return IMPURE.filter((re) => re.test(text)).map((re) => `${f}: ${re.source}`);
        });
      expect(offenders).toEqual([]);
    });
  }
});
