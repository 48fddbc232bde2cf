/**
 * Must this tick of `feedkeeper schedule` build? Pure: the service (schedule/service.ts) brings
 * the clock, the configuration and what its folder watch (io/watch-folders.ts) counted.
 *
 * A tick skips the build only when everything a build depends on is known unchanged since the
 * last build that completed: the stored articles, the records and out/ (watched), the
 * configuration and feedkeeper's version (compared), and the clock (only embargoes read it:
 * the due time the last publication recorded). Anything doubtful builds; the build is the scan
 * it always was, so a build too many costs time, a skip too many would cost a lost update.
 */

/** A full build at least this often, whatever the watch says: see SAFETY_NET_WHY. */
export const SAFETY_NET_MS = 60 * 60 * 1000;

/**
 * Why the hourly build: what a watch cannot see. A file system that sends no events for some
 * changes (NFS, a FUSE or network mount: changes made on another machine), a hand edit of a
 * record or an out/ file made while the service's own build ran (those events are taken for
 * the build's own writes), a change to the state folder (not watched: the service writes it
 * itself). An hour bounds how long such a change waits, at the cost of one build an hour.
 */
export const SAFETY_NET_WHY = 'the hourly build, for what a watch cannot see';

/**
 * inotify keeps at most fs.inotify.max_queued_events (16,384 by default) events waiting; past
 * that it drops them, and libuv drops the overflow notice too (an event with wd -1 matches no
 * watcher), so an overflow cannot be seen. It can only happen with that many events waiting,
 * all delivered afterwards: this many events since the last build (a quarter of the default,
 * for a lower limit) and the watch may have missed a new folder, so it is started again (a
 * fresh walk) before the build.
 */
export const STORM_EVENTS = 4096;

/** What the last completed build left (null before the first, or after a run that failed or was skipped). */
export interface LastBuild {
  /** When it started (ms since the epoch). */
  readonly at: number;
  /** The watch's counters when it started: events after this point belong to the next tick. */
  readonly changes: number;
  readonly events: number;
  /** The configuration and version it ran with (any difference builds). */
  readonly configKey: string;
  /**
   * The next embargo's due time its publication recorded, or the next front-matter update it
   * passed over as ahead of its clock, whichever comes first (UTC, whole seconds), or null.
   */
  readonly due: string | null;
}

export interface TickFacts {
  readonly now: number;
  readonly lastBuild: LastBuild | null;
  /** null when watching is off (`schedule --no-watch`). */
  readonly watch: {
    /** Why the watch cannot be trusted (it is started again before the build), or null. */
    readonly problem: string | null;
    /** Events that count as changes (the service leaves out its own build's writes). */
    readonly changes: number;
    /** Every event, its own build's included. */
    readonly events: number;
  } | null;
  readonly configKey: string;
}

export type TickDecision =
  | { readonly build: true; readonly why: string; readonly rewatch: boolean }
  | { readonly build: false; readonly why: string };

export function decideTick(f: TickFacts): TickDecision {
  const build = (why: string, rewatch = false): TickDecision => ({ build: true, why, rewatch });
  if (f.watch === null) return build('watching is off (--no-watch)');
  if (f.watch.problem !== null)
    return build(`the watch cannot be trusted: ${f.watch.problem}`, true);
  const last = f.lastBuild;
  if (last === null)
    return build('no run has completed since the service started, or the last one did not');
  if (f.watch.events - last.events >= STORM_EVENTS)
    return build(
      `${f.watch.events - last.events} events since the last run: the watch may have lost some`,
      true,
    );
  if (f.now < last.at) return build('the clock went back since the last run');
  const changes = f.watch.changes - last.changes;
  if (changes > 0)
    return build(`${changes} change${changes === 1 ? '' : 's'} in the watched folders`);
  if (f.configKey !== last.configKey) return build('the configuration or feedkeeper changed');
  if (last.due !== null && Date.parse(last.due) <= f.now)
    return build(`an embargo or a declared update came due at ${last.due}`);
  if (f.now - last.at >= SAFETY_NET_MS) return build(SAFETY_NET_WHY);
  return {
    build: false,
    why: `nothing changed since the run at ${new Date(last.at).toISOString()}`,
  };
}
