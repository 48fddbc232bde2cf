import type { RecordEntry } from './catalogue.js';

/**
 * When the archive's content last changed: the newest updatedAt, withdrawnAt or restoredAt over
 * every record (not only the listed ones), or null for an empty archive. The feed date follows
 * it, so it never goes back: not when the newest entry is withdrawn, not when it comes back
 * (its withdrawnAt is cleared, its restoredAt is later), not when a recently revised entry
 * leaves the window. One pass over the catalogue's index rows. A record under embargo at
 * `now` (published after it) has not changed the feeds yet: it is left out, or a future date
 * (a 2062 typo) would freeze the feed date until then.
 */
export function lastChange(records: Iterable<RecordEntry>, now?: string): string | null {
  let last: string | null = null;
  for (const r of records) {
    if (now !== undefined && r.publishedAt > now) continue;
    if (last === null || r.updatedAt > last) last = r.updatedAt;
    if (r.withdrawnAt !== null && r.withdrawnAt > last) last = r.withdrawnAt;
    if (r.restoredAt !== undefined && r.restoredAt > last) last = r.restoredAt;
  }
  return last;
}
