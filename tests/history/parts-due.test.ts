import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { byKey, sortKeyOf, type RowChange, type SortKey } from '../../src/archive/record-chunks.js';
import { chunksOfRows } from '../../src/archive/record-view.js';
import { partsDue, type PartsDue } from '../../src/history/parts-due.js';
import { VisibleParts } from '../../src/history/visible-parts.js';
import { PART_SIZE } from '../../src/model/feed-history.js';
import { monthParts, type MonthPart } from '../../src/model/month-parts.js';
import { scheduledOf, visibleRows } from '../../src/pipeline/embargo.js';
import { prng, recordRow as entry } from '../archive/table-rows.js';

/**
 * The planner of visible parts and of the parts due (history/visible-parts.ts, parts-due.ts)
 * against today's functions of every row (the oracle): monthParts over visibleRows, before and
 * after a run, every part's rows and links compared. Seeded: FEEDKEEPER_SEED=n replays.
 */

type Row = [string, RecordEntry];

/** Rows in the chunks' order: ties of date and id fall in one order for oracle and planner. */
const ordered = (rows: Map<string, RecordEntry>): Map<string, RecordEntry> =>
  new Map([...rows].sort(byKey));

interface Outputs {
  /** Part name → what its page is made of (render-pages.ts planPages' key, rows whole). */
  readonly pages: Map<string, string>;
  /** Part name → what its archive documents are made of (archive-chain.ts key, rows whole). */
  readonly docs: Map<string, string>;
  readonly parts: MonthPart<Row>[];
}

/** Every page and archive document of a table at a clock, by today's code. */
function outputsOf(
  rows: Map<string, RecordEntry>,
  at: string,
  leftOut: ReadonlySet<string>,
): Outputs {
  const visible = visibleRows(ordered(rows), at, leftOut);
  const parts = monthParts([...visible] as Row[], ([, r]) => r);
  const live = (p: MonthPart<Row>): boolean => p.rows.some(([, r]) => !r.withdrawn);
  const months = [...new Set(parts.filter(live).map((p) => p.month))].sort();
  const chain = parts.filter(live);
  const docs = new Map<string, string>();
  chain.forEach((p, i) =>
    docs.set(
      p.name,
      JSON.stringify([chain[i - 1]?.name ?? null, chain[i + 1]?.name ?? null, p.rows]),
    ),
  );
  const pages = new Map<string, string>();
  for (const p of parts) {
    const m = months.indexOf(p.month);
    if (m < 0) continue;
    const contents = parts
      .filter((q) => q.month === p.month)
      .map((q) => [q.name, q.rows[0]?.[1].publishedAt]);
    pages.set(
      p.name,
      JSON.stringify([
        p.number,
        p.number < p.of,
        p.number === 1 ? [months[m - 1] ?? null, months[m + 1] ?? null] : null,
        p.number === 1 && p.of > 1 ? contents : null,
        p.rows,
      ]),
    );
  }
  return { pages, docs, parts };
}

const differing = (a: Map<string, string>, b: Map<string, string>): Set<string> =>
  new Set([...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k)));

const THEN = '2026-12-10T00:00:00Z';
const NOW = '2026-12-15T00:00:00Z';

interface Case {
  before: Map<string, RecordEntry>;
  after: Map<string, RecordEntry>;
  changes: RowChange[];
  leftOutBefore: Set<string>;
  leftOutAfter: Set<string>;
}

