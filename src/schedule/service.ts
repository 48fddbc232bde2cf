import cron from 'node-cron';
import { writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../config/load-config.js';
import type { RunContext } from '../pipeline/context.js';
import { nextDueOf } from '../pipeline/embargo.js';
import { loadPublishState } from '../pipeline/publish-state.js';
import { lockedRun, type LockedRun } from './locked-run.js';
import { wakeDelay } from './wake.js';

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
}

export interface ServiceOptions {
  readonly cron: string;
  readonly timezone: string;
  /** Read the configuration again for each run, so edits apply without a restart. */
  readonly context: () => RunContext;
  readonly onRun: (run: LockedRun | { kind: 'config-error'; error: ConfigError }) => void;
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
    problems.push(
      `schedule.timezone: "${timezone}" is not an IANA time zone; write e.g. "UTC" or "Europe/Bucharest".`,
    );
  }
  return problems.length > 0 ? problems : null;
}

export function startService(opts: ServiceOptions, stateDir: string): Service {
  let current: Promise<unknown> | null = null;
  let stopping = false;
  /** The embargo wake-up (schedule/wake.ts): its timer and when it fires. */
  let wake: { timer: NodeJS.Timeout; at: Date } | null = null;
  const runNow = async (waitMs = 0): Promise<LockedRun | null> => {
    if (stopping) return null;
    let ctx: RunContext;
    try {
      ctx = opts.context();
    } catch (error) {
      if (error instanceof ConfigError) {
        opts.onRun({ kind: 'config-error', error });
        return null;
      }
      throw error;
    }
    const run = lockedRun(ctx, 'schedule', { dryRun: false, waitMs });
    current = run;
    try {
      const done = await run;
      armWake(); // before onRun, which tells when the next run is
      opts.onRun(done);
      return done;
    } finally {
      current = null;
      if (wake === null) armWake();
      writeState();
    }
  };
  /**
   * After every run: wake at the next due time the last publication recorded. A wake-up waits
   * for a run in progress here, and up to 30 s for another process's lock (a `build` started
   * before the due time would not release it).
   */
  const armWake = (): void => {
    if (wake) clearTimeout(wake.timer);
    wake = null;
    if (stopping) return;
    const due = nextDueOf(loadPublishState(stateDir)?.scheduled);
    // One reading of the clock: the wake-up's time is due + the margin, whatever the load (a
    // second Date.now() below once put it a millisecond later than the log promised).
    const now = Date.now();
    const delay = wakeDelay(due, now);
    if (delay === null) return;
    const timer = setTimeout(() => {
      wake = null;
      if (due !== null && Date.now() < Date.parse(due)) return armWake(); // a capped wait
      void (async () => {
        if (current) {
          await current.catch(() => null);
          // That run may have released it already (and re-armed for the next one).
          const still = nextDueOf(loadPublishState(stateDir)?.scheduled);
          if (still === null || Date.parse(still) > Date.now()) return;
        }
        if (current === null) await runNow(30_000);
      })();
    }, delay);
    wake = { timer, at: new Date(now + delay) };
  };
  const nextRun = (): Date | null => {
    const tick = task.getNextRun();
    return wake !== null && (tick === null || wake.at < tick) ? wake.at : tick;
  };
  // A tick while a wake-up's run is in progress is covered by it.
  const task = cron.schedule(opts.cron, () => (current === null ? runNow() : undefined), {
    timezone: opts.timezone,
    noOverlap: true,
    name: 'feedkeeper',
  });
  const stateFile = join(stateDir, 'schedule.json');
  const writeState = (): void => {
    if (stopping) return;
    const next = nextRun();
    writeFileSync(
      stateFile,
      `${JSON.stringify({ pid: process.pid, cron: opts.cron, timezone: opts.timezone, nextRun: next?.toISOString() ?? null })}\n`,
    );
  };
  writeState();
  const firstRun = runNow();
  return {
    firstRun,
    nextRun,
    stop: async () => {
      stopping = true;
      if (wake) clearTimeout(wake.timer);
      await task.stop();
      await firstRun.catch(() => null);
      if (current) await current.catch(() => null);
      await task.destroy();
      rmSync(stateFile, { force: true });
    },
  };
}
