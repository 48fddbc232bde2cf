import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { sortKeyOf } from '../../src/archive/record-chunks.js';
import { allRows, chunksOfRows, type RecordChunks } from '../../src/archive/record-view.js';
import { expectedChainOfChunks, leftOutKeys } from '../../src/validate/expected-history-chunks.js';
import { outputsAround } from '../../src/validate/outputs-around.js';
import { outputsDue } from '../../src/validate/outputs-due.js';
import { rowsAround, type GateRows } from '../../src/validate/rows-around.js';
import { prng } from '../archive/table-rows.js';

/**
 * The gate's checks of a run's changes (outputs-due.ts, outputs-around.ts) on the rows
 * validate/rows-around.ts reads (each changed month from its first changed part on, the parts
 * before and the months beside as the chain oracle tells them) answer exactly as on every row:
 * seeded rounds of months of up to 450 rows (several parts of PART_SIZE), withdrawals (some
 * before their embargo ended), embargoes, records left out, and changes new to their month,
 * revised, withdrawn or restored. FEEDKEEPER_SEED=n replays a round.
 */
const NOW = '2026-06-20T12:00:00Z';
const MONTHS = ['2026-01', '2026-02', '2026-04', '2026-05', '2026-06'];

interface Round {
  readonly rows: Map<string, RecordEntry>;
  readonly changed: string[];
  readonly was: Map<string, 'live' | 'withdrawn'>;
  readonly leftOut: Map<string, true>;
}

function round(next: (n: number) => number): Round {
  const rows = new Map<string, RecordEntry>();
  /** Rows after a month's first part: a change there has a head before it. */
  const late: string[] = [];
  let k = 0;
  for (const month of MONTHS) {
    const size = [0, 3, 60, 150, 250, 450][next(6)]!;
    // Withdrawals: none, a few, most, all, or in runs (whole parts without a live row, so
    // that parts and months join and leave the chain).
    const mode = next(5);
    const runs = Array.from({ length: 6 }, () => next(2) === 0);
    // Runs of a part's length (parts wholly withdrawn), or shorter.
    const run = [90, 100][next(2)]!;
    // Rows in date order, so that a run of rows is a run of the month's parts.
    const dates = Array.from({ length: size }, () => {
      const day = String(1 + next(28)).padStart(2, '0');
      return `${month}-${day}T${String(next(24)).padStart(2, '0')}:00:00Z`;
    }).sort();
    for (let i = 0; i < size; i++) {
      // The current month holds rows under embargo too (after NOW).
      const publishedAt = dates[i]!;
      const withdrawn =
        mode === 0
          ? false
          : mode === 1
            ? next(8) === 0
            : mode === 2
              ? next(8) !== 0
              : mode === 3
                ? true
                : runs[Math.floor(i / run) % 6]!;
      // Some withdrawn before their embargo ended: never seen.
      const withdrawnAt = withdrawn
        ? next(4) === 0
          ? `${month}-01T00:00:00Z`
          : '2026-06-30T00:00:00Z'
        : null;
      const slug = `r${k++}`;
      if (i >= 100) late.push(`${month.replace('-', '/')}/${slug}.json`);
      rows.set(`${month.replace('-', '/')}/${slug}.json`, {
        id: `tag:x.example,2026:${slug}`,
        slug,
        publishedAt,
        updatedAt: publishedAt,
        withdrawn,
        withdrawnAt,
        fingerprint: slug,
        input: `${slug}.txt`,
      });
    }
  }
  const paths = [...rows.keys()];
  const pick = (): string => paths[next(paths.length)]!;
  const leftOut = new Map<string, true>();
  if (paths.length > 0) for (let i = next(3); i > 0; i--) leftOut.set(pick(), true);
  const changed: string[] = [];
  const was = new Map<string, 'live' | 'withdrawn'>();
  // Changes in the later parts of the busy months too (a head before them).
  if (paths.length > 0)
    for (let i = 1 + next(3); i > 0; i--) {
      const path = late.length > 0 && next(2) === 0 ? late[next(late.length)]! : pick();
      changed.push(path);
      // New to its month (added, released), or revised / withdrawn / restored.
      const how = next(4);
      if (how === 1) was.set(path, 'live');
      if (how === 2) was.set(path, 'withdrawn');
      if (how === 3) was.set(path, rows.get(path)!.withdrawn ? 'live' : 'withdrawn');
    }
  changed.push('2026/03/gone.json');
  return { rows, changed, was, leftOut };
}

