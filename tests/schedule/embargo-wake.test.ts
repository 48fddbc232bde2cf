import { mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';
import { startService } from '../../src/schedule/service.js';
import { readVersion } from '../../src/version.js';
import {
  AFTER_DUE_MS,
  MAX_TIMER_MS,
  RETRY_MS,
  learned,
  nextDue,
  wakeDelay,
} from '../../src/schedule/wake.js';
import { makeProject } from '../helpers.js';
import {
  embargoLeadMs,
  inProcessService,
  noteStartTook,
  removeProjects,
  runLog,
  scheduleWithEmbargo,
  syntheticProject,
  waitFor,
  wholeSecondAhead,
} from './process-helpers.js';

afterAll(removeProjects);

/**
 * `feedkeeper schedule` wakes up for an embargo (schedule/wake.ts): with a cron expression that
 * never ticks during the test, an article dated a few seconds ahead is archived by the run at
 * start, left out of the feeds, and appears in all three when its time comes, by the one-off
 * wake-up alone. (How late is printed, not asserted: timings belong to `npm run bench`.) The
 * embargo is a few seconds ahead, more on a loaded machine: the run at start must end before it
 * (process-helpers.ts, scheduleWithEmbargo).
 */
const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];

describe('feedkeeper schedule and an embargo a few seconds ahead', () => {
  it('publishes the article in all three feeds at its time, without a cron tick', async () => {
    const started = await scheduleWithEmbargo(
      (dueMs) => {
        const p = makeProject();
        p.write('a.txt', 'Alfa | Lume\n\nPrimul paragraf al știrii Alfa.\n\nAl doilea paragraf.\n');
        const dueIso = new Date(dueMs).toISOString().replace('.000Z', 'Z');
        p.write(
          'soon.txt',
          `---\ndate: ${dueIso}\n---\nSoon | Lume\n\nThe embargoed lede.\n\nIts second paragraph.\n`,
        );
        return p;
      },
      '0 0 1 1 *',
      3_000,
    );
    const { p, s: service } = started;
    const due = new Date(started.due);
    try {
      const first = runLog(p)[0]!;
      expect(first).toMatchObject({ outcome: 'ok', counts: { added: 2, entries: 1 } });
      // Meaningful only if the run at start ended before the embargo did.
      expect(Date.parse(first.end), 'the run at start ended after the due time').toBeLessThan(
        due.getTime(),
      );
      for (const f of FEEDS) expect(p.read(`out/${f}`)).not.toContain('Soon');
      await waitFor(
        () => service.output().includes('next run at'),
        'the next run to be announced',
        10_000,
        20,
      );
      expect(service.output()).toContain(
        `next run at ${new Date(due.getTime() + AFTER_DUE_MS).toISOString()}`,
      );

      await waitFor(
        () => FEEDS.every((f) => p.read(`out/${f}`).includes('Soon')),
        'the embargoed article in all three feeds',
        due.getTime() - Date.now() + 30_000,
        20,
      );
      const late =
        Math.max(...FEEDS.map((f) => statSync(join(p.dir, 'out', f)).mtimeMs)) - due.getTime();
      console.log(`embargo-wake: in all three feeds ${Math.round(late)} ms after its time`);
      // The run's log line is appended after it publishes.
      await waitFor(() => runLog(p).length >= 2, 'the wake-up run logged', 10_000, 20);
      const log = runLog(p);
      expect(log).toHaveLength(2); // the run at start, the wake-up: no tick
      // Its release is counted, in the run log, the service's log and `status`: no record
      // changed, and its counts alone read like a run that only rendered again.
      expect(log[1]).toMatchObject({
        command: 'schedule',
        outcome: 'ok',
        counts: { added: 0, revised: 0, entries: 2, released: 1 },
      });
      expect(log[0]!.counts).toMatchObject({ released: 0 });
      await waitFor(
        () =>
          /run ok in \d+ ms: 0 added, 0 revised, 0 withdrawn, 1 released, /.test(service.output()),
        'the release in the service log',
        10_000,
      );
      expect(p.cli('status').stdout).toMatch(
        /^last run: ok, schedule, \S+ \(\d+ ms\), 1 embargo released, \d+ files written, 0 problems$/m,
      );
      expect(p.cli('check').status).toBe(0);
    } finally {
      service.child.kill('SIGTERM');
      await service.done;
    }
  }, 120_000);
});

describe('feedkeeper schedule and an embargo that ends while the build that archived it runs', () => {
  it('releases it right after that build, not a retry later', async () => {
    const p = syntheticProject(1);
    // The first build's clock 10 s behind: an embargo 3 s past is 7 s ahead by it, as for a
    // build that started before the embargo's time and ended after it. The next builds have
    // the service's clock.
    const due = Math.floor(Date.now() / 1000) * 1000 - 3_000;
    const dueIso = new Date(due).toISOString().replace('.000Z', 'Z');
    p.write('soon.txt', `---\ndate: ${dueIso}\n---\nSoon | World\n\nThe lede.\n\nMore.\n`);
    mkdirSync(join(p.dir, '.feedkeeper'), { recursive: true });
    let builds = 0;
    const service = startService(
      {
        cron: '0 0 1 1 *',
        timezone: 'UTC',
        watch: false,
        context: () => {
          const behind = builds++ === 0 ? 10_000 : 0;
          return {
            config: loadConfig(join(p.dir, 'feedkeeper.config.json')),
            now: () => new Date(Date.now() - behind),
            version: readVersion(),
          };
        },
        onRun: () => undefined,
      },
      join(p.dir, '.feedkeeper'),
    );
    try {
      await service.firstRun;
      expect(runLog(p)[0]!.counts).toMatchObject({ added: 2, entries: 1, released: 0 });
      await waitFor(() => runLog(p).length >= 2, 'the release', 60_000);
      const [first, second] = runLog(p);
      const after = Date.parse(second!.start) - Date.parse(first!.end);
      console.log(`embargo-wake: the release started ${after} ms after the first build ended`);
      expect(after).toBeLessThan(RETRY_MS / 2);
      expect(second!.counts).toMatchObject({ added: 0, entries: 2, released: 1 });
    } finally {
      await service.stop();
    }
  }, 120_000);
});

