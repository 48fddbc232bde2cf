import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { lastChange } from '../../src/archive/last-change.js';
import { byKey } from '../../src/archive/record-chunks.js';
import { chunksOfRows } from '../../src/archive/record-view.js';
import { clockBehind } from '../../src/pipeline/clock-behind.js';
import { scheduledOf } from '../../src/pipeline/embargo.js';
import {
  clockBehindIn,
  datedRows,
  feedDate,
  headRows,
  scheduledIn,
} from '../../src/pipeline/feed-head.js';
import { selectEntries } from '../../src/pipeline/select-entries.js';
import { embargoedAt, embargoedIn } from '../../src/validate/embargo-leak.js';
import { prng, recordRow as row } from '../archive/table-rows.js';

/**
 * The feeds' head and dates from the records' chunks (pipeline/feed-head.ts, and the gate's own
 * embargoedIn), each against the function of every row it stands for, on seeded random tables
 * cut in small chunks (so that a month spans many): embargoes, withdrawals before and after
 * their embargo ended, restores, rows left out, dates the feeds cannot carry, ties of dates and
 * shared ids. The whole table is given to the oracles in the table's order (the order a load of
 * the chunks puts them in). FEEDKEEPER_SEED=<seed> replays a run.
 */

const CLOCKS = [
  '2026-09-01T00:00:00Z',
  '2026-11-02T00:30:00Z',
  '2026-12-02T01:00:00Z',
  '2026-12-15T00:00:00Z',
  '2027-02-01T00:00:00Z',
];

function randomTable(random: () => number, n: number): [string, RecordEntry][] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const months = ['2026-10', '2026-11', '2026-12', '2027-01'];
  // Few distinct instants: many ties of publishedAt.
  const at = (): string =>
    `${pick(months)}-0${1 + Math.floor(random() * 3)}T0${Math.floor(random() * 2)}:00:00Z`;
  const later = (t: string): string => (random() < 0.5 ? t : at() > t ? at() : t);
  const rows: [string, RecordEntry][] = [];
  for (let i = 0; i < n; i++) {
    // A shared id (a broken archive), half the time with the date of the row it copies: rows
    // that tie in the feeds' order, which chunk boundaries may cut between.
    const shared = rows.length > 0 && random() < 0.08 ? pick(rows) : undefined;
    const publishedAt = shared !== undefined && random() < 0.5 ? shared[1].publishedAt : at();
    const id = shared?.[1].id ?? `id${i}`;
    const o: { -readonly [K in keyof RecordEntry]?: RecordEntry[K] } = {
      updatedAt: random() < 0.04 ? '+010000-01-01T00:00:00Z' : later(publishedAt),
    };
    const fate = random();
    if (fate < 0.2) {
      // Withdrawn: before its embargo ended (never published) or after.
      o.withdrawn = true;
      o.withdrawnAt = at();
    } else if (fate < 0.3) o.restoredAt = later(publishedAt);
    rows.push([
      `${publishedAt.slice(0, 4)}/${publishedAt.slice(5, 7)}/s${i}.json`,
      row(publishedAt, id, o),
    ]);
  }
  return rows;
}

