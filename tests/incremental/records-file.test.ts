import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * The catalogue is derived data: a records file deleted or garbled by hand is rebuilt by the
 * next build, even one with nothing else to do (it was found only by a run that needed the
 * records, so status, archive list and verify stayed broken).
 */
describe('records.json deleted or garbled by hand', () => {
  for (const [what, damage] of [
    ['deleted', (f: string) => rmSync(f)],
    ['garbled', (f: string) => writeFileSync(f, '\u0000\u0001 not json')],
  ] as const)
    it(`${what}: the next build rebuilds it, and verify passes`, () => {
      const p = makeProject();
      p.write('a.txt', sampleBytes());
      expect(p.cli('build', '-q').status).toBe(0);
      const file = join(p.dir, '.feedkeeper', 'records.json');
      damage(file);
      expect(p.cli('build', '-q').status).toBe(0);
      expect(existsSync(file)).toBe(true);
      const verify = p.cli('archive', 'verify');
      expect(verify.status, verify.stdout + verify.stderr).toBe(0);
      expect(p.cli('status').stdout).toMatch(/archive: 1 record/);
    });
});
