import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { byKey, sortKeyOf, type SortKey } from '../../src/archive/record-chunks.js';
import { allRows, chunksOfRows, type RecordChunks } from '../../src/archive/record-view.js';
import { PART_SIZE } from '../../src/model/feed-history.js';
import { visibleRows } from '../../src/pipeline/embargo.js';
import { datedRows, feedDateOfChunks } from '../../src/pipeline/prove-outputs.js';
import { feedDateOf } from '../../src/validate/expected-feed.js';
import { expectedChain, type ExpectedChain } from '../../src/validate/expected-history.js';
import { expectedChainOfChunks } from '../../src/validate/expected-history-chunks.js';
import { prng, recordRow as entry } from '../archive/table-rows.js';

/**
 * The gate's chain oracle from the chunks (validate/expected-history-chunks.ts) against the
 * oracle of every row, expectedChain over visibleRows, on seeded random tables: every field,
 * every part and document. FEEDKEEPER_SEED=n replays one table.
 */

const BASE = 'https://news.example.org';
const NOW = '2026-12-15T00:00:00Z';

/** A random table: months of few distinct times (ties), shared ids, embargoes, withdrawals. */
function randomTable(random: () => number): Map<string, RecordEntry> {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)]!;
  const rows = new Map<string, RecordEntry>();
  const months = ['2026-09', '2026-10', '2026-11', '2026-12', '2027-01'];
  let n = 0;
  for (const m of months) {
    // A month mostly withdrawn now and then, so that whole parts leave the chain.
    const withdrawnShare = pick([0, 0.05, 0.3, 0.9, 1]);
    const size = Math.floor(random() * random() * 260);
    for (let k = 0; k < size; k++) {
      const day = m === '2026-12' ? pick(['01', '09', '14', '15', '20']) : pick(['03', '14', '27']);
      const at = `${m}-${day}T0${Math.floor(random() * 2)}:00:00Z`;
      const id = `tag:x,2026:${random() < 0.1 ? Math.floor(random() * 5) : n}`;
      const o: { -readonly [K in keyof RecordEntry]?: RecordEntry[K] } = {};
      if (random() < withdrawnShare) {
        // Withdrawn before its embargo ended (never seen) or after it.
        o.withdrawn = true;
        o.withdrawnAt = random() < 0.3 ? '2026-11-01T00:00:00Z' : '2027-02-01T00:00:00Z';
      }
      if (random() < 0.1) o.restoredAt = '2026-12-10T00:00:00Z';
      rows.set(`${m}/r${n++}.json`, entry(at, id, o));
    }
  }
  return new Map([...rows].sort(byKey));
}

const leftOutOf = (rows: Map<string, RecordEntry>, paths: Iterable<string>): Map<string, SortKey> =>
  new Map([...paths].map((p) => [p, sortKeyOf(p, rows.get(p)!)]));

/** A root saved before `unseen` existed: each chunk is read to count its visible rows. */
const withoutUnseen = (view: RecordChunks): RecordChunks => ({
  chunks: view.chunks.map(({ unseen: _unseen, ...c }) => c),
  rows: (c) => view.rows(c),
  read: view.read,
});

/** Every answer of a chain, documents and parts included, as one comparable value. */
const answers = (chain: ExpectedChain): unknown => ({
  subscription: chain.subscription,
  names: chain.names,
  parts: chain.parts,
  liveIn: [...chain.liveIn],
  each: chain.parts.map((name) => [chain.part(name), chain.doc(name) ?? null]),
  none: [chain.part('2026/08'), chain.doc('2026/09/99'), chain.part('2026/09/99')],
});

