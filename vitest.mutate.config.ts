import { defineConfig } from 'vitest/config';

// Used only by Stryker (`npm run mutate`): the fast in-process unit tests for the
// mutated folders. Tests that spawn the compiled CLI from dist/ are left out: they
// would not see the mutated sources and take about 90 s.
export default defineConfig({
  test: {
    include: [
      'tests/render/**/*.test.ts',
      'tests/validate/**/*.test.ts',
      'tests/gate/**/*.test.ts',
      'tests/pipeline/**/*.test.ts',
    ],
    testTimeout: 30_000,
    hookTimeout: 30_000,
  },
});
