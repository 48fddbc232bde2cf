import type { RecordEntry } from './catalogue.js';

/**
 * When the archive's content last changed: the newest updatedAt or withdrawnAt over every
 * record (not only the listed ones), or null for an empty archive. The feed date follows it,
 * so it never goes back: not when the newest entry is withdrawn, not when a recently revised
 * entry leaves the window. One pass over the catalogue's index rows.
 */
export function lastChange(records: Iterable<RecordEntry>): string | null {
  let last: string | null = null;
  for (const r of records) {
    if (last === null || r.updatedAt > last) last = r.updatedAt;
    if (r.withdrawnAt !== null && r.withdrawnAt > last) last = r.withdrawnAt;
  }
  return last;
}
