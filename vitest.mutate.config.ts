import { defineConfig } from 'vitest/config';

// Used only by Stryker (`npm run mutate`): the fast in-process unit tests of the mutated
// folders, each rendering and verifying inside its own test so that Stryker can tie every
// mutant to the tests that reach it (perTest coverage) instead of running them all.
// Left out, measured: tests/render/readers.test.ts (the whole pipeline in a beforeAll, which
// made every render mutant "static"), tests/gate (12 s, the pipeline again, with render
// modules mocked) and tests/pipeline (selection, not render/validate). tests/render and
// tests/validate cover what they checked of src/render and src/validate, test by test.
export default defineConfig({
  test: {
    include: ['tests/render/**/*.test.ts', 'tests/validate/**/*.test.ts'],
    exclude: ['tests/render/readers.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