/** Both checks' answers, on the rows given. */
function answers(
  r: Round,
  given: { rows: ReadonlyMap<string, RecordEntry> } & Partial<GateRows>,
): unknown {
  const due = outputsDue({
    ...given,
    changed: r.changed,
    now: NOW,
    leftOut: r.leftOut,
    pageOf: (path) => `articles/${path}.html`,
    pages: new Map(),
    docs: new Set(),
    docsRemoved: new Set(),
    published: (file) => file.length % 2 === 0,
  });
  const around = outputsAround({
    ...given,
    changed: r.changed,
    was: r.was,
    now: NOW,
    leftOut: r.leftOut,
  });
  return { due, around };
}

function fromChunks(r: Round, view: RecordChunks): ReturnType<typeof rowsAround> {
  const keys = leftOutKeys(r.leftOut, r.rows);
  const chain = expectedChainOfChunks(view, NOW, keys, 0, 'https://x.example', 100);
  return rowsAround(view, r.rows, r.changed, r.was, chain, NOW, keys);
}

describe('rowsAround: the gate reads the changed months from their changed part on', () => {
  const seed = Number(process.env.FEEDKEEPER_SEED ?? 20261202);
  it(`answers as on every row (seed ${seed})`, () => {
    const random = prng(seed);
    const next = (n: number): number => Math.floor(random() * n);
    let fewer = 0;
    for (let i = 0; i < 400; i++) {
      const r = round(next);
      const view = chunksOfRows(r.rows, 1 + next(60));
      // Every row in the order the chunks keep (the order parts are cut in).
      const whole = new Map(allRows(view));
      const given = fromChunks(r, view);
      expect(answers(r, given), `round ${i}`).toEqual(answers(r, { rows: whole }));
      if (given.rows.size < whole.size) fewer++;
    }
    // Most rounds read less than every row (so the comparison is of the shortcut).
    expect(fewer).toBeGreaterThan(250);
  });

  it('one new article at the end of a month of 1,000 rows reads its last part, not the month', () => {
    const rows = new Map<string, RecordEntry>();
    for (let i = 0; i < 1000; i++) {
      const at = `2026-06-01T${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}:00Z`;
      rows.set(`2026/06/r${i}.json`, {
        id: `tag:x.example,2026:r${i}`,
        slug: `r${i}`,
        publishedAt: at,
        updatedAt: at,
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: `r${i}`,
        input: `r${i}.txt`,
      });
    }
    const r: Round = { rows, changed: ['2026/06/r999.json'], was: new Map(), leftOut: new Map() };
    const view = chunksOfRows(rows, 50);
    const given = fromChunks(r, view);
    // Part 10 (rows 900 to 999): the head is the nine parts before it.
    expect(given.rows.size).toBe(100);
    expect(given.before.get('2026/06')).toEqual({
      parts: 9,
      live: true,
      firstLive: '2026/06',
      lastLive: '2026/06/9',
    });
    expect(view.read.size).toBeLessThanOrEqual(3);
    // An edit in the middle (not new to the month): its part alone, those after as the oracle
    // tells them.
    const edit: Round = {
      ...r,
      changed: ['2026/06/r450.json'],
      was: new Map([['2026/06/r450.json', 'live']]),
    };
    const mid = fromChunks(edit, chunksOfRows(rows, 23));
    expect([...mid.rows.keys()]).toEqual(
      Array.from({ length: 100 }, (_, i) => `2026/06/r${400 + i}.json`),
    );
    expect(mid.before.get('2026/06')?.parts).toBe(4);
    expect(mid.after.get('2026/06')).toEqual({
      parts: 5,
      live: true,
      firstLive: '2026/06/6',
      lastLive: '2026/06/10',
    });
    expect(answers(edit, mid)).toEqual(
      answers(edit, { rows: new Map(allRows(chunksOfRows(rows, 50))) }),
    );
    expect(answers(r, given)).toEqual(
      answers(r, { rows: new Map(allRows(chunksOfRows(rows, 50))) }),
    );
    expect(sortKeyOf('2026/06/r999.json', rows.get('2026/06/r999.json')!)[0]).toBe(
      '2026-06-01T16:39:00Z',
    );
  });
});
