import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { LockedRun } from '../../src/schedule/locked-run.js';
import { checkSchedule, startService, type Service } from '../../src/schedule/service.js';
import type { Project } from '../helpers.js';
import {
  articleName,
  cliLikeContext,
  filesUnder,
  lockPath,
  removeProjects,
  runLog,
  sleep,
  syntheticArticle,
  syntheticProject,
  waitFor,
} from './process-helpers.js';

afterAll(removeProjects);

type Seen = LockedRun | { kind: 'config-error' } | { kind: 'idle' };

const started: Service[] = [];
afterEach(async () => {
  for (const s of started.splice(0)) await s.stop();
});

function serve(p: Project, cron: string, seen: Seen[], onContext?: () => void): Service {
  const state = join(p.dir, '.feedkeeper');
  mkdirSync(state, { recursive: true });
  const service = startService(
    {
      cron,
      timezone: 'UTC',
      context: () => {
        onContext?.();
        return cliLikeContext(p);
      },
      onRun: (run) => seen.push(run),
      // These tests are about ticks that build (the lock, stop()): with the watch, a tick with
      // nothing changed would skip (tests/schedule/idle-tick.test.ts).
      watch: false,
    },
    state,
  );
  started.push(service);
  return service;
}

describe('startService (node-cron, per-second ticks so nothing waits minutes)', () => {
  it('runs once at start, then on every tick; each run appends one complete run-log line', async () => {
    const p = syntheticProject(5);
    const seen: Seen[] = [];
    const service = serve(p, '* * * * * *', seen);

    const first = await service.firstRun;
    expect(first?.kind).toBe('ran');
    if (first?.kind !== 'ran') return;
    expect(first.report.archive.added).toHaveLength(5);
    expect(first.log.outcome).toBe('ok');

    // The state file tells `status` who runs and when next.
    const state = JSON.parse(readFileSync(join(p.dir, '.feedkeeper', 'schedule.json'), 'utf8'));
    expect(state).toMatchObject({ pid: process.pid, cron: '* * * * * *', timezone: 'UTC' });
    const next = service.nextRun();
    expect(next).toBeInstanceOf(Date);
    expect(next!.getTime()).toBeGreaterThan(Date.now() - 1000);
    expect(next!.getTime()).toBeLessThanOrEqual(Date.now() + 1500);

    // A new article between ticks is picked up by a tick (no restart).
    p.write(articleName(5), syntheticArticle(5), 600);
    await waitFor(
      () => runLog(p).filter((l) => l.outcome !== 'skipped').length >= 3,
      'two ticks after the first run',
      20_000,
    );
    const lines = runLog(p);
    for (const l of lines) {
      expect(Object.keys(l)).toEqual(
        expect.arrayContaining([
          'start',
          'end',
          'durationMs',
          'command',
          'outcome',
          'counts',
          'written',
          'problems',
        ]),
      );
      expect(l.command).toBe('schedule');
      expect(Date.parse(l.end) - Date.parse(l.start)).toBe(l.durationMs);
      expect(Array.isArray(l.written) && Array.isArray(l.problems)).toBe(true);
    }
    // A tick that fires while the start-up run still holds the lock (a slow machine) is logged
    // as skipped; every other line is a run.
    const ran = lines.filter((l) => l.outcome !== 'skipped');
    expect(ran[0]).toMatchObject({ outcome: 'ok', counts: { added: 5, unchanged: 0 } });
    expect(ran[0]!.written).toContain('out/rss.xml');
    const picked = lines.find((l) => l.counts['added'] === 1);
    expect(picked, JSON.stringify(lines)).toMatchObject({ outcome: 'ok' });
    expect(picked!.counts['unchanged']).toBe(5);
    expect(picked!.written.some((w) => w.startsWith('archive/records/'))).toBe(true);
    expect(seen.filter((s) => s.kind === 'ran').length).toBeGreaterThanOrEqual(3);

    await service.stop();
    expect(existsSync(lockPath(p))).toBe(false);
    expect(existsSync(join(p.dir, '.feedkeeper', 'schedule.json'))).toBe(false);
    const stoppedAt = runLog(p).length;
    await sleep(1500); // a tick would come in this time: none may now
    expect(runLog(p).length).toBe(stoppedAt);
  });

  it('stop() stops taking ticks and waits for the run in progress', async () => {
    const p = syntheticProject(3);
    const seen: Seen[] = [];
    let contexts = 0;
    let stopping: Promise<void> | null = null;
    const stoppedAfter: number[] = [];
    const service = serve(p, '* * * * * *', seen, () => {
      contexts++;
      // The second tick asks to stop just as its run begins.
      if (contexts === 3) {
        p.write(articleName(3), syntheticArticle(3), 600);
        stopping = service.stop().then(() => {
          stoppedAfter.push(runLog(p).length);
        });
      }
    });
    await service.firstRun;
    await waitFor(() => stopping !== null, 'the second tick', 20_000);
    await stopping;
    // The run that was in progress finished and logged before stop() resolved.
    expect(stoppedAfter).toEqual([3]);
    const last = runLog(p)[2]!;
    expect(last).toMatchObject({ outcome: 'ok', command: 'schedule', counts: { added: 1 } });
    expect(existsSync(lockPath(p))).toBe(false);
    expect(existsSync(join(p.dir, '.feedkeeper', 'schedule.json'))).toBe(false);
    await sleep(1500);
    expect(runLog(p)).toHaveLength(3);
    expect(contexts).toBe(3);
  });

  it('a tick that finds the lock held by another run is logged as skipped and changes nothing', async () => {
    const p = syntheticProject(2);
    const seen: Seen[] = [];
    const service = serve(p, '* * * * * *', seen);
    await service.firstRun;
    // Hold the lock as if a `feedkeeper build` from cron were running (an owner that is alive:
    // this very process, so tryLock refuses it).
    const { tryLock } = await import('../../src/schedule/lock.js');
    const held = tryLock(lockPath(p), 'build');
    expect(held.ok).toBe(true);
    try {
      await waitFor(() => seen.some((s) => s.kind === 'skipped'), 'a skipped tick', 20_000);
    } finally {
      if (held.ok) held.release();
    }
    const skipped = runLog(p).find((l) => l.outcome === 'skipped');
    expect(skipped?.error).toContain(`pid ${process.pid}`);
    expect(skipped?.written).toEqual([]);
  });
});

