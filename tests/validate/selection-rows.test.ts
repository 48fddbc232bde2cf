import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { byKey } from '../../src/archive/record-chunks.js';
import { chunksOfRows } from '../../src/archive/record-view.js';
import { selectionRows } from '../../src/pipeline/prove-outputs.js';
import { selectEntries } from '../../src/pipeline/select-entries.js';
import { selectionProblems } from '../../src/validate/expected-feed.js';
import { prng, recordRow as row } from '../archive/table-rows.js';

/**
 * The gate's check of the selection (validate/expected-feed.ts selectionProblems) given only
 * the rows selectionRows() reads from the chunks must refuse exactly the selections it refuses
 * given every row: right ones, and ones broken as a faulty selector would (a row dropped, two
 * swapped, an old, withdrawn, embargoed or unknown row listed, a short list). Seeded:
 * FEEDKEEPER_SEED=<seed> replays a run.
 */

const NOW = '2026-12-10T00:00:00Z';

function randomTable(random: () => number, n: number): [string, RecordEntry][] {
  const rows: [string, RecordEntry][] = [];
  for (let i = 0; i < n; i++) {
    const month = 9 + Math.floor(random() * 4); // 09..12: December holds embargoes
    const day = 1 + Math.floor(random() * 28);
    // Few distinct hours, so that dates tie often.
    const at = `2026-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T0${Math.floor(random() * 3)}:00:00Z`;
    const withdrawn = random() < 0.15;
    rows.push([
      `2026/${month}/r${i}.json`,
      row(at, `id-${Math.floor(random() * n * 2)}`, {
        withdrawn,
        withdrawnAt: withdrawn ? NOW : null,
      }),
    ]);
  }
  return rows;
}

/** Ways a selector goes wrong; each may or may not make a wrong list (the oracle decides). */
function mutate(random: () => number, listed: string[], all: readonly string[]): string[] {
  const out = [...listed];
  const i = Math.floor(random() * Math.max(1, out.length));
  switch (Math.floor(random() * 6)) {
    case 0:
      out.splice(i, 1);
      break;
    case 1:
      if (out.length > 1) [out[0], out[out.length - 1]] = [out[out.length - 1]!, out[0]!];
      break;
    case 2:
      out[i] = all[Math.floor(random() * all.length)]!;
      break;
    case 3:
      out.push(all[Math.floor(random() * all.length)]!);
      break;
    case 4:
      out[i] = 'nowhere/none.json';
      break;
    default:
      out.pop();
  }
  return out;
}

describe('selectionRows: the rows the gate checks a selection against, from the chunks', () => {
  const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Date.now() % 1_000_000);
  console.log(`selection-rows seed: FEEDKEEPER_SEED=${seed}`);

  it('refuses exactly the selections the whole table refuses', () => {
    const random = prng(seed);
    let refused = 0;
    for (let round = 0; round < 200; round++) {
      const table = randomTable(random, 20 + Math.floor(random() * 120));
      const records = new Map(table);
      const view = chunksOfRows(table, 3 + Math.floor(random() * 10));
      const size = 1 + Math.floor(random() * 30);
      const leftOut = new Set(table.filter(() => random() < 0.05).map(([p]) => p));
      const right = selectEntries({ records }, size, NOW, leftOut);
      const paths = table.map(([p]) => p);
      const listed = random() < 0.3 ? right : mutate(random, right, paths);
      const whole = selectionProblems(records, listed, size, NOW, leftOut);
      const part = selectionProblems(selectionRows(view, listed, size), listed, size, NOW, leftOut);
      expect(part.length > 0, `seed ${seed} round ${round}: ${whole.join('; ')}`).toBe(
        whole.length > 0,
      );
      if (whole.length > 0) refused++;
    }
    // The mutations must make wrong selections often, or the test proves nothing.
    expect(refused).toBeGreaterThan(50);
  });

  it('reads the newest chunks only, for a right selection of a large table', () => {
    const table: [string, RecordEntry][] = [];
    for (let i = 0; i < 10_000; i++) {
      const t = new Date(Date.parse('2026-01-01T00:00:00Z') + i * 3_600_000).toISOString();
      table.push([`r${i}.json`, row(t.replace('.000Z', 'Z'), `id-${i}`)]);
    }
    table.sort(byKey);
    const view = chunksOfRows(table);
    const records = new Map(table);
    const listed = selectEntries({ records }, 50, '2027-06-01T00:00:00Z');
    const rows = selectionRows(view, listed, 50);
    expect(selectionProblems(rows, listed, 50, '2027-06-01T00:00:00Z')).toEqual([]);
    expect(view.read.size).toBeLessThanOrEqual(2);
    expect(view.chunks.length).toBeGreaterThan(40);
    // A listed row from the far past: found (every chunk read) and refused.
    const wrong = [...listed.slice(0, 49), 'r5.json'];
    const all = selectionRows(chunksOfRows(table), wrong, 50);
    expect(selectionProblems(all, wrong, 50, '2027-06-01T00:00:00Z').length).toBeGreaterThan(0);
  });
});
