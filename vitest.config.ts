import { relative } from 'node:path';
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { EVERY_PAGE, ISOLATED, LONGEST, validatesEveryPage } from './tests/suite-plan.js';

/**
 * The longest files first (tests/suite-plan.ts, LONGEST), then vitest's own order (its timings
 * from an earlier run, else the largest files first): the two workers then end close together.
 */
class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const root = this.ctx.config.root;
    const seconds = (f: TestSpecification): number =>
      LONGEST[relative(root, f.moduleId).split('\\').join('/')] ?? 0;
    return (await super.sort(files)).sort((a, b) => seconds(b) - seconds(a)); // stable
  }
}

/** EVERY_PAGE as globs of test files. */
const everyPageGlobs = EVERY_PAGE.map((e) => (e.endsWith('/') ? `${e}**/*.test.ts` : e));

export default defineConfig({
  test: {
    // Process-level tests (CLI, lock, signals) spawn real Node processes: give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time, not vitest's default of cores - 1 (one, on CI's 2 cores): many
    // tests wait on child processes, locks and timers (stale-lock alone sleeps most of its
    // minute), and another file's work fills that time. They pass under far heavier load.
    // Three were tried (2026-12-02, the same commit, a quiet machine): 1,008 s of CI against
    // 940 s with two; the files that build slowed more than the sleeping ones gained.
    maxWorkers: 2,
    sequence: { sequencer: LongestFirst },
    // A file that changes process-wide state (tests/suite-plan.ts, ISOLATED) gets a process of
    // its own; the others share their worker's process, one file after another. The gate runs
    // html-validate once per page shape (validate/page-proof.ts); in the files about pages and
    // feeds (EVERY_PAGE) it also runs on every page they produce (the CLI children inherit it).
    projects: [
      {
        extends: true,
        test: {
          name: 'shared',
          include: ['tests/**/*.test.ts'],
          exclude: [...ISOLATED, ...everyPageGlobs],
          isolate: false,
          env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '0' },
        },
      },
      {
        extends: true,
        test: {
          name: 'shared-every-page',
          include: everyPageGlobs,
          exclude: [...ISOLATED],
          isolate: false,
          env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '1' },
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated',
          isolate: true,
          include: ISOLATED.filter((f) => !validatesEveryPage(f)),
          env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '0' },
        },
      },
      {
        extends: true,
        test: {
          name: 'isolated-every-page',
          isolate: true,
          include: ISOLATED.filter(validatesEveryPage),
          env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '1' },
        },
      },
    ],
  },
});
