/** Whether a record dated `publishedAt` is still under embargo at `now` (both UTC seconds). */
export const isScheduled = (publishedAt: string, now: string): boolean => publishedAt > now;

/**
 * Where a live record stands for its readers, by the last publication rather than the clock:
 * `published` once a publication released it (dated at or before `released`, that
 * publication's clock: publish-state.ts, releasedUpTo), `due` when the clock has passed its
 * date but no build has released it yet (the next build, or the service's wake-up, does), and
 * `scheduled` while its date is still ahead. The one judgement of `status`, `check` and
 * `archive list|show|verify`: judged by the clock alone, `archive list` called a due record
 * "published" while `check` said the feeds were waiting for it (found by an outside try).
 */
export type Release = 'published' | 'due' | 'scheduled';

export const releaseOf = (publishedAt: string, now: string, released: string): Release =>
  !isScheduled(publishedAt, released)
    ? 'published'
    : isScheduled(publishedAt, now)
      ? 'scheduled'
      : 'due';