describe('expectedChainOfChunks', () => {
  it('answers as expectedChain over the visible rows, on seeded random tables', () => {
    const seed = Number(process.env.FEEDKEEPER_SEED ?? Date.now() % 100000);
    console.log(`expected-history-chunks seed ${seed} (FEEDKEEPER_SEED=${seed} replays)`);
    let withoutDocs = 0;
    for (let round = 0; round < 60; round++) {
      const random = prng(seed + round);
      const rows = randomTable(random);
      const paths = [...rows.keys()];
      const left = paths.filter(() => random() < 0.03);
      const partSize = [3, 10, PART_SIZE][round % 3]!;
      const feedSize = Math.floor(random() * 40);
      const view0 = chunksOfRows(rows, 4 + Math.floor(random() * 17));
      const view = round % 4 === 3 ? withoutUnseen(view0) : view0;
      const got = expectedChainOfChunks(view, NOW, leftOutOf(rows, left), feedSize, BASE, partSize);
      const whole = expectedChain(
        visibleRows(new Map([...allRows(chunksOfRows(rows))]), NOW, new Set(left)),
        feedSize,
        BASE,
        partSize,
      );
      expect(answers(got), `seed ${seed + round}`).toEqual(answers(whole));
      withoutDocs += whole.parts.length - whole.names.length;
    }
    // The tables hold parts of withdrawn rows alone (no document), or the test proves little.
    expect(withoutDocs).toBeGreaterThan(0);
  });

  it('at 10,000 rows in 200-row chunks, the subscription and the names read at most 2 chunks', () => {
    const random = prng(7);
    const rows = new Map<string, RecordEntry>();
    for (let n = 0; n < 10_000; n++) {
      const at = new Date(Date.parse('2025-01-01T00:00:00Z') + n * 3_600_000)
        .toISOString()
        .replace('.000', '');
      rows.set(
        `r${String(n).padStart(5, '0')}.json`,
        random() < 0.05
          ? entry(at, `tag:x:${n}`, { withdrawn: true, withdrawnAt: '2026-12-01T00:00:00Z' })
          : entry(at, `tag:x:${n}`),
      );
    }
    // The newest under embargo, one left out beside it.
    rows.set('r99999.json', entry('2027-01-01T00:00:00Z', 'tag:x:late'));
    const now = '2026-02-01T00:00:00Z';
    const sorted = new Map([...rows].sort(byKey));
    const left = ['r09990.json'];
    const view = chunksOfRows(sorted, 200);
    const t0 = performance.now();
    const chain = expectedChainOfChunks(view, now, leftOutOf(sorted, left), 20, BASE, PART_SIZE);
    const { subscription, names } = chain;
    const ms = performance.now() - t0;
    const t1 = performance.now();
    const whole = expectedChain(visibleRows(sorted, now, new Set(left)), 20, BASE, PART_SIZE);
    const wholeMs = performance.now() - t1;
    console.log(
      `chain oracle at 10,000 rows: chunks ${view.read.size} of ${view.chunks.length} read, ${ms.toFixed(1)} ms; every row: ${wholeMs.toFixed(1)} ms`,
    );
    expect(view.read.size).toBeLessThanOrEqual(2);
    expect({ subscription, names }).toEqual({
      subscription: whole.subscription,
      names: whole.names,
    });
    expect(subscription.prevArchive).not.toBeNull();
  });
});

describe('the gate feed date from the chunks (prove-outputs.ts feedDateOfChunks)', () => {
  it('is feedDateOf over every row, on seeded random tables', () => {
    const seed = Number(process.env.FEEDKEEPER_SEED ?? Date.now() % 100000);
    console.log(`gate feed date seed ${seed} (FEEDKEEPER_SEED=${seed} replays)`);
    for (let round = 0; round < 60; round++) {
      const random = prng(seed + round);
      const rows = randomTable(random);
      // Edits after publication, and one newest change of all, left out half the time: the
      // date is then the next one, in another chunk.
      const paths = [...rows.keys()];
      for (const [path, r] of rows)
        rows.set(path, {
          ...r,
          ...(r.withdrawnAt === null ? {} : { withdrawnAt: '2026-12-01T00:00:00Z' }),
          ...(random() < 0.1 ? { updatedAt: '2026-12-14T00:00:00Z' } : {}),
        });
      const last = paths[Math.floor(random() * paths.length)];
      const row = last === undefined ? undefined : rows.get(last);
      if (last !== undefined && row !== undefined) rows.set(last, { ...row, updatedAt: NOW });
      const left = new Set(
        paths.filter((path) => (path === last ? random() < 0.5 : random() < 0.05)),
      );
      const view = chunksOfRows(rows, 4 + Math.floor(random() * 17));
      expect(feedDateOfChunks(view, left, NOW), `seed ${seed + round}`).toBe(
        feedDateOf(datedRows(rows, left), NOW),
      );
    }
  });
});
