import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers.js';
import { EVERY_PAGE, ISOLATED, LONGEST, SHARED_STATE } from './suite-plan.js';

/**
 * Most test files share a process with the files their worker ran before (vitest.config.ts):
 * one that mocks a module, fakes the clock or sets process.env there would change what the
 * next files test. Such a file must be listed in ISOLATED, which gives it a process of its own.
 */
const sources = readdirSync(join(REPO, 'tests'), { recursive: true })
  .map((f) => `tests/${String(f)}`)
  .filter((f) => f.endsWith('.ts'));

describe('the suite plan (tests/suite-plan.ts)', () => {
  it('every test file that changes process-wide state runs in a process of its own', () => {
    const changing = sources.filter(
      (f) =>
        f.endsWith('.test.ts') &&
        f !== 'tests/suite-plan.test.ts' && // its examples below
        SHARED_STATE.test(readFileSync(join(REPO, f), 'utf8')),
    );
    expect(changing.filter((f) => !ISOLATED.includes(f))).toEqual([]);
  });

  it('no helper module changes process-wide state (each file importing it would)', () => {
    const helpers = sources.filter(
      (f) => !f.endsWith('.test.ts') && f !== 'tests/suite-plan.ts' && !f.includes('/fixtures/'),
    );
    expect(helpers.filter((f) => SHARED_STATE.test(readFileSync(join(REPO, f), 'utf8')))).toEqual(
      [],
    );
  });

  it('names only test files that exist', () => {
    for (const f of [...ISOLATED, ...Object.keys(LONGEST), ...EVERY_PAGE])
      expect(existsSync(join(REPO, f)), f).toBe(true);
  });

  it('the patterns catch what they are for', () => {
    for (const text of [
      "vi.mock('../../src/x.js')",
      "vi.spyOn(Feed.prototype, 'rss2')",
      'vi.useFakeTimers();',
      "process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';",
      'process.env.TZ = "UTC";',
      'delete process.env.TZ;',
      "process.chdir('articles');",
      'globalThis.Date = class extends RealDate {};',
      "setFlagsFromString('--expose-gc');",
      "process.on('SIGTERM', stop);",
    ])
      expect(SHARED_STATE.test(text), text).toBe(true);
    for (const text of [
      "env: { ...process.env, FEEDKEEPER_CONFIG: '' }",
      "process.env['FEEDKEEPER_SEED'] ?? Date.now()",
      "if (process.env.CI === '1') skip();",
    ])
      expect(SHARED_STATE.test(text), text).toBe(false);
  });
});
