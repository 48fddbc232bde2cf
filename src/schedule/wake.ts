/**
 * The one-off wake-up for an embargo (pipeline/embargo.ts): node-cron ticks on its expression,
 * so an article due at 10:00:03 would wait for the 10:05 tick; the service also arms a timer
 * for the next due time the last publication recorded. Pure: the service brings the clock.
 */

/** Node's setTimeout holds at most 2^31 - 1 ms (24.8 days); a longer wait wakes, then re-arms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A run started this long after the due second still sees it as due: the records' times are
 * whole seconds, the run compares with its clock floored to the second.
 */
export const AFTER_DUE_MS = 50;

/** A due time already past (another process held the lock, or the gate refused): retry after. */
export const RETRY_MS = 30_000;

/** How long to wait before waking for `due` (UTC, whole seconds), or null when nothing is due. */
export function wakeDelay(due: string | null, nowMs: number): number | null {
  if (due === null) return null;
  const at = Date.parse(due) + AFTER_DUE_MS;
  if (Number.isNaN(at)) return null;
  return at <= nowMs ? RETRY_MS : Math.min(at - nowMs, MAX_TIMER_MS);
}
