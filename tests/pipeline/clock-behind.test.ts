import { describe, expect, it } from 'vitest';
import { checkWith } from '../../src/api/check.js';
import { clockBehind } from '../../src/pipeline/clock-behind.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: after the clock went back (a VM restored, NTP correcting a clock that
 * was ahead, a run under faketime), `build` said nothing changed while `check` reported errors it
 * called a feedkeeper bug, and the next build that rendered took items readers already had out of
 * the feeds until the clock caught up.
 */
const row = (publishedAt: string, withdrawnAt: string | null = null) => ({
  publishedAt,
  withdrawn: withdrawnAt !== null,
  withdrawnAt,
});

describe('clockBehind', () => {
  const records = new Map([
    ['old.json', row('2026-11-01T00:00:00Z')],
    ['released.json', row('2026-12-20T00:00:00Z')],
    ['later.json', row('2026-12-22T00:00:00Z')],
    ['withdrawn-unseen.json', row('2026-12-10T00:00:00Z', '2026-12-01T00:00:00Z')],
  ]);
  const listed = ['old.json', 'released.json', 'withdrawn-unseen.json'];
  it.each([
    ['no clock kept (an older state)', undefined, listed, '2026-11-26T00:00:00Z', null],
    ['the clock is not behind', '2026-12-21T00:00:00Z', listed, '2026-12-21T00:00:00Z', null],
    [
      'behind, but nothing released since',
      '2026-11-28T00:00:00Z',
      listed,
      '2026-11-26T00:00:00Z',
      null,
    ],
    [
      'behind a release: the released record, not one withdrawn',
      '2026-12-21T00:00:00Z',
      listed,
      '2026-11-26T00:00:00Z',
      { count: 1, first: { record: 'released.json', publishedAt: '2026-12-20T00:00:00Z' } },
    ],
    // Found by an outside try: a record archived after that publication (never listed by it)
    // held every publication back, and was said to be "released".
    [
      'behind, with a record dated in between that the publication did not list',
      '2026-12-21T00:00:00Z',
      ['old.json'],
      '2026-11-26T00:00:00Z',
      null,
    ],
  ])('%s', (_, clock, entries, now, expected) => {
    const published = { ...(clock === undefined ? {} : { clock }), entries };
    const b = clockBehind(records, published, now);
    if (expected === null) expect(b).toBeNull();
    else expect(b).toMatchObject({ clock, ...expected });
  });
});

describe('a build whose clock went back behind a release', () => {
  it('publishes nothing, keeps the released item, and check says why; --full takes it back', async () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    p.write(
      'e.txt',
      '---\ndate: 2026-12-20T10:00:00Z\n---\nEmbargoed story | World\n\nThe embargoed lede.\n\nIts second paragraph.\n',
    );
    const ahead = p.context(new Date('2026-12-21T00:00:00Z'));
    const released = await runOnce(ahead, { dryRun: false });
    expect(released.issues).toEqual([]);
    const items = (): string[] =>
      (JSON.parse(p.read('out/feed.json')) as { items: { title: string }[] }).items.map(
        (i) => i.title,
      );
    expect(items()).toContain('Embargoed story');
    expect((await checkWith(ahead)).ok).toBe(true);

    const back = p.context(new Date('2026-11-26T00:00:00Z'));
    const checked = await checkWith(back);
    expect(checked.problems.map((i) => i.code)).toEqual(['CLOCK_BEHIND']);
    // Nothing to publish: not refused, but said (a cron job's output), before an article comes.
    const idle = await runOnce(back, { dryRun: false });
    expect(idle.feeds?.reason).toBe('nothing changed');
    expect(idle.issues.map((i) => [i.code, i.severity])).toEqual([['CLOCK_BEHIND', 'warning']]);

    p.write('new.txt', 'A new story | World\n\nIts lede.\n\nIts second paragraph.\n');
    const refused = await runOnce(back, { dryRun: false });
    expect(refused.feeds?.published).toBe(false);
    expect(refused.issues.map((i) => [i.code, i.severity])).toEqual([['CLOCK_BEHIND', 'error']]);
    // Publishing resumes once the clock passes the last of the dates it released (the sample,
    // first seen under the clock that was ahead), not the first (the embargo's).
    expect(refused.issues[0]?.message).toContain('until the clock passes 2026-12-21T00:00:00Z');
    expect(items()).toContain('Embargoed story');

    const full = await runOnce(back, { dryRun: false, full: true });
    expect(full.feeds?.published).toBe(true);
    expect(full.issues.map((i) => [i.code, i.severity])).toEqual([['CLOCK_BEHIND', 'warning']]);
    expect(items()).not.toContain('Embargoed story');
    expect(items()).toContain('A new story');
    expect((await checkWith(back)).ok).toBe(true);
  });
});
