import type { RecordEntry } from '../archive/catalogue.js';
import {
  compareKeys,
  sortKeyOf,
  type ChunkSummary,
  type SortKey,
} from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { PART_SIZE } from '../model/feed-history.js';
import { monthOfRow, seen } from './outputs-due.js';

/**
 * The rows the gate's checks of a run's changes look at (outputs-due.ts, outputs-around.ts),
 * read from the records table's chunks as saved instead of every row. Those checks cut only the
 * months the changed records are in, and look at the nearest month on either side that has a
 * live row readers see. Of a changed month they need every part from the first that holds a
 * changed record to the month's end (a record new to the month moves every record after it);
 * of the parts before, and of the months beside, only what the gate's own chain oracle
 * (validate/expected-history-chunks.ts) says: how many parts, and which list a live row. So a
 * month of 100,000 rows (an archive imported without dates) is read from its changed part on,
 * not whole: one new article read 100,000 rows here, 0.7 s of a 4.7 s run.
 */
export interface MonthHead {
  /** Whole parts of the month before the rows given (all of them, when none is given). */
  readonly parts: number;
  /** Whether one of those parts lists a live row. */
  readonly live: boolean;
  /** The first and last of those parts that list a live row (those with archive documents). */
  readonly firstLive: string | undefined;
  readonly lastLive: string | undefined;
}

export interface GateRows {
  /** Every visible row of the changed months from their first changed part on. */
  readonly rows: Map<string, RecordEntry>;
  /** Per month reached, the parts before those rows. */
  readonly heads: Map<string, MonthHead>;
}

/** What the chain oracle says of every part (validate/expected-history.ts ExpectedChain). */
export interface ChainFacts {
  /** Every part's name, oldest first. */
  readonly parts: readonly string[];
  /** The parts that list a live row (have a document), oldest first. */
  readonly names: readonly string[];
  /** Each month's live rows. */
  readonly liveIn: ReadonlyMap<string, number>;
}

/** A part's number in its month: `YYYY/MM` is 1, `YYYY/MM/<n>` is n. */
const partNumber = (name: string): number => Number(name.split('/')[2] ?? '1');
const monthOfPart = (name: string): string => name.split('/').slice(0, 2).join('/');

export function rowsAround(
  view: RecordChunks,
  rows: { get(path: string): RecordEntry | undefined },
  changed: Iterable<string>,
  chain: ChainFacts,
  now: string,
  leftOut: ReadonlyMap<string, SortKey>,
): GateRows {
  const visible = (path: string, r: RecordEntry): boolean => seen(r, now) && !leftOut.has(path);
  // The first changed row readers see, per month (by sort key: the order parts are cut in).
  const firstChanged = new Map<string, SortKey>();
  for (const path of changed) {
    const r = rows.get(path);
    if (r === undefined || !visible(path, r)) continue;
    const month = monthOfRow(r);
    const key = sortKeyOf(path, r);
    const was = firstChanged.get(month);
    if (was === undefined || compareKeys(key, was) < 0) firstChanged.set(month, key);
  }
  const partsIn = new Map<string, number>();
  for (const name of chain.parts) {
    const month = monthOfPart(name);
    partsIn.set(month, Math.max(partsIn.get(month) ?? 0, partNumber(name)));
  }
  const live = [...chain.liveIn.keys()].filter((m) => (chain.liveIn.get(m) ?? 0) > 0).sort();
  const beside = new Set<string>();
  for (const month of firstChanged.keys()) {
    const before = live.filter((m) => m < month);
    const after = live.filter((m) => m > month);
    if (before.length > 0) beside.add(before[before.length - 1]!);
    if (after.length > 0) beside.add(after[0]!);
  }
  const headOf = (month: string, parts: number): MonthHead => {
    const mine = chain.names.filter((n) => monthOfPart(n) === month && partNumber(n) <= parts);
    return {
      parts,
      live: mine.length > 0,
      firstLive: mine[0],
      lastLive: mine[mine.length - 1],
    };
  };
  const out: GateRows = { rows: new Map(), heads: new Map() };
  // A month beside a changed one: its parts, as the oracle knows them, and no row.
  for (const month of beside)
    if (!firstChanged.has(month)) out.heads.set(month, headOf(month, partsIn.get(month) ?? 0));
  const byMonth = new Map<string, ChunkSummary[]>();
  for (const c of view.chunks)
    if (firstChanged.has(c.month)) {
      const list = byMonth.get(c.month);
      if (list) list.push(c);
      else byMonth.set(c.month, [c]);
    }
  const holdsLeftOut = (c: ChunkSummary): boolean =>
    [...leftOut.values()].some((k) => compareKeys(c.first, k) <= 0 && compareKeys(k, c.last) <= 0);
  /** A chunk's visible rows counted from the root when it can say (as the chain oracle does). */
  const knownCount = (c: ChunkSummary): number | undefined => {
    if (holdsLeftOut(c)) return undefined;
    if (c.first[0] > now) return 0;
    if (c.last[0] <= now && c.unseen !== undefined) return c.rows - c.unseen;
    return undefined;
  };
  for (const [month, first] of firstChanged) {
    const chunks = byMonth.get(month) ?? [];
    // The visible rows before the first changed one: the whole parts among them are the head.
    let before = 0;
    for (const c of chunks) {
      if (compareKeys(c.last, first) < 0) {
        before += knownCount(c) ?? view.rows(c).filter(([path, r]) => visible(path, r)).length;
        continue;
      }
      for (const [path, r] of view.rows(c)) {
        if (compareKeys(sortKeyOf(path, r), first) >= 0) break;
        if (visible(path, r)) before++;
      }
      break;
    }
    const headParts = Math.floor(before / PART_SIZE);
    const skip = headParts * PART_SIZE;
    out.heads.set(month, headOf(month, headParts));
    // The rows from the head's end on (a chunk wholly in the head is not read when the root
    // knows its count).
    let at = 0;
    for (const c of chunks) {
      const known = knownCount(c);
      if (known !== undefined && at + known <= skip) {
        at += known;
        continue;
      }
      for (const [path, r] of view.rows(c)) {
        if (!visible(path, r)) continue;
        if (at >= skip) out.rows.set(path, r);
        at++;
      }
    }
  }
  return out;
}
