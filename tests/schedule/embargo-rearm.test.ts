import { mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startService } from '../../src/schedule/service.js';
import { AFTER_DUE_MS } from '../../src/schedule/wake.js';
import { readVersion } from '../../src/version.js';
import type { Project } from '../helpers.js';
import {
  articleName,
  noteStartTook,
  scheduleWithEmbargo,
  slowestStartMs,
  startSchedule,
  syntheticArticle,
  type Running,
  removeProjects,
  runLog,
  sleep,
  syntheticProject,
  waitFor,
  wholeSecondAhead,
} from './process-helpers.js';

afterAll(removeProjects);

/**
 * `feedkeeper schedule` re-arms its embargo wake-up when the articles folder changes
 * (schedule/peek-articles.ts, schedule/wake.ts): an embargo set, moved or lifted after the last
 * build is released at its time, not at the next cron tick. The cron expression never ticks
 * during these tests, so any release is the wake-up's. What is asserted is when the service
 * says its next run is (`.feedkeeper/schedule.json`, what `status` shows), which run released
 * what (the run log), and the feeds; how late the release came after its time is printed only.
 * No time here is fixed: how far ahead an embargo is written grows with how long the
 * service's runs at start took (process-helpers.ts, slowestStartMs, scheduleWithEmbargo), so
 * that a loaded machine makes the tests slower, not wrong (at a load average above 20 a run
 * at start outlasted a 4 s embargo).
 */
const NEVER = '0 0 1 1 *';
const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];

/**
 * A whole UTC second ahead that the service, running, will have read a change before: at least
 * `minMs` from now, and the slowest run at start and a second on a slow machine (reading one
 * changed article costs less than a cold build, process start included).
 */
const ahead = (minMs: number): number =>
  wholeSecondAhead(Math.max(minMs, slowestStartMs() + 1_000));
const iso = (ms: number): string => new Date(ms).toISOString().replace('.000Z', 'Z');

const embargoed = (title: string, dueMs: number | null): string =>
  `${dueMs === null ? '' : `---\ndate: ${iso(dueMs)}\n---\n`}${title} | World\n\nThe lede of ${title}.\n\nIts second paragraph.\n`;

const inFeeds = (p: Project, title: string): boolean =>
  FEEDS.every((f) => p.read(`out/${f}`).includes(title));
const inNoFeed = (p: Project, title: string): boolean =>
  FEEDS.every((f) => !p.read(`out/${f}`).includes(title));

/** The next run the service announces in its state file, in ms (null before it writes one). */
function nextRun(p: Project): number | null {
  try {
    const s = JSON.parse(readFileSync(join(p.dir, '.feedkeeper', 'schedule.json'), 'utf8')) as {
      nextRun: string | null;
    };
    return s.nextRun === null ? null : Date.parse(s.nextRun);
  } catch {
    return null;
  }
}

const wakesAt = (p: Project, dueMs: number, what: string): Promise<void> =>
  waitFor(() => nextRun(p) === dueMs + AFTER_DUE_MS, `the wake-up re-armed for ${what}`, 20_000);

/** Start the service on `p` and wait for its run at start. */
async function service(p: Project): Promise<Running> {
  const { s } = await startSchedule(p, NEVER);
  expect(runLog(p)[0]).toMatchObject({ outcome: 'ok' });
  return s;
}

/** The service on a project whose `soon.txt` is under an embargo the run at start archived. */
async function serviceWithEmbargo(
  minLeadMs: number,
): Promise<{ p: Project; s: Running; due: number }> {
  const started = await scheduleWithEmbargo(
    (due) => {
      const p = syntheticProject(1);
      p.write('soon.txt', embargoed('Soon', due));
      return p;
    },
    NEVER,
    minLeadMs,
  );
  const first = runLog(started.p)[0]!;
  expect(first).toMatchObject({ outcome: 'ok', counts: { added: 2, entries: 1, released: 0 } });
  expect(inNoFeed(started.p, 'Soon')).toBe(true);
  return started;
}

async function stop(s: Running): Promise<void> {
  s.child.kill('SIGTERM');
  expect((await s.done).code).toBe(0);
}

/** The run that released `title` started at or after `dueMs`; how late it came is printed. */
function releasedAfter(p: Project, run: number, dueMs: number, what: string): void {
  const line = runLog(p)[run]!;
  expect(line).toMatchObject({ command: 'schedule', outcome: 'ok' });
  expect(Date.parse(line.start), `${what}: released before its time`).toBeGreaterThanOrEqual(dueMs);
  console.log(
    `embargo-rearm: ${what}: its run started ${Date.parse(line.start) - dueMs} ms after its time`,
  );
}

