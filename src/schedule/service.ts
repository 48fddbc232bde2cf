import { serviceFile } from './running-service.js';
import cron from 'node-cron';
import { writeFileSync, rmSync } from 'node:fs';
import { ConfigError } from '../config/load-config.js';
import type { RunContext } from '../pipeline/context.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { nextDueOf } from '../pipeline/embargo.js';
import { loadPublishState } from '../pipeline/publish-state.js';
import { watchFolders, type FolderWatch } from '../io/watch-folders.js';
import { lockedRun, type LockedRun } from './locked-run.js';
import { tryAppendRunLog, type RunLogLine } from './run-log.js';
import { didYouMeanText } from '../model/did-you-mean.js';
import { procStart } from './lock.js';
import { newRunMemory, type RunMemory } from '../pipeline/run-memory.js';
import { decideTick, type LastBuild } from './tick-decision.js';
import {
  AFTER_DUE_MS,
  learned as learnedOf,
  MAX_TIMER_MS,
  nextDue,
  wakeDelay,
  type Learned,
} from './wake.js';

/**
 * The adapter for `node-cron` (v4). What node-cron leaves to us (DESIGN.md section 5): it does
 * not replay missed ticks (so we run once at start), its noOverlap guards only its own ticks
 * (so every run takes the shared lock), and it installs no signal handlers (the CLI calls
 * stop() on SIGTERM / SIGINT: no new ticks, the current run finishes, then we exit).
 */
export interface Service {
  /** Stop taking ticks and wait for the run in progress, if any. */
  stop(): Promise<void>;
  nextRun(): Date | null;
  /** Resolves when the run started at launch is done (tests wait on it). */
  readonly firstRun: Promise<LockedRun | null>;
  /**
   * A tick now, as node-cron would start one (after the one in progress, if any): it builds or
   * skips (tests and `npm run bench` drive the service with it). Null when stopping or when the
   * configuration is invalid.
   */
  tickNow(): Promise<LockedRun | IdleTick | null>;
}

/** A tick that skipped the build: nothing it depends on changed (schedule/tick-decision.ts). */
export interface IdleTick {
  readonly kind: 'idle';
  readonly why: string;
}

export interface ServiceOptions {
  readonly cron: string;
  readonly timezone: string;
  /** Read the configuration again for each run, so edits apply without a restart. */
  readonly context: () => RunContext;
  /** Told of each tick: its build's outcome (and why it built), or why it skipped the build. */
  readonly onRun: (
    run: LockedRun | { kind: 'config-error'; error: ConfigError } | IdleTick,
    why?: string,
  ) => void;
  /**
   * Watch the articles, records and out/ folders so that a tick with nothing changed skips the
   * build, and an embargo set or moved between builds wakes the service at its time (default
   * true). false: every tick builds, and an embargo is learned by a build only (`schedule
   * --no-watch`, for a file system that sends no events, e.g. a network mount written from
   * another machine).
   */
  readonly watch?: boolean;
  /** What the runs keep between them (tests look at it); default: a memory of its own. */
  readonly memory?: RunMemory;
  /** More changed articles at once than this and the service builds instead of reading each (PEEK_MAX; tests lower it). */
  readonly peekMax?: number;
}

/** A clear message for a bad cron expression or time zone, or null if both are fine. */
export function checkSchedule(expression: string, timezone: string): string[] | null {
  const problems: string[] = [];
  const v = cron.validateDetailed(expression);
  if (!v.valid) {
    const fields = v.errors
      .map((e) => `${e.field} ${e.value !== undefined ? `"${e.value}"` : ''}: ${e.message}`)
      .join('; ');
    problems.push(
      `schedule.cron: "${expression}" is not a valid cron expression (${fields || 'wrong number of fields'}); write five fields (six with seconds first), e.g. "*/5 * * * *" for every five minutes.`,
    );
  }
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    // A misspelt zone gets the closest one, as a mistyped command does (model/did-you-mean.ts).
    const zones = ['UTC', ...Intl.supportedValuesOf('timeZone')];
    problems.push(
      `schedule.timezone: "${timezone}" is not an IANA time zone${didYouMeanText(timezone, zones, '; write e.g. "UTC" or "Europe/Bucharest".')}`,
    );
  }
  return problems.length > 0 ? problems : null;
}

