import { issue, type Issue } from '../model/issue.js';

/**
 * A clock that went back (a virtual machine restored from a snapshot, NTP correcting a clock
 * that was ahead, a run under `faketime`): the last publication was made at a later time than
 * the run's, and released records whose date the clock has not reached again. Taken at its word,
 * the clock puts them back under embargo: items readers already have would vanish from the
 * feeds until it catches up, and `check` would call the published feeds wrong. So a build
 * publishes nothing while that lasts (the last good files stay; `--full` takes them back under
 * embargo on purpose), and `check` proves out/ at the clock it was published with.
 */
export interface ClockBehind {
  /** The clock of the last publication (publish state `clock`). */
  readonly clock: string;
  /** The records that clock released and this one does not, counted; the first by date. */
  readonly count: number;
  readonly first: { readonly record: string; readonly publishedAt: string };
  /** The latest of their dates: publishing resumes once the clock passes it. */
  readonly last: string;
}

/**
 * Null when `now` is not behind the last publication's clock, or nothing that publication
 * listed is under embargo by `now`. Only its listed records (`entries`) count: one archived
 * since, or one it held back (its `scheduled`), was never released by it.
 */
export function clockBehind(
  records: ReadonlyMap<
    string,
    {
      readonly publishedAt: string;
      readonly withdrawn: boolean;
      readonly withdrawnAt: string | null;
    }
  >,
  published: { readonly clock?: string; readonly entries: readonly string[] } | null,
  now: string,
): ClockBehind | null {
  const clock = published?.clock;
  if (published === null || clock === undefined || clock <= now) return null;
  let count = 0;
  let first: ClockBehind['first'] | undefined;
  let last = '';
  for (const record of published.entries) {
    const r = records.get(record);
    if (r === undefined || r.withdrawn || r.publishedAt <= now || r.publishedAt > clock) continue;
    count++;
    if (first === undefined || r.publishedAt < first.publishedAt)
      first = { record, publishedAt: r.publishedAt };
    if (r.publishedAt > last) last = r.publishedAt;
  }
  return first === undefined ? null : { clock, count, first, last };
}

/** What to do, for the refusal and the notice alike. */
const FIX_CLOCK =
  "Fix the system clock if it is wrong (timedatectl, NTP). If the earlier run's clock was wrong (a test under faketime), run feedkeeper build --full";

export function clockBehindIssue(b: ClockBehind, now: string, file: string, full: boolean): Issue {
  const what =
    b.count === 1
      ? `${b.first.record} (dated ${b.first.publishedAt})`
      : `${b.count} records (the first ${b.first.record}, dated ${b.first.publishedAt})`;
  return full
    ? issue(
        'CLOCK_BEHIND',
        'warning',
        file,
        `the clock says ${now}, behind the last publication's ${b.clock}: --full took ${what} back under embargo, out of the feeds until the clock reaches their dates (readers who fetched them keep them).`,
        'Nothing to do if the earlier clock was wrong. If this one is, fix it (timedatectl, NTP) and run feedkeeper build again.',
      )
    : issue(
        'CLOCK_BEHIND',
        'error',
        file,
        `the clock says ${now}, behind the last publication's ${b.clock}, which released ${what}: by this clock that is still under embargo, and publishing would take it out of the feeds readers have. Nothing is published (out/ keeps the last publication) until the clock passes ${b.last}.`,
        `${FIX_CLOCK} to take those records back under embargo.`,
      );
}

/**
 * A run with nothing to publish, whose clock is more than a minute behind the last
 * publication's: a warning, so that a cron job's output says so before an article is added
 * and refused (a few seconds, NTP slewing a clock, are not worth a word).
 */
export function clockBehindNotice(
  published: string | undefined,
  now: string,
  file: string,
): Issue[] {
  if (published === undefined || Date.parse(published) - Date.parse(now) <= 60_000) return [];
  return [
    issue(
      'CLOCK_BEHIND',
      'warning',
      file,
      `the clock says ${now}, behind the last publication's ${published}: nothing changed, so nothing was published; a run with something to publish is refused while records that publication released are under embargo by this clock.`,
      `${FIX_CLOCK}.`,
    ),
  ];
}