describe('checkSchedule', () => {
  it('accepts five and six field expressions and IANA zones', () => {
    expect(checkSchedule('*/5 * * * *', 'UTC')).toBeNull();
    expect(checkSchedule('* * * * * *', 'Europe/Bucharest')).toBeNull();
    expect(checkSchedule('0 0 1 1 *', 'America/New_York')).toBeNull();
  });

  it('names schedule.cron and the bad field for a bad expression', () => {
    const wrongCount = checkSchedule('not cron', 'UTC');
    expect(wrongCount).toHaveLength(1);
    expect(wrongCount![0]).toMatch(/^schedule\.cron: "not cron" is not a valid cron expression/);
    expect(wrongCount![0]).toContain('expected 5 or 6 fields but got 2');
    const badMinute = checkSchedule('61 * * * *', 'UTC');
    expect(badMinute![0]).toContain('schedule.cron');
    expect(badMinute![0]).toContain('minute "61"');
    expect(checkSchedule('0 0 31 2 *', 'UTC')![0]).toContain('impossible day of month');
    expect(checkSchedule('', 'UTC')![0]).toContain('schedule.cron');
  });

  it('names schedule.timezone for a zone that does not exist, and reports both problems at once', () => {
    const zone = checkSchedule('*/5 * * * *', 'Mars/Olympus_Mons');
    expect(zone).toEqual([
      expect.stringMatching(/^schedule\.timezone: "Mars\/Olympus_Mons" is not/),
    ]);
    const both = checkSchedule('nope', 'Nowhere/Else');
    expect(both).toHaveLength(2);
    expect(both![0]).toContain('schedule.cron');
    expect(both![1]).toContain('schedule.timezone');
  });
});

describe('feedkeeper schedule with a bad schedule', () => {
  it('--cron "not cron" exits 2, names schedule.cron, and writes nothing', () => {
    const p = syntheticProject(2);
    const before = filesUnder(p.dir);
    const r = p.cli('schedule', '--cron', 'not cron');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('schedule.cron: "not cron" is not a valid cron expression');
    expect(r.stderr).toContain('nothing was started');
    expect(r.stdout).toBe('');
    expect(filesUnder(p.dir)).toEqual(before);
    expect(existsSync(join(p.dir, '.feedkeeper'))).toBe(false);
    expect(existsSync(join(p.dir, 'out'))).toBe(false);
  });

  it('--tz with an unknown zone exits 2 naming schedule.timezone; so does a bad cron in the configuration file', () => {
    const p = syntheticProject(1);
    const before = filesUnder(p.dir);
    const tz = p.cli('schedule', '--tz', 'Mars/Olympus_Mons');
    expect(tz.status).toBe(2);
    expect(tz.stderr).toContain('schedule.timezone: "Mars/Olympus_Mons"');
    expect(filesUnder(p.dir)).toEqual(before);

    p.config({
      ...JSON.parse(p.read('feedkeeper.config.json')),
      schedule: { cron: '*/0 * * * *' },
    });
    const inFile = p.cli('schedule');
    expect(inFile.status).toBe(2);
    expect(inFile.stderr).toContain('schedule.cron: "*/0 * * * *"');
    expect(existsSync(join(p.dir, '.feedkeeper'))).toBe(false);
  });
});
