import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import {
  compareKeys,
  cutAll,
  planChunks,
  sortKeyOf,
  summarize,
  type ChunkPlan,
  type ChunkSummary,
  type RowChange,
} from '../../src/archive/record-chunks.js';
import { monthOf } from '../../src/model/month-parts.js';
import { prng, recordRow as row } from './table-rows.js';

/** The chunks' files as a save leaves them: what planChunks() is asked for. */
class Stored {
  chunks: readonly ChunkSummary[] = [];
  readonly files = new Map<string, Map<string, RecordEntry>>();

  apply(plan: ChunkPlan): void {
    for (const name of plan.removed) this.files.delete(name);
    for (const w of plan.writes) {
      if (!w.fresh) {
        // What a journal line does to the chunk's files: its rows set, its keys gone.
        const rows = this.files.get(w.name)!;
        const now = new Map(w.rows);
        for (const k of w.gone) rows.delete(k);
        for (const k of w.set) rows.set(k, now.get(k)!);
        expect(new Map([...rows].sort(byKey))).toEqual(now);
      }
      this.files.set(w.name, new Map(w.rows));
    }
    this.chunks = plan.chunks;
  }

  save(
    table: Map<string, RecordEntry>,
    before: Map<string, RecordEntry | undefined>,
    max: number,
  ): ChunkPlan {
    const changes: RowChange[] = [...before].map(([path, was]) => ({
      path,
      before: was,
      after: table.get(path),
    }));
    const plan = planChunks(this.chunks, changes, (name) => this.files.get(name) ?? null, max);
    if (plan === null) throw new Error('the plan found the chunks inconsistent');
    this.apply(plan);
    return plan;
  }
}

const byKey = ([pa, a]: [string, RecordEntry], [pb, b]: [string, RecordEntry]): number =>
  compareKeys(sortKeyOf(pa, a), sortKeyOf(pb, b));

/** What cutting the whole table from scratch gives, and the chunks must hold the same. */
function expectHolds(s: Stored, table: Map<string, RecordEntry>, max: number, where = ''): void {
  const whole = [...table].sort(byKey);
  const held: [string, RecordEntry][] = [];
  const names = new Set<string>();
  for (const c of s.chunks) {
    expect(names.has(c.name), `${where}: ${c.name} twice`).toBe(false);
    names.add(c.name);
    const rows = [...s.files.get(c.name)!].sort(byKey);
    expect(rows.length, `${where}: ${c.name} empty`).toBeGreaterThan(0);
    expect(rows.length, `${where}: ${c.name} too big`).toBeLessThanOrEqual(max);
    expect(new Set(rows.map(([, r]) => monthOf(r.publishedAt))), where).toEqual(new Set([c.month]));
    expect(c, where).toEqual(summarize(c.name, rows));
    held.push(...rows);
  }
  expect([...s.files.keys()].sort(), `${where}: files of no chunk`).toEqual([...names].sort());
  expect(held, where).toEqual(whole);
  // And from scratch: the same rows, in the same order, in chunks of the same months.
  const scratch = cutAll(table, max);
  expect(
    scratch.writes.flatMap((w) => w.rows),
    where,
  ).toEqual(whole);
  expect(new Set(scratch.chunks.map((c) => c.month))).toEqual(
    new Set(s.chunks.map((c) => c.month)),
  );
}

/** A table saved from scratch, as a cold build leaves it. */
function cold(table: Map<string, RecordEntry>, max: number): Stored {
  const s = new Stored();
  s.apply(cutAll(table, max));
  return s;
}

const nov = (day: number, id: string, o: Partial<RecordEntry> = {}): [string, RecordEntry] => [
  `2026/11/${id}.json`,
  row(`2026-11-${String(day).padStart(2, '0')}T08:00:00Z`, id, o),
];