/**
 * Resolves after the event loop has polled for I/O at least once: fs.watch events the kernel
 * queued before the call have then been delivered. One setImmediate is not enough: called
 * from a callback of the poll phase (a build's last file operation), it runs in the check
 * phase that follows, before the next poll.
 */
const pollPhase = (): Promise<void> =>
  new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/**
 * How long after a stored article's first event the service reads what changed (an editor's
 * save is several events; a file still being written is read again after its last event).
 */
export const PEEK_DELAY_MS = 100;

/**
 * More changed articles than this at once (an import, a folder moved in) are not read one by
 * one by the service: it builds at once instead, which reads them anyway and learns every
 * embargo among them.
 */
export const PEEK_MAX = 500;

export function startService(opts: ServiceOptions, stateDir: string): Service {
  /** The tick in progress (its build, if it builds): one at a time. */
  let current: Promise<LockedRun | IdleTick | null> | null = null;
  let stopping = false;
  /** The embargo wake-up (schedule/wake.ts): its timer and when it fires. */
  let wake: { timer: NodeJS.Timeout; at: Date } | null = null;
  // The watch and what it counted (schedule/tick-decision.ts). Events in records/ and out/
  // during our own build are its writes: they are not changes (hand edits made meanwhile wait
  // for the hourly build). Events in the articles folder always are.
  let watching: { watch: FolderWatch; roots: string } | null = null;
  let changes = 0;
  let events = 0;
  let ownBuild = false;
  let lastBuild: LastBuild | null = null;
  /**
   * The clock of the last build as it started (the run's clock, what it judges embargoes by): a
   * due time at or before it was tried by that build; one after it passed while it ran.
   */
  let triedAt: number | null = null;
  /** The next front-matter update the last build passed over as ahead of its clock, or null. */
  let updatesDue: string | null = null;
  /** What its runs keep between them (pipeline/run-memory.ts): one service, one memory. */
  const memory: RunMemory = opts.memory ?? newRunMemory();
  /** The configuration of the last tick: what the stored articles are read with between ticks. */
  let lastConfig: ResolvedConfig | null = null;
  // What the service learned of changed stored articles since the last build (schedule/wake.ts),
  // by article path, each with the order it was learned in: a build that started later has
  // seen it, and its publication says it now.
  const learned = new Map<string, Learned & { readonly seq: number }>();
  let learnedSeq = 0;
  /** Changed paths in the articles folder not read yet, and the timer that reads them. */
  const changedArticles = new Set<string>();
  let peekTimer: NodeJS.Timeout | null = null;
  const startWatch = (roots: readonly string[]): void => {
    watching?.watch.close();
    watching = {
      roots: roots.join('\0'),
      watch: watchFolders(roots, (root, path) => {
        events++;
        if (root === 0 || !ownBuild) changes++;
        if (root === 0) {
          changedArticles.add(path);
          // A read that fails learns nothing: the next tick builds as it always did.
          peekTimer ??= setTimeout(() => void peek().catch(() => undefined), PEEK_DELAY_MS);
        }
      }),
    };
  };
  /**
   * Read what changed in the articles folder and re-arm the wake-up to the earliest embargo now
   * pending: an embargo set or moved after the last build is released at its time, not at the
   * next tick that would build (schedule/peek-articles.ts).
   */
  const peek = async (): Promise<void> => {
    peekTimer = null;
    const paths = [...changedArticles];
    changedArticles.clear();
    const config = lastConfig;
    if (stopping || config === null || paths.length === 0) return;
    const { listChanged, peekArticle, inputsOfScheduled, articleNameOf } =
      await import('./peek-articles.js');
    if (stopping) return;
    const now = Date.now();
    const listed = paths.map((abs) => ({ abs, articles: listChanged(config, abs) }));
    if (listed.reduce((n, l) => n + (l.articles?.length ?? 0), 0) > (opts.peekMax ?? PEEK_MAX)) {
      // The build reads them anyway (and it is due at the next tick: they count as changes).
      if (current === null) void tick();
      return;
    }
    const scheduled = loadPublishState(config.paths.state)?.scheduled ?? [];
    const inputs =
      scheduled.length > 0
        ? inputsOfScheduled(config.paths.records, scheduled)
        : new Map<string, string>();
    const learn = (path: string, what: Learned | null): void => {
      if (what === null) learned.delete(path);
      else learned.set(path, { ...what, seq: ++learnedSeq });
    };
    // An embargoed article gone in this batch may be one of the new files of this batch, renamed
    // (`mv`, then its date removed: found by an outside try, released only by the next tick).
    let embargoGone = false;
    for (const { abs, articles } of listed) {
      if (articles !== null) continue;
      const name = articleNameOf(config, abs);
      // Gone, with whatever was under it (a folder moved away): the records it held are
      // withdrawn by the next build, and nothing of them is released.
      const under = (p: string): boolean => p === name || p.startsWith(`${name}/`);
      for (const p of [...learned.keys()]) if (under(p)) learned.delete(p);
      for (const [input, record] of inputs)
        if (under(input)) {
          learn(input, learnedOf({ kind: 'gone' }, record, now));
          embargoGone = true;
        }
    }
    for (const { articles } of listed)
      for (const a of articles ?? []) {
        const record = inputs.get(a.path) ?? null;
        // A new file dated now or before, beside an embargoed one gone: it may be that article,
        // its embargo lifted in the same step; a build finds out (at worst, one for nothing).
        const embargoed =
          record !== null || (learned.get(a.path)?.due ?? null) !== null || embargoGone;
        learn(a.path, learnedOf(peekArticle(config, a, now), record, now, embargoed));
      }
    if (stopping) return;
    armWake();
    writeState();
  };
  const tick = (waitMs = 0): Promise<LockedRun | IdleTick | null> => {
    const t = runNow(waitMs).finally(() => {
      current = null;
    });
    current = t;
    return t;
  };
  const runNow = async (waitMs: number): Promise<LockedRun | IdleTick | null> => {
    if (stopping) return null;
    let ctx: RunContext;
    try {
      ctx = { ...opts.context(), memory };
    } catch (error) {
      if (error instanceof ConfigError) {
        lastBuild = null;
        // In the run log too: `status` reads the last run there, and a service refusing every
        // tick (an invalid configuration, a paths.out moved under `schedule --serve`) read as
        // "last run: ok" with exit 0 (found by an outside try).
        tryAppendRunLog(stateDir, refusedRun(error));
        opts.onRun({ kind: 'config-error', error });
        return null;
      }
      throw error;
    }
    lastConfig = ctx.config;
    const { articles, records, out } = ctx.config.paths;
    const configKey = JSON.stringify([ctx.config.config, ctx.config.paths, ctx.version]);
    // The events the kernel already queued (a file saved just before the tick) arrive first.
    // (A stop() meanwhile lets this tick finish, as it would a tick that had started building.)
    if (opts.watch !== false) await pollPhase();
    const roots = [articles, records, out];
    // A watch that cannot be trusted is replaced at once (a fresh walk of the folders), and
    // this tick builds: what happened before the new watch started is unknown.
    let problem: string | null = null;
    if (opts.watch !== false) {
      problem =
        watching === null
          ? 'it starts with the service'
          : watching.roots !== roots.join('\0')
            ? 'the configured folders changed'
            : watching.watch.problem();
      if (problem !== null) startWatch(roots);
    }
    const decision = decideTick({
      now: Date.now(),
      lastBuild,
      watch: watching === null ? null : { problem, changes, events },
      configKey,
    });
    if (!decision.build) {
      // No article changed since the last build started: what was learned it has seen.
      if (learned.size > 0) {
        learned.clear();
        armWake();
      }
      const idle: IdleTick = { kind: 'idle', why: decision.why };
      opts.onRun(idle);
      writeState();
      return idle;
    }
    if (decision.rewatch && problem === null) startWatch(roots);
    // The point the next tick compares with is taken before the build: a change made while it
    // runs may be missed by its scan, so it counts for the next tick.
    const mark = { at: Date.now(), changes, events };
    const markSeq = learnedSeq;
    triedAt = ctx.now().getTime();
    ownBuild = true;
    try {
      const done = await lockedRun(ctx, 'schedule', { dryRun: false, waitMs });
      // Our own writes' events are queued by now: let them arrive while they are still ours.
      if (opts.watch !== false) await pollPhase();
      watching?.watch.adoptNewRoots(); // records/ and out/ made by the first build
      // A declared update ahead of the clock is taken by the first run at or after it, like an
      // embargo released (archive/merge-record.ts): the service wakes up for it too.
      if (done.kind === 'ran' && done.log.outcome !== 'failed')
        updatesDue = done.report.archive.updatesAhead[0]?.updatedAt ?? null;
      lastBuild =
        done.kind === 'ran' && done.log.outcome !== 'failed'
          ? {
              ...mark,
              configKey,
              due: earlierOf(nextDueOf(loadPublishState(stateDir)?.scheduled), updatesDue),
            }
          : null;
      // Its publication says what it learned; what was read after it started still counts.
      if (lastBuild !== null)
        for (const [path, l] of learned) if (l.seq <= markSeq) learned.delete(path);
      armWake(); // before onRun, which tells when the next run is
      opts.onRun(done, decision.why);
      return done;
    } finally {
      ownBuild = false;
      if (wake === null) armWake();
      writeState();
    }
  };
  /** The next embargo's end: the last publication's schedule, and what was learned since. */
  const pendingDue = (): string | null =>
    earlierOf(nextDue(loadPublishState(stateDir)?.scheduled, learned.values()), updatesDue);
  /**
   * After every run, and whenever a changed article was read: wake at the next due time. A
   * wake-up waits for a run in progress here, and up to 30 s for another process's lock (a
   * `build` started before the due time would not release it).
   */
  const armWake = (): void => {
    if (wake) clearTimeout(wake.timer);
    wake = null;
    if (stopping) return;
    const due = pendingDue();
    // One reading of the clock: the wake-up's time is due + the margin, whatever the load (a
    // second Date.now() below once put it a millisecond later than the log promised).
    const now = Date.now();
    const delay = wakeDelay(due, now, triedAt);
    if (delay === null) return;
    const timer = setTimeout(() => {
      wake = null;
      if (due !== null && Date.now() < Date.parse(due)) return armWake(); // a capped wait
      void (async () => {
        if (current) {
          await current.catch(() => null);
          // That run may have released it already (and re-armed for the next one).
          const still = pendingDue();
          if (still === null || Date.parse(still) > Date.now()) return;
        }
        if (current === null) await tick(30_000);
      })();
    }, delay);
    // When the wait is capped (an embargo more than 24.8 days ahead), the run is still at the
    // due time: that is what nextRun() announces, not the timer's re-arming (an outside try
    // saw "next run at" a time when nothing was due).
    const capped = delay === MAX_TIMER_MS && due !== null;
    wake = { timer, at: new Date(capped ? Date.parse(due) + AFTER_DUE_MS : now + delay) };
  };
  const nextRun = (): Date | null => {
    const tick = task.getNextRun();
    return wake !== null && (tick === null || wake.at < tick) ? wake.at : tick;
  };
  // A tick while a wake-up's run is in progress is covered by it.
  const task = cron.schedule(opts.cron, () => (current === null ? tick() : undefined), {
    timezone: opts.timezone,
    noOverlap: true,
    name: 'feedkeeper',
  });
  const stateFile = serviceFile(stateDir);
  // Its start time tells this process from a later one given the same pid (running-service.ts).
  const started = procStart(process.pid);
  const writeState = (): void => {
    if (stopping) return;
    const next = nextRun();
    writeFileSync(
      stateFile,
      `${JSON.stringify({ pid: process.pid, procStart: started, cron: opts.cron, timezone: opts.timezone, nextRun: next?.toISOString() ?? null })}\n`,
    );
  };
  writeState();
  // The first tick always builds (no run has completed yet).
  const firstRun = tick().then((r) => (r?.kind === 'idle' ? null : r));
  return {
    firstRun,
    nextRun,
    tickNow: async () => {
      while (current) await current.catch(() => null);
      return tick();
    },
    stop: async () => {
      stopping = true;
      if (wake) clearTimeout(wake.timer);
      if (peekTimer) clearTimeout(peekTimer);
      await task.stop();
      await firstRun.catch(() => null);
      if (current) await current.catch(() => null);
      await task.destroy();
      watching?.watch.close();
      rmSync(stateFile, { force: true });
    },
  };
}

/** The earlier of two UTC instants (ISO strings compare as times), either may be null. */
const earlierOf = (a: string | null, b: string | null): string | null =>
  a === null ? b : b === null || a <= b ? a : b;

/** The run-log line of a tick refused before it started: what, why and the hint, as one line. */
function refusedRun(error: ConfigError): RunLogLine {
  const now = new Date().toISOString();
  return {
    start: now,
    end: now,
    durationMs: 0,
    command: 'schedule',
    outcome: 'failed',
    counts: {},
    filesWritten: 0,
    written: [],
    problems: [],
    error: `refused: ${error.lines.join(' ')}`,
  };
}
