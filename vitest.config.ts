import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Process-level tests (CLI, lock, signals) spawn real Node processes: give them room.
    testTimeout: 30_000,
    hookTimeout: 30_000,
    pool: 'forks',
    // The gate runs html-validate once per page shape (validate/page-proof.ts); in the tests it
    // also runs on every page the tests produce (the CLI children inherit this).
    env: { FEEDKEEPER_VALIDATE_EVERY_PAGE: '1' },
  },
});