describe('the records in month chunks: where rows go (archive/record-chunks.ts)', () => {
  it('cut from scratch: a chunk per month when it fits, else pieces three quarters full', () => {
    expect(cutAll(new Map(), 8)).toEqual({ chunks: [], writes: [], removed: [] });
    const two = new Map([
      nov(3, 'b'),
      ['2026/12/c.json', row('2026-12-01T00:00:00Z', 'c')] as [string, RecordEntry],
      nov(1, 'a', { withdrawn: true, withdrawnAt: '2026-11-20T00:00:00Z' }),
    ]);
    const plan = cutAll(two, 8);
    expect(plan.chunks).toEqual([
      {
        name: '2026-11-1',
        month: '2026/11',
        first: ['2026-11-01T08:00:00Z', 'a', '2026/11/a.json'],
        last: ['2026-11-03T08:00:00Z', 'b', '2026/11/b.json'],
        rows: 2,
        live: 1,
        newest: '2026-11-20T00:00:00Z',
        // Withdrawn after its date: it was published.
        unseen: 0,
      },
      expect.objectContaining({ name: '2026-12-1', month: '2026/12', rows: 1, live: 1 }),
    ]);
    const many = new Map(Array.from({ length: 20 }, (_, i) => nov(1 + i, `s${i}`)));
    expect(cutAll(many, 8).chunks.map((c) => c.rows)).toEqual([5, 5, 5, 5]);
  });

  it('ties: one date, ids descending (the reverse of newest first), then paths', () => {
    const t = new Map([nov(1, 'a'), nov(1, 'c'), nov(1, 'b')]);
    t.set('2026/11/b-2.json', row('2026-11-01T08:00:00Z', 'b'));
    expect(cutAll(t, 8).writes[0]!.rows.map(([p]) => p)).toEqual([
      '2026/11/c.json',
      '2026/11/b-2.json',
      '2026/11/b.json',
      '2026/11/a.json',
    ]);
  });

  it('a new row: a journal line of one row in the chunk its key falls in; a chunk grown past the limit splits in two', () => {
    const table = new Map(Array.from({ length: 12 }, (_, i) => nov(1 + i, `s${i}`)));
    const s = cold(table, 8);
    expect(s.chunks.map((c) => [c.name, c.rows])).toEqual([
      ['2026-11-1', 6],
      ['2026-11-2', 6],
    ]);
    // Between the two chunks: the earlier one takes it.
    const [p, r] = nov(6, 's5b');
    table.set(p, r);
    let plan = s.save(table, new Map([[p, undefined]]), 8);
    expect(plan.writes).toEqual([
      expect.objectContaining({ name: '2026-11-1', fresh: false, set: [p], gone: [] }),
    ]);
    expect(plan.removed).toEqual([]);
    expectHolds(s, table, 8);
    // Before every row of the month: the first chunk.
    const [q, rq] = nov(1, 's0a');
    table.set(q, rq);
    s.save(table, new Map([[q, undefined]]), 8);
    expectHolds(s, table, 8);
    // Newest of the month, twice: the last chunk grows to 8, then splits; the first half keeps
    // its name (a journal line of the rows that left), the second is a new chunk.
    for (const id of ['t1', 't2', 't3']) {
      const [n, rn] = nov(20, id);
      table.set(n, rn);
      plan = s.save(table, new Map([[n, undefined]]), 8);
      expectHolds(s, table, 8);
    }
    expect(plan.writes.map((w) => [w.name, w.fresh, w.rows.length])).toEqual([
      ['2026-11-2', false, 4],
      ['2026-11-3', true, 5],
    ]);
    expect(plan.writes[0]!.gone).toHaveLength(4);
    expect(s.chunks.map((c) => c.name)).toEqual(['2026-11-1', '2026-11-2', '2026-11-3']);
  });

  it('a chunk emptied goes; a month emptied has no chunk left', () => {
    const table = new Map([nov(1, 'a'), nov(2, 'b')]);
    table.set('2026/12/c.json', row('2026-12-01T00:00:00Z', 'c'));
    const s = cold(table, 8);
    const was = table.get('2026/12/c.json');
    table.delete('2026/12/c.json');
    const plan = s.save(table, new Map([['2026/12/c.json', was]]), 8);
    expect(plan).toMatchObject({ writes: [], removed: ['2026-12-1'] });
    expectHolds(s, table, 8);
  });

  it('a row whose publication date moved (a rescheduled embargo) leaves its month for another', () => {
    const table = new Map([nov(1, 'a'), nov(2, 'b'), nov(3, 'c')]);
    const s = cold(table, 8);
    const was = table.get('2026/11/b.json');
    table.set('2026/11/b.json', { ...was!, publishedAt: '2027-01-05T10:00:00Z' });
    const plan = s.save(table, new Map([['2026/11/b.json', was]]), 8);
    expect(plan.writes).toEqual([
      expect.objectContaining({
        name: '2026-11-1',
        fresh: false,
        set: [],
        gone: ['2026/11/b.json'],
      }),
      expect.objectContaining({ name: '2027-01-1', fresh: true }),
    ]);
    expectHolds(s, table, 8);
    // A withdrawal changes the chunk's live count and newest change, in place.
    const a = table.get('2026/11/a.json')!;
    table.set('2026/11/a.json', { ...a, withdrawn: true, withdrawnAt: '2026-12-30T00:00:00Z' });
    s.save(table, new Map([['2026/11/a.json', a]]), 8);
    expect(s.chunks[0]).toMatchObject({ live: 1, newest: '2026-12-30T00:00:00Z' });
    expectHolds(s, table, 8);
  });

  it('a saved state that does not hold together: null (the caller cuts from scratch)', () => {
    const table = new Map([nov(1, 'a'), nov(2, 'b')]);
    const s = cold(table, 8);
    // A row said to have been where no chunk is.
    const ghost = row('2026-10-01T00:00:00Z', 'ghost');
    expect(
      planChunks(
        s.chunks,
        [{ path: 'x', before: ghost, after: undefined }],
        (n) => s.files.get(n) ?? null,
        8,
      ),
    ).toBeNull();
    // A chunk's files not as summarized.
    const [p, r] = nov(3, 'c');
    expect(
      planChunks(s.chunks, [{ path: p, before: undefined, after: r }], () => new Map(), 8),
    ).toBeNull();
  });

  it('random runs of changes hold what cutting from scratch holds (seeded)', () => {
    const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`record chunks seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const random = prng(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
    const months = ['2026-10', '2026-11', '2026-12'];
    // Few dates and ids, so that ties are common.
    const dateOf = (): string =>
      `${pick(months)}-0${1 + Math.floor(random() * 3)}T0${Math.floor(random() * 2)}:00:00Z`;
    for (const max of [2, 3, 8]) {
      const table = new Map<string, RecordEntry>();
      const s = new Stored();
      let next = 0;
      for (let save = 0; save < 60; save++) {
        const before = new Map<string, RecordEntry | undefined>();
        const change = (path: string, to: RecordEntry | undefined): void => {
          if (!before.has(path)) before.set(path, table.get(path));
          if (to === undefined) table.delete(path);
          else table.set(path, to);
        };
        const ops = 1 + Math.floor(random() * (save % 10 === 0 ? 30 : 4));
        for (let k = 0; k < ops; k++) {
          const paths = [...table.keys()];
          const what = paths.length === 0 ? 0 : Math.floor(random() * 5);
          if (what <= 1) {
            const id = `id${Math.floor(random() * 40)}`;
            change(`p${next++}.json`, row(dateOf(), id));
          } else if (what === 2) change(pick(paths), undefined);
          else if (what === 3) {
            const p = pick(paths);
            change(p, { ...table.get(p)!, publishedAt: dateOf() });
          } else {
            const p = pick(paths);
            const r = table.get(p)!;
            change(p, {
              ...r,
              withdrawn: !r.withdrawn,
              withdrawnAt: r.withdrawn ? null : dateOf(),
            });
          }
        }
        s.save(table, before, max);
        expectHolds(s, table, max, `seed ${seed}, max ${max}, save ${save}`);
      }
    }
  });
});
