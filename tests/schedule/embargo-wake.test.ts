import { statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AFTER_DUE_MS,
  MAX_TIMER_MS,
  RETRY_MS,
  learned,
  nextDue,
  wakeDelay,
} from '../../src/schedule/wake.js';
import { makeProject } from '../helpers.js';
import { removeProjects, runLog, scheduleWithEmbargo, waitFor } from './process-helpers.js';

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

describe('wakeDelay', () => {
  const now = Date.parse('2026-11-25T08:00:00Z');
  it.each([
    [null, null],
    ['2026-11-25T08:00:03Z', 3000 + AFTER_DUE_MS],
    ['2026-11-25T07:59:00Z', RETRY_MS], // already past: another process or a refused gate
    ['2027-11-25T08:00:00Z', MAX_TIMER_MS], // beyond setTimeout's range: wake, then re-arm
  ])('%s → %s', (due, expected) => {
    expect(wakeDelay(due, now)).toBe(expected);
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
