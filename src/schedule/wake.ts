/**
 * The one-off wake-up for an embargo (pipeline/embargo.ts): node-cron ticks on its expression,
 * so an article due at 10:00:03 would wait for the 10:05 tick; the service also arms a timer
 * for the next due time: the last publication's, or one learned since from a changed stored
 * article (schedule/peek-articles.ts). Pure: the service brings the clock and the files.
 */

/** Node's setTimeout holds at most 2^31 - 1 ms (24.8 days); a longer wait wakes, then re-arms. */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A run started this long after the due second still sees it as due: the records' times are
 * whole seconds, the run compares with its clock floored to the second.
 */
export const AFTER_DUE_MS = 50;

/**
 * A due time already past that a build started at or after it did not release (another process
 * held the lock, or the gate refused): retry after this.
 */
export const RETRY_MS = 30_000;

/**
 * How long to wait before waking for `due` (UTC, whole seconds), or null when nothing is due.
 * `triedAtMs`: the clock of the service's last build as it started (null: none yet). A due time
 * already past that no build started at or after has not been tried: it passed while the build
 * that archived it ran, and is released at once, not a retry later (found under load: a build
 * that outlasted an embargo it had scheduled left it 30 s late).
 */
export function wakeDelay(
  due: string | null,
  nowMs: number,
  triedAtMs: number | null = null,
): number | null {
  if (due === null) return null;
  const at = Date.parse(due) + AFTER_DUE_MS;
  if (Number.isNaN(at)) return null;
  if (at > nowMs) return Math.min(at - nowMs, MAX_TIMER_MS);
  return triedAtMs !== null && triedAtMs >= Date.parse(due) ? RETRY_MS : 0;
}

/**
 * What a changed stored article says now (schedule/peek-articles.ts): dated as a build would
 * date it (the clock when it declares no date), gone (deleted, moved away, made a draft), or
 * unknown (unreadable, refused, too large: the build reports it, and a record it held keeps
 * its due time).
 */
export type Peeked =
  | { readonly kind: 'dated'; readonly publishedAt: string }
  | { readonly kind: 'gone' }
  | { readonly kind: 'unknown' };

/**
 * What the service learned of one stored article since the last build: when a build must run
 * for it, and which record under embargo (in the last publication) it replaces.
 */
export interface Learned {
  /** UTC whole seconds: its embargo's end, or null: nothing of it is released. */
  readonly due: string | null;
  /** The record under embargo this article was (its due time there is stale), or null. */
  readonly record: string | null;
}

/**
 * From what a changed article says to what the wake-up must know, or null: nothing (an article
 * dated in the past that held no embargo is an ordinary change, built at the next tick).
 * `record`: the record under embargo the last publication made from this article, if any;
 * `embargoed`: whether the article was under embargo until this change (such a record, or an
 * embargo learned since the last build of an article no build has archived yet).
 */
export function learned(
  peeked: Peeked,
  record: string | null,
  nowMs: number,
  embargoed = record !== null,
): Learned | null {
  if (peeked.kind === 'unknown') return null;
  if (peeked.kind === 'gone') return record === null ? null : { due: null, record };
  if (Date.parse(peeked.publishedAt) > nowMs) return { due: peeked.publishedAt, record };
  // An embargo lifted (its date removed, or moved to a time already past): released at once,
  // i.e. at the next whole second (a wake-up for a time already past is a retry, 30 s on).
  if (!embargoed) return null;
  return {
    due: new Date(Math.floor(nowMs / 1000) * 1000 + 1000).toISOString().replace('.000Z', 'Z'),
    record,
  };
}

/**
 * The next time a build must run for an embargo: the earliest of the last publication's
 * schedule (next due first) and what was learned since, where a record an article's change
 * replaced counts only by what was learned (moved later, it does not wake at the old time;
 * withdrawn, not at all).
 */
export function nextDue(
  scheduled: readonly { readonly record: string; readonly publishedAt: string }[] | undefined,
  since: Iterable<Learned>,
): string | null {
  const replaced = new Set<string>();
  let best: string | null = null;
  for (const l of since) {
    if (l.record !== null) replaced.add(l.record);
    if (l.due !== null && (best === null || l.due < best)) best = l.due;
  }
  const fromState = scheduled?.find((s) => !replaced.has(s.record))?.publishedAt ?? null;
  return fromState !== null && (best === null || fromState < best) ? fromState : best;
}