/** A random table as the last publication left it, and a random run of changes after it. */
function randomCase(random: () => number): Case {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const chance = (p: number): boolean => random() < p;
  // Few times a month, so that dates tie; Sept mostly withdrawn, so parts leave the chain.
  const months = ['2026-09', '2026-10', '2026-11', '2026-12'];
  const dateIn = (m: string): string =>
    `${m}-${pick(['01', '05', '09', '12', '14', '20', '27'])}T0${Math.floor(random() * 3)}:00:00Z`;
  const sizes = months.map(() => Math.floor(random() * 320));
  const before = new Map<string, RecordEntry>();
  let next = 0;
  const fresh = (m: string, o: Partial<RecordEntry> = {}): Row => {
    const n = next++;
    // Now and then an id already used (withdrawn records share ids with their successors).
    const id = chance(0.03) && n > 0 ? `id-${Math.floor(random() * n)}` : `id-${n}`;
    return [`${m.replace('-', '/')}/r${n}.json`, entry(dateIn(m), id, o)];
  };
  months.forEach((m, k) => {
    const block = chance(0.5)
      ? [Math.floor(random() * sizes[k]!), Math.floor(random() * 150)]
      : null;
    for (let i = 0; i < sizes[k]!; i++) {
      const [path, r] = fresh(m);
      const inBlock = block !== null && i >= block[0]! && i < block[0]! + block[1]!;
      if ((m === '2026-09' && chance(0.9)) || inBlock || chance(0.1)) {
        // Withdrawn at the last publication or before it; before its date now and then (a row
        // of a date after THEN withdrawn is never published).
        const at = chance(0.3) ? '2026-09-01T00:00:00Z' : THEN;
        before.set(path, {
          ...r,
          withdrawn: true,
          withdrawnAt: at < r.publishedAt && chance(0.5) ? at : THEN,
        });
      } else before.set(path, r);
    }
  });
  const paths = (): string[] => [...before.keys()];
  const leftOutBefore = new Set(paths().filter(() => chance(0.01)));
  const leftOutAfter = new Set([...leftOutBefore].filter(() => chance(0.7)));
  for (const p of paths()) if (chance(0.005)) leftOutAfter.add(p);

  const after = new Map(before);
  const kinds = ['arrive', 'delete', 'edit', 'withdraw', 'restore', 'move', 'emptyMonth', 'bulk'];
  const runs = Math.floor(random() * 6);
  for (let k = 0; k < runs; k++) {
    const kind = pick(kinds);
    const existing = [...after.keys()];
    if (existing.length === 0 && kind !== 'arrive') continue;
    const path = existing.length > 0 ? pick(existing) : '';
    const r = after.get(path);
    switch (kind) {
      case 'arrive': {
        const [p, n] = fresh(pick(months));
        after.set(
          p,
          chance(0.2)
            ? {
                ...n,
                publishedAt: pick([NOW, THEN, '2026-12-12T00:00:00Z', '2026-12-30T00:00:00Z']),
              }
            : n,
        );
        break;
      }
      case 'delete':
        after.delete(path);
        break;
      case 'edit':
        if (r) after.set(path, { ...r, updatedAt: NOW });
        break;
      case 'withdraw':
        if (r && !r.withdrawn) after.set(path, { ...r, withdrawn: true, withdrawnAt: NOW });
        break;
      case 'restore':
        if (r?.withdrawn)
          after.set(path, { ...r, withdrawn: false, withdrawnAt: null, restoredAt: NOW });
        break;
      case 'move':
        if (r) after.set(path, { ...r, publishedAt: dateIn(pick(months)) });
        break;
      case 'emptyMonth': {
        const m = pick(months);
        for (const [p, x] of after)
          if (x.publishedAt.startsWith(m) && !x.withdrawn)
            after.set(p, { ...x, withdrawn: true, withdrawnAt: NOW });
        break;
      }
      case 'bulk': {
        // A run of arrivals in one month: parts join the chain and months get more parts.
        const m = pick(months);
        for (let i = Math.floor(random() * 130); i > 0; i--) {
          const [p, n] = fresh(m);
          after.set(p, n);
        }
        break;
      }
    }
  }
  const changes: RowChange[] = [];
  for (const path of new Set([...before.keys(), ...after.keys()])) {
    const b = before.get(path);
    const a = after.get(path);
    if (b !== a) changes.push({ path, before: b, after: a });
  }
  return { before, after, changes, leftOutBefore, leftOutAfter };
}