describe('feedkeeper schedule: an embargo set or moved while the service runs', () => {
  it('an embargoed article written while it runs is released at its time, not at the next tick', async () => {
    const p = syntheticProject(1);
    const s = await service(p);
    try {
      const due = ahead(2_000);
      p.write('soon.txt', embargoed('Soon', due));
      await wakesAt(p, due, 'the new article');
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      expect(runLog(p)).toHaveLength(2); // the run at start, the wake-up's
      // Archived by the run at its time, so added, not released: no publication held it back.
      expect(runLog(p)[1]!.counts).toMatchObject({ added: 1, entries: 2, released: 0 });
      releasedAfter(p, 1, due, 'a new embargo');
    } finally {
      await stop(s);
    }
    expect(p.cli('check').status).toBe(0);
  }, 120_000);

  it('an embargo moved earlier is released at the new time', async () => {
    const p = syntheticProject(1);
    // Far enough that no run at start outlasts it, however loaded the machine.
    const before = ahead(600_000);
    p.write('soon.txt', embargoed('Soon', before));
    const s = await service(p);
    try {
      await wakesAt(p, before, 'the embargo as first set');
      const due = ahead(2_000);
      p.write('soon.txt', embargoed('Soon', due));
      await wakesAt(p, due, 'the embargo moved earlier');
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      expect(runLog(p)[1]!.counts).toMatchObject({ entries: 2, rescheduled: 1, released: 1 });
      releasedAfter(p, 1, due, 'an embargo moved earlier');
      expect(Date.parse(runLog(p)[1]!.start)).toBeLessThan(before);
    } finally {
      await stop(s);
    }
  }, 120_000);

  it('an embargo moved later is not released at the old time, nor built for', async () => {
    // Its record is in the last publication's schedule, due at `first`: the wake-up armed for
    // that time must be dropped for the time the article says now.
    const { p, s, due: first } = await serviceWithEmbargo(3_000);
    try {
      await wakesAt(p, first, 'the embargo as first set');
      const due = first + 2_000;
      p.write('soon.txt', embargoed('Soon', due));
      await wakesAt(p, due, 'the embargo moved later');
      expect(runLog(p)).toHaveLength(1); // re-armed before the old time: nothing was built
      await waitFor(() => Date.now() > first + 1_000, 'the old time to pass', 60_000);
      expect(inNoFeed(p, 'Soon')).toBe(true);
      expect(runLog(p)).toHaveLength(1); // no build at the old time
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      expect(runLog(p)[1]!.counts).toMatchObject({ entries: 2, rescheduled: 1, released: 1 });
      releasedAfter(p, 1, due, 'an embargo moved later');
    } finally {
      await stop(s);
    }
  }, 120_000);

  it('several embargoes are released one by one, in the order of their times', async () => {
    const p = syntheticProject(1);
    const s = await service(p);
    try {
      // Apart by more than a release's build takes (a second due time passing during one is
      // released by it, not one by one): a warm build of a few articles costs less than the
      // run at start, process start included, so that run's time is enough.
      const gap = Math.ceil(Math.max(2_000, slowestStartMs()) / 1000) * 1000;
      const first = ahead(2_000);
      const due = [first, first + gap, first + 2 * gap];
      // Written latest first: the order of the times, not of the files, decides.
      for (const i of [2, 1, 0]) p.write(`soon-${i}.txt`, embargoed(`Soon ${i}`, due[i]!));
      await wakesAt(p, due[0]!, 'the first of three');
      await waitFor(() => runLog(p).length >= 4, 'three releases', 3 * gap + 30_000);
      const log = runLog(p);
      expect(log).toHaveLength(4);
      expect(log.slice(1).map((l) => l.counts.entries)).toEqual([2, 3, 4]);
      // The first wake-up's build archives all three and publishes the first; the others are
      // released from the schedule that publication kept.
      expect(log.slice(1).map((l) => [l.counts.added, l.counts.released])).toEqual([
        [3, 0],
        [0, 1],
        [0, 1],
      ]);
      for (const i of [0, 1, 2]) releasedAfter(p, i + 1, due[i]!, `embargo ${i + 1} of 3`);
      for (const i of [0, 1, 2]) expect(inFeeds(p, `Soon ${i}`)).toBe(true);
    } finally {
      await stop(s);
    }
  }, 120_000);

  it('a withdrawn embargoed article causes no build at its old time', async () => {
    const { p, s, due } = await serviceWithEmbargo(3_000);
    try {
      await wakesAt(p, due, 'the embargo');
      rmSync(join(p.articles, 'soon.txt'));
      await waitFor(
        () => nextRun(p) === Date.UTC(new Date().getUTCFullYear() + 1, 0, 1),
        'the wake-up dropped',
        20_000,
      );
      expect(runLog(p)).toHaveLength(1); // dropped before its time: nothing was built
      await waitFor(() => Date.now() > due + 1_000, 'its time to pass', 60_000);
      expect(runLog(p)).toHaveLength(1);
      expect(inNoFeed(p, 'Soon')).toBe(true);
    } finally {
      await stop(s);
    }
  }, 120_000);

  it('an embargo lifted (its date removed) is released at once', async () => {
    const p = syntheticProject(1);
    p.write('soon.txt', embargoed('Soon', ahead(600_000)));
    const s = await service(p);
    try {
      expect(inNoFeed(p, 'Soon')).toBe(true);
      const lifted = Date.now();
      p.write('soon.txt', embargoed('Soon', null));
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      expect(runLog(p)).toHaveLength(2);
      expect(runLog(p)[1]!.counts).toMatchObject({ rescheduled: 1, released: 1 });
      releasedAfter(p, 1, lifted, 'an embargo lifted');
    } finally {
      await stop(s);
    }
    await sleep(0);
  }, 120_000);

  // Found by an outside try: the old name's wake-up was dropped and the new name, dated in
  // the past, was an ordinary change: nothing was published until the next cron tick.
  it('an embargo lifted in the same step as a rename is released at once', async () => {
    const p = syntheticProject(1);
    p.write('soon.txt', embargoed('Soon', ahead(600_000)));
    const s = await service(p);
    try {
      const lifted = Date.now();
      p.write('soon-final.txt', embargoed('Soon', null));
      rmSync(join(p.articles, 'soon.txt'));
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      releasedAfter(p, 1, lifted, 'an embargo lifted with a rename');
    } finally {
      await stop(s);
    }
    await sleep(0);
  }, 120_000);

  it('an embargo set and lifted before any build archived it is released at once', async () => {
    const p = syntheticProject(1);
    const s = await service(p);
    try {
      const due = ahead(600_000);
      p.write('soon.txt', embargoed('Soon', due));
      await wakesAt(p, due, 'the new article');
      const lifted = Date.now();
      p.write('soon.txt', embargoed('Soon', null));
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 2, 'its run logged', 10_000);
      expect(runLog(p)).toHaveLength(2);
      expect(runLog(p)[1]!.counts).toMatchObject({ added: 1, entries: 2, released: 0 });
      releasedAfter(p, 1, lifted, 'an embargo lifted before it was archived');
    } finally {
      await stop(s);
    }
  }, 120_000);
});

