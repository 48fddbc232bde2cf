import type { ChangedRow } from '../../src/validate/outputs-due.js';

/** The clock and the catalogue rows the tests of validate/outputs-due.ts and outputs-around.ts give. */
export const NOW = '2026-11-30T12:00:00Z';

export const row = (publishedAt: string, withdrawnAt: string | null = null): ChangedRow => ({
  id: `tag:x,2026:${publishedAt}`,
  publishedAt,
  withdrawn: withdrawnAt !== null,
  withdrawnAt,
});
