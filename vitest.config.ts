import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Process-level tests (CLI, lock, signals) spawn real Node processes: give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // Two files at a time, not vitest's default of cores - 1 (one, on CI's 2 cores): many
    // tests wait on child processes, locks and timers (stale-lock alone sleeps most of its
    // minute), and another file's work fills that time. They pass under far heavier load.
    maxWorkers: 2,
    // The gate runs html-validate once per page shape (validate/page-proof.ts); in the tests it
    // also runs on every page the tests produce (the CLI children inherit this).
    env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '1' },
  },
});
