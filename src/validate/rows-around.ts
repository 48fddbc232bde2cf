import type { RecordEntry } from '../archive/catalogue.js';
import type { RecordChunks } from '../archive/record-view.js';
import { monthOfRow } from './outputs-due.js';

/**
 * The rows the gate's checks of a run's changes look at (outputs-due.ts, outputs-around.ts),
 * read from the records table's chunks as saved instead of every row: every row of the months
 * the changed records are in, and of the nearest month on either side that has a live row
 * readers see (`liveIn`: the gate's own chain oracle, validate/expected-history-chunks.ts, says
 * which). Those checks cut only those months and find a neighbour only among months with a live
 * row, so on these rows they answer as on every row; a month with thousands of rows is still
 * read whole.
 */
export function rowsAround(
  view: RecordChunks,
  rows: { get(path: string): RecordEntry | undefined },
  changed: Iterable<string>,
  liveIn: ReadonlyMap<string, number>,
): Map<string, RecordEntry> {
  const touched = new Set<string>();
  for (const path of changed) {
    const r = rows.get(path);
    if (r !== undefined) touched.add(monthOfRow(r));
  }
  const live = [...liveIn.keys()].filter((m) => (liveIn.get(m) ?? 0) > 0).sort();
  const reach = new Set(touched);
  for (const month of touched) {
    const before = live.filter((m) => m < month);
    const after = live.filter((m) => m > month);
    if (before.length > 0) reach.add(before[before.length - 1]!);
    if (after.length > 0) reach.add(after[0]!);
  }
  const out = new Map<string, RecordEntry>();
  for (const chunk of view.chunks)
    if (reach.has(chunk.month)) for (const [path, r] of view.rows(chunk)) out.set(path, r);
  return out;
}