const keysOf = (paths: Set<string>, rows: Map<string, RecordEntry>): Map<string, SortKey> => {
  const out = new Map<string, SortKey>();
  for (const p of paths) {
    const r = rows.get(p);
    if (r) out.set(p, sortKeyOf(p, r));
  }
  return out;
};

function plan(c: Case, max: number): PartsDue {
  return partsDue({
    view: chunksOfRows(c.after, max),
    changes: c.changes,
    now: NOW,
    leftOutBefore: keysOf(c.leftOutBefore, c.before),
    leftOutAfter: keysOf(c.leftOutAfter, c.after),
    scheduled: scheduledOf(c.before, THEN),
  });
}

/**
 * The parts the rules may render though nothing of them differs: every part from the first
 * row new to or gone from a month's visible rows on, and the part of a row changed in place
 * (from the whole rows, not the chunks).
 */
function allowedExtra(c: Case, was: Outputs, is: Outputs): Set<string> {
  const allowed = new Set<string>();
  const byMonth = (o: Outputs): Map<string, Row[]> => {
    const m = new Map<string, Row[]>();
    for (const p of o.parts) m.set(p.month, [...(m.get(p.month) ?? []), ...p.rows]);
    return m;
  };
  const [b, a] = [byMonth(was), byMonth(is)];
  const changed = new Set(c.changes.map((x) => x.path));
  for (const month of new Set([...b.keys(), ...a.keys()])) {
    const rb = b.get(month) ?? [];
    const ra = a.get(month) ?? [];
    const key = (row: Row): string => JSON.stringify(sortKeyOf(row[0], row[1]));
    const kb = new Set(rb.map(key));
    const ka = new Set(ra.map(key));
    let first = Infinity;
    ra.forEach((row, i) => {
      if (!kb.has(key(row))) first = Math.min(first, i);
      else if (changed.has(row[0])) allowed.add(`${month} ${Math.floor(i / PART_SIZE)}`);
    });
    rb.forEach((row, i) => {
      if (!ka.has(key(row))) first = Math.min(first, i);
    });
    const n = Math.max(ra.length, rb.length);
    for (let i = Math.floor(first / PART_SIZE); i * PART_SIZE < n; i++)
      allowed.add(`${month} ${i}`);
  }
  return new Set(
    [...allowed].map((x) => {
      const [month, i] = x.split(' ');
      return Number(i) === 0 ? month! : `${month}/${Number(i) + 1}`;
    }),
  );
}

function check(c: Case, max: number, where: string): PartsDue {
  const was = outputsOf(c.before, THEN, c.leftOutBefore);
  const is = outputsOf(c.after, NOW, c.leftOutAfter);
  const due = plan(c, max);
  const pages = differing(was.pages, is.pages);
  const docs = differing(was.docs, is.docs);
  const extra = allowedExtra(c, was, is);
  const gone = (d: Set<string>, now: Map<string, string>): string[] =>
    [...d].filter((n) => !now.has(n)).sort();
  // Every part that differs is due, or gone; what is gone is exactly what no longer exists.
  for (const n of pages) if (is.pages.has(n)) expect(due.pages, `${where}: page ${n}`).toContain(n);
  for (const n of docs)
    if (is.docs.has(n)) expect(due.documents, `${where}: docs ${n}`).toContain(n);
  expect([...due.gonePages].sort(), `${where}: gone pages`).toEqual(gone(pages, is.pages));
  expect([...due.goneDocuments].sort(), `${where}: gone docs`).toEqual(gone(docs, is.docs));
  // Nothing due that does not exist, nor more than the rules ask.
  for (const n of due.pages) {
    expect(is.pages.has(n), `${where}: page ${n} has no page`).toBe(true);
    if (!pages.has(n)) expect(extra, `${where}: page ${n} due, unchanged`).toContain(n);
  }
  for (const n of due.documents) {
    expect(is.docs.has(n), `${where}: docs ${n} not in the chain`).toBe(true);
    if (!docs.has(n)) expect(extra, `${where}: docs ${n} due, unchanged`).toContain(n);
  }
  return due;
}