describe('feedkeeper schedule --no-watch and an embargo set after the last build', () => {
  it('is archived by the next tick, which wakes up at its time', async () => {
    const p = syntheticProject(1);
    // Without a watch nothing is read between builds: the tick's build learns of the embargo.
    const service = inProcessService(p, '0 0 1 1 *');
    try {
      const started = Date.now();
      await service.firstRun;
      noteStartTook(Date.now() - started);
      const due = wholeSecondAhead(embargoLeadMs(2_000));
      const dueIso = new Date(due).toISOString().replace('.000Z', 'Z');
      p.write('soon.txt', `---\ndate: ${dueIso}\n---\nSoon | World\n\nThe lede.\n\nMore.\n`);
      expect(service.nextRun()!.getTime()).not.toBe(due + AFTER_DUE_MS);
      const tick = await service.tickNow();
      expect(tick).toMatchObject({ kind: 'ran', log: { counts: { added: 1, entries: 1 } } });
      expect(service.nextRun()!.getTime()).toBe(due + AFTER_DUE_MS);
      await waitFor(() => runLog(p).length >= 3, 'the release', due - Date.now() + 30_000);
      expect(Date.parse(runLog(p)[2]!.start)).toBeGreaterThanOrEqual(due);
      expect(runLog(p)[2]!.counts).toMatchObject({ released: 1, entries: 2 });
    } finally {
      await service.stop();
    }
  }, 120_000);
});

describe('wakeDelay', () => {
  const now = Date.parse('2026-11-25T08:00:00Z');
  it.each([
    [null, null, null],
    ['2026-11-25T08:00:03Z', null, 3000 + AFTER_DUE_MS],
    // Already past, and a build started after it: another process held the lock, or the gate
    // refused: a retry later.
    ['2026-11-25T07:59:00Z', Date.parse('2026-11-25T07:59:00Z'), RETRY_MS],
    // Already past, but the last build started before it (it ended after), or none ran: now.
    ['2026-11-25T07:59:00Z', Date.parse('2026-11-25T07:58:59Z'), 0],
    ['2026-11-25T07:59:00Z', null, 0],
    ['2027-11-25T08:00:00Z', null, MAX_TIMER_MS], // beyond setTimeout's range: wake, then re-arm
  ])('%s, last build at %s → %s', (due, tried, expected) => {
    expect(wakeDelay(due, now, tried)).toBe(expected);
  });
});

describe('learned: what a changed article tells the wake-up', () => {
  const now = Date.parse('2026-11-25T08:00:00.400Z');
  const later = { kind: 'dated', publishedAt: '2026-11-25T09:00:00Z' } as const;
  const past = { kind: 'dated', publishedAt: '2026-11-25T07:00:00Z' } as const;
  it.each([
    ['an embargo, new', later, null, { due: '2026-11-25T09:00:00Z', record: null }],
    ['an embargo, moved', later, 'r.json', { due: '2026-11-25T09:00:00Z', record: 'r.json' }],
    ['an ordinary edit', past, null, null],
    [
      'an embargo lifted: the next whole second',
      past,
      'r.json',
      { due: '2026-11-25T08:00:01Z', record: 'r.json' },
    ],
    ['an embargoed article gone', { kind: 'gone' }, 'r.json', { due: null, record: 'r.json' }],
    ['another article gone', { kind: 'gone' }, null, null],
    ["an unreadable article keeps its record's time", { kind: 'unknown' }, 'r.json', null],
  ] as const)('%s', (_what, peeked, record, expected) => {
    expect(learned(peeked, record, now)).toEqual(expected);
  });
  it('an embargo learned but not archived yet, lifted: the next whole second', () => {
    expect(learned(past, null, now, true)).toEqual({ due: '2026-11-25T08:00:01Z', record: null });
  });
});

describe('nextDue: the last publication and what was learned since', () => {
  const scheduled = [
    { record: 'a.json', publishedAt: '2026-11-25T09:00:00Z' },
    { record: 'b.json', publishedAt: '2026-11-25T10:00:00Z' },
  ];
  it.each([
    ['nothing learned', [], '2026-11-25T09:00:00Z'],
    [
      'a new embargo earlier',
      [{ due: '2026-11-25T08:30:00Z', record: null }],
      '2026-11-25T08:30:00Z',
    ],
    [
      'a new embargo later',
      [{ due: '2026-11-25T11:00:00Z', record: null }],
      '2026-11-25T09:00:00Z',
    ],
    [
      'the first moved later',
      [{ due: '2026-11-25T11:00:00Z', record: 'a.json' }],
      '2026-11-25T10:00:00Z',
    ],
    ['the first withdrawn', [{ due: null, record: 'a.json' }], '2026-11-25T10:00:00Z'],
    [
      'both withdrawn',
      [
        { due: null, record: 'a.json' },
        { due: null, record: 'b.json' },
      ],
      null,
    ],
  ] as const)('%s', (_what, since, expected) => {
    expect(nextDue(scheduled, since)).toBe(expected);
  });
  it('nothing scheduled, nothing learned', () => {
    expect(nextDue(undefined, [])).toBeNull();
  });
});