describe('the feeds head and dates from the chunks (seeded)', () => {
  const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`feed head seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
  const random = prng(seed);

  it('agrees with the functions of every row', () => {
    for (let round = 0; round < 150; round++) {
      const rows = randomTable(random, Math.floor(random() * 120));
      const max = 5 + Math.floor(random() * 16);
      const table = new Map([...rows].sort(byKey));
      const leftOut = new Set(rows.filter(() => random() < 0.1).map(([p]) => p));
      const now = CLOCKS[Math.floor(random() * CLOCKS.length)]!;
      const why = `seed ${seed}, round ${round}, max ${max}, now ${now}`;
      for (const size of [1, 3, 10, 50]) {
        const view = chunksOfRows(rows, max);
        for (const clock of [now, undefined])
          expect(
            selectEntries({ records: headRows(view, size, clock, leftOut) }, size, clock, leftOut),
            `${why}, size ${size}`,
          ).toEqual(selectEntries({ records: table }, size, clock, leftOut));
        // A row left out later (choose-entries.ts asks again) reads on from the same view.
        const more = new Set([...leftOut, ...selectEntries({ records: table }, 2, now, leftOut)]);
        expect(
          selectEntries({ records: headRows(view, size, now, more) }, size, now, more),
          `${why}, size ${size}, two more left out`,
        ).toEqual(selectEntries({ records: table }, size, now, more));
      }
      const view = chunksOfRows(rows, max);
      expect(feedDate(view, leftOut, now), why).toBe(lastChange(datedRows(table, leftOut), now));
      expect(scheduledIn(view, now), why).toEqual(scheduledOf(table, now));
      expect(embargoedIn(view, now), why).toEqual(embargoedAt(table, now));
      for (const clock of [...CLOCKS, undefined]) {
        const published = {
          ...(clock === undefined ? {} : { clock }),
          entries: [...rows.filter(() => random() < 0.3).map(([p]) => p), 'gone/x.json'],
        };
        expect(clockBehindIn(view, published, now), `${why}, clock ${clock}`).toEqual(
          clockBehind(table, published, now),
        );
      }
      expect(clockBehindIn(view, null, now)).toBeNull();
    }
  });
});

describe('the head on ties', () => {
  it('reads on while the next chunk holds a row that ties with the last taken', () => {
    // Twelve rows of one date and one id (paths differ): one load of the table meets them by
    // path, and selectEntries keeps the first met of rows that tie.
    const rows: [string, RecordEntry][] = [];
    for (let i = 0; i < 12; i++)
      rows.push([`2026/11/s${String(i).padStart(2, '0')}.json`, row('2026-11-01T00:00:00Z', 'x')]);
    const table = new Map([...rows].sort(byKey));
    for (const size of [1, 2, 5, 12, 20]) {
      const view = chunksOfRows(rows, 4);
      expect(selectEntries({ records: headRows(view, size, undefined, new Set()) }, size)).toEqual(
        selectEntries({ records: table }, size),
      );
    }
  });
});

describe('what the head and dates read', () => {
  // 10,000 rows in twelve months, each its own instant, cut in chunks of at most 200.
  const rows: [string, RecordEntry][] = [];
  for (let i = 0; i < 10_000; i++) {
    const t = new Date(Date.UTC(2026, 0, 1) + i * 3_000_000).toISOString().replace('.000', '');
    rows.push([`${t.slice(0, 4)}/${t.slice(5, 7)}/r${i}.json`, row(t, `tag:x.org,2026:r${i}`)]);
  }
  const now = '2027-06-01T00:00:00Z';

  it('the head of 50 reads at most two chunks when nothing is withdrawn, embargoed or left out', () => {
    const view = chunksOfRows(rows, 200);
    expect(view.chunks.length).toBeGreaterThan(50);
    const head = selectEntries({ records: headRows(view, 50, now, new Set()) }, 50, now);
    expect(head).toEqual(
      rows
        .slice(-50)
        .reverse()
        .map(([p]) => p),
    );
    expect(view.read.size).toBeLessThanOrEqual(2);
  });

  it('the feed date reads the chunk of the last change; the embargo lists and the clock none', () => {
    const view = chunksOfRows(rows, 200);
    expect(feedDate(view, new Set(), now)).toBe(rows.at(-1)![1].updatedAt);
    expect(view.read.size).toBe(1);
    expect(scheduledIn(view, now)).toEqual([]);
    expect(embargoedIn(view, now)).toEqual([]);
    expect(clockBehindIn(view, { clock: '2026-01-01T00:00:00Z', entries: ['x'] }, now)).toBeNull();
    expect(view.read.size).toBe(1);
  });

  it('a withdrawn head, an embargo and a late edit read a few chunks more, not the table', () => {
    const edited = new Map(rows);
    // The newest 300 withdrawn, one dated after the clock, one old row edited last.
    for (const [p, r] of rows.slice(-300))
      edited.set(p, { ...r, withdrawn: true, withdrawnAt: '2027-01-01T00:00:00Z' });
    const [lp, lr] = rows.at(-301)!;
    edited.set(lp, { ...lr, publishedAt: '2027-07-01T00:00:00Z' });
    const [op, or] = rows[10]!;
    edited.set(op, { ...or, updatedAt: '2027-05-01T00:00:00Z' });
    const view = chunksOfRows(edited, 200);
    const table = new Map([...edited].sort(byKey));
    const head = selectEntries({ records: headRows(view, 50, now, new Set()) }, 50, now);
    expect(head).toEqual(selectEntries({ records: table }, 50, now));
    expect(feedDate(view, new Set(), now)).toBe('2027-05-01T00:00:00Z');
    expect(scheduledIn(view, now).map((s) => s.record)).toEqual([lp]);
    expect(embargoedIn(view, now).map((e) => e.record)).toEqual([lp]);
    expect(view.read.size).toBeLessThanOrEqual(8);
  });
});