describe('visible parts from the root of the chunks', () => {
  it('cuts every month as monthParts over visibleRows does, reading only chunks with hidden rows (seeded)', () => {
    const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`visible parts seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const random = prng(seed);
    for (let round = 0; round < 20; round++) {
      const c = randomCase(random);
      const max = 5 + Math.floor(random() * 16);
      const view = chunksOfRows(c.after, max);
      const parts = new VisibleParts(view, NOW, keysOf(c.leftOutAfter, c.after));
      const want = outputsOf(c.after, NOW, c.leftOutAfter).parts;
      const where = `seed ${seed} round ${round}`;
      for (const month of parts.months) {
        const mine = want.filter((p) => p.month === month);
        expect(parts.cut(month).parts, `${where}: ${month}`).toBe(mine.length);
      }
      // Counting read only the chunks across the clock and those holding a left-out row.
      const leftOutAt = new Set(
        [...keysOf(c.leftOutAfter, c.after).values()].map((k) => parts.chunkAt(k)),
      );
      view.chunks.forEach((ch, i) => {
        const across = ch.first[0] <= NOW && ch.last[0] > NOW;
        if (!across && !leftOutAt.has(i))
          expect(view.read.has(ch.name), `${where}: ${ch.name} read`).toBe(false);
      });
      // The links: each document's neighbours in the chain, each month's with pages.
      const chain = want.filter((p) => p.rows.some(([, r]) => !r.withdrawn));
      chain.forEach((p, i) => {
        expect(parts.chainBeside(p.month, p.number, -1), `${where}: ${p.name}`).toBe(
          chain[i - 1]?.name,
        );
        expect(parts.chainBeside(p.month, p.number, 1), `${where}: ${p.name}`).toBe(
          chain[i + 1]?.name,
        );
      });
      const withPages = [...new Set(chain.map((p) => p.month))];
      for (const m of ['2026/08', ...parts.months, '2027/01']) {
        const k = withPages.filter((x) => x < m).length;
        expect(parts.monthBeside(m, -1), `${where}: ${m}`).toBe(withPages[k - 1]);
        expect(parts.monthBeside(m, 1), `${where}: ${m}`).toBe(withPages.filter((x) => x > m)[0]);
      }
      for (const p of want) {
        const before = new Set(view.read);
        expect(parts.partRows(p.month, p.number), `${where}: ${p.name}`).toEqual(p.rows);
        // Its rows are read from its own chunks alone.
        const place = parts.partPlace(p.month, p.number);
        for (const name of view.read)
          if (!before.has(name))
            expect(
              place.chunks.map((i) => view.chunks[i]!.name),
              `${where}: ${p.name}`,
            ).toContain(name);
      }
    }
  });

  it('reads no chunk of a table with nothing hidden', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 1000; i++)
      rows.push([
        `2026/11/r${i}.json`,
        entry(
          `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
          `id-${i}`,
          i % 7 === 0 ? { withdrawn: true, withdrawnAt: '2026-11-30T00:00:00Z' } : {},
        ),
      ]);
    const view = chunksOfRows(rows, 20);
    const parts = new VisibleParts(view, NOW, new Map());
    expect(parts.cut('2026/11')).toMatchObject({ count: 1000, parts: 10 });
    expect(parts.partPlace('2026/11', 4).take).toBe(100);
    expect(view.read.size).toBe(0);
  });

  it('a root saved before it counted unseen rows: its chunks are read to count them', () => {
    const rows: Row[] = [];
    for (let i = 0; i < 300; i++)
      rows.push([
        `2026/11/r${i}.json`,
        entry(
          `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
          `id-${i}`,
          // Withdrawn before its date: never published, in no part.
          i % 10 === 0 ? { withdrawn: true, withdrawnAt: '2026-10-01T00:00:00Z' } : {},
        ),
      ]);
    const view = chunksOfRows(rows, 20);
    const older = {
      ...view,
      chunks: view.chunks.map(({ unseen: _, ...c }) => c),
    };
    const reads: number[] = [];
    for (const v of [view, older]) {
      const parts = new VisibleParts(v, NOW, new Map());
      expect(parts.cut('2026/11')).toMatchObject({ count: 270, parts: 3 });
      reads.push(view.read.size);
      expect(parts.partRows('2026/11', 3).length).toBe(70);
    }
    // Counted from the root, then read to count (the same table: `read` is shared).
    expect(reads).toEqual([0, view.chunks.length]);
  });
});

describe('parts due from the changes', () => {
  it('holds every part whose rows or links differ, and no more than the rules say (seeded)', () => {
    const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`parts due seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const random = prng(seed);
    for (let round = 0; round < 80; round++) {
      const c = randomCase(random);
      check(c, 5 + Math.floor(random() * 16), `seed ${seed} round ${round}`);
    }
  });

  it('a record edited by hand (a change that keeps its row) renders its own part alone', () => {
    const rows = new Map<string, RecordEntry>();
    for (let i = 0; i < 450; i++)
      rows.set(
        `2026/11/r${i}.json`,
        entry(
          `2026-11-01T00:00:${String(i % 60).padStart(2, '0')}Z`,
          `id-${String(i).padStart(3, '0')}`,
        ),
      );
    const view = chunksOfRows(rows, 20);
    const r = rows.get('2026/11/r250.json')!;
    const due = partsDue({
      view,
      changes: [{ path: '2026/11/r250.json', before: r, after: r }],
      now: NOW,
      leftOutBefore: new Map(),
      leftOutAfter: new Map(),
      scheduled: [],
    });
    const part = monthParts([...rows].sort(byKey), ([, x]) => x).find((p) =>
      p.rows.some(([path]) => path === '2026/11/r250.json'),
    )!;
    expect(due).toMatchObject({ pages: [part.name], documents: [part.name], gonePages: [] });
    // Its part's chunks are read (its rows are rendered), no other.
    const place = due.parts
      .partPlace(part.month, part.number)
      .chunks.map((i) => view.chunks[i]!.name);
    expect([...view.read].filter((name) => !place.includes(name))).toEqual([]);
  });

  it('one arrival at the end of a month of 10,000 reads at most 2 chunks', () => {
    const before = new Map<string, RecordEntry>();
    for (let i = 0; i < 10000; i++)
      before.set(
        `2026/12/r${i}.json`,
        entry('2026-12-01T00:00:00Z', `tag:x,2026:${String(i).padStart(6, '0')}`),
      );
    // And records under embargo, at the last publication and now (in no part either time).
    for (let i = 0; i < 5; i++)
      before.set(`2027/01/s${i}.json`, entry('2027-01-02T00:00:00Z', `tag:x,2027:s${i}`));
    const after = new Map(before);
    after.set('2026/12/new.json', entry('2026-12-14T00:00:00Z', 'tag:x,2026:new'));
    const c: Case = {
      before,
      after,
      changes: [
        { path: '2026/12/new.json', before: undefined, after: after.get('2026/12/new.json') },
      ],
      leftOutBefore: new Set(),
      leftOutAfter: new Set(),
    };
    const view = chunksOfRows(after);
    const due = partsDue({
      view,
      changes: c.changes,
      now: NOW,
      leftOutBefore: new Map(),
      leftOutAfter: new Map(),
      scheduled: scheduledOf(before, THEN),
    });
    expect(view.read.size).toBeLessThanOrEqual(2);
    // The chunk the arrival went to, no other: not those of the records still under embargo.
    expect([...view.read]).toEqual([view.chunks.filter((c) => c.month === '2026/12').at(-1)!.name]);
    expect(due.pages).toEqual(['2026/12', '2026/12/100', '2026/12/101']);
    expect(due.documents).toEqual(['2026/12/100', '2026/12/101']);
    expect(due.gonePages).toEqual([]);
    check(c, 200, 'one arrival');
  });
});