describe('feedkeeper schedule: many articles changed at once', () => {
  it('builds at once instead of reading each, and wakes for the embargo among them', async () => {
    const p = syntheticProject(1);
    const state = join(p.dir, '.feedkeeper');
    mkdirSync(state, { recursive: true });
    // In-process, to lower the limit (500) to 2: three articles moved in as one folder.
    const service = startService(
      {
        cron: NEVER,
        timezone: 'UTC',
        peekMax: 2,
        context: () => ({
          config: loadConfig(join(p.dir, 'feedkeeper.config.json')),
          now: () => new Date(),
          version: readVersion(),
        }),
        onRun: () => undefined,
      },
      state,
    );
    try {
      const started = Date.now();
      await service.firstRun;
      noteStartTook(Date.now() - started);
      const batch = join(p.dir, 'batch');
      const due = ahead(2_000);
      for (const i of [1, 2]) p.write(`../../batch/${articleName(i)}`, syntheticArticle(i));
      p.write('../../batch/soon.txt', embargoed('Soon', due));
      renameSync(batch, join(p.articles, 'batch'));
      await waitFor(() => runLog(p).length >= 2, 'the build of the batch', 30_000);
      expect(runLog(p)[1]!.counts).toMatchObject({ added: 3, entries: 3 });
      await waitFor(
        () => service.nextRun()?.getTime() === due + AFTER_DUE_MS,
        'the wake-up armed by that build',
        20_000,
      );
      await waitFor(() => inFeeds(p, 'Soon'), 'the article in all three feeds', 30_000);
      await waitFor(() => runLog(p).length >= 3, 'its run logged', 10_000);
      expect(runLog(p)[2]!.counts).toMatchObject({ added: 0, released: 1, entries: 4 });
      releasedAfter(p, 2, due, 'an embargo in a batch');
    } finally {
      await service.stop();
    }
  }, 120_000);
});
