import { BaseSequencer, type TestSpecification } from 'vitest/node';
import { defineConfig } from 'vitest/config';

// Used only by Stryker (`npm run mutate`): the fast in-process unit tests of the mutated
// folders, each rendering and verifying inside its own test so that Stryker can tie every
// mutant to the tests that reach it (perTest coverage) instead of running them all.
// Left out, measured: tests/render/readers.test.ts (the whole pipeline in a beforeAll, which
// made every render mutant "static"), tests/gate (12 s, the pipeline again, with render
// modules mocked) and tests/pipeline (selection, not render/validate). tests/render and
// tests/validate cover what they checked of src/render and src/validate, test by test.

/**
 * A "static" mutant (module-level code: the date and character patterns, the namespace and
 * element tables) runs every test file, and Stryker stops at the first failure: the small unit
 * files, which kill most of them in milliseconds, go first.
 */
const FIRST = [
  'tests/validate/units.test.ts',
  'tests/render/render-units.test.ts',
  'tests/render/feed-output.test.ts',
  'tests/validate/issues.test.ts',
];
const rank = (f: TestSpecification): number => {
  const i = FIRST.findIndex((p) => f.moduleId.endsWith(p));
  return i < 0 ? FIRST.length : i;
};
class UnitsFirst extends BaseSequencer {
  override sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return Promise.resolve(
      [...files].sort((a, b) => rank(a) - rank(b) || a.moduleId.localeCompare(b.moduleId)),
    );
  }
}

export default defineConfig({
  test: {
    include: ['tests/render/**/*.test.ts', 'tests/validate/**/*.test.ts'],
    exclude: ['tests/render/readers.test.ts'],
    sequence: { sequencer: UnitsFirst },
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
