import type { RecordEntry } from '../archive/catalogue.js';
import {
  compareKeys,
  sortKeyOf,
  type ChunkSummary,
  type SortKey,
} from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { PART_SIZE } from '../model/feed-history.js';
import { partOfName } from '../model/month-parts.js';
import { countedByRoot } from './expected-history-chunks.js';
import { monthOfRow, seen } from './outputs-due.js';

/**
 * The rows the gate's checks of a run's changes look at (outputs-due.ts, outputs-around.ts),
 * read from the records table's chunks as saved instead of every row. Those checks cut only the
 * months the changed records are in, and look at the nearest month on either side that has a
 * live row readers see. Of a changed month they need its parts from the first that holds a
 * changed record to the last that does, or to the month's end when a record is new to it (it
 * moves every record after it); of the parts before and after those, and of the months beside,
 * only what the gate's own chain oracle (validate/expected-history-chunks.ts) says: how many
 * parts, and which list a live row. So a month of 100,000 rows (an archive imported without
 * dates) is not read whole: one new article read 100,000 rows here, 0.7 s of a 4.7 s run.
 */
export interface PartsAside {
  /** Whole parts of the month on that side of the rows given (all of them, when none is). */
  readonly parts: number;
  /** Whether one of those parts lists a live row. */
  readonly live: boolean;
  /** The first and last of those parts that list a live row (those with archive documents). */
  readonly firstLive: string | undefined;
  readonly lastLive: string | undefined;
}

export interface GateRows {
  /** The visible rows of each changed month's parts from its first to its last changed one. */
  readonly rows: Map<string, RecordEntry>;
  /** Per month reached, its parts before those rows (every part of a month beside). */
  readonly before: Map<string, PartsAside>;
  /** Per changed month, its parts after those rows (none when a record is new to it). */
  readonly after: Map<string, PartsAside>;
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

export function rowsAround(
  view: RecordChunks,
  rows: { get(path: string): RecordEntry | undefined },
  changed: Iterable<string>,
  /**
   * What the archive step says a changed record was (outputs-around.ts `was`): one it does not
   * name is new to its month.
   */
  was: { has(path: string): boolean },
  chain: ChainFacts,
  now: string,
  leftOut: ReadonlyMap<string, SortKey>,
): GateRows {
  const visible = (path: string, r: RecordEntry): boolean => seen(r, now) && !leftOut.has(path);
  // The changed rows readers see, per month, and whether one is new to it.
  const mine = new Map<string, { keys: Set<string>; news: boolean }>();
  for (const path of changed) {
    const r = rows.get(path);
    if (r === undefined || !visible(path, r)) continue;
    const month = monthOfRow(r);
    const m = mine.get(month) ?? { keys: new Set<string>(), news: false };
    mine.set(month, m);
    m.keys.add(path);
    if (!was.has(path)) m.news = true;
  }
  const partsIn = new Map<string, number>();
  for (const name of chain.parts) {
    const { month, n } = partOfName(name);
    partsIn.set(month, Math.max(partsIn.get(month) ?? 0, n));
  }
  const live = [...chain.liveIn.keys()].filter((m) => (chain.liveIn.get(m) ?? 0) > 0).sort();
  const beside = new Set<string>();
  for (const month of mine.keys()) {
    const older = live.filter((m) => m < month);
    const newer = live.filter((m) => m > month);
    if (older.length > 0) beside.add(older[older.length - 1]!);
    if (newer.length > 0) beside.add(newer[0]!);
  }
  /** The parts of `month` numbered in [from, to], as the chain oracle knows them. */
  const aside = (month: string, from: number, to: number): PartsAside => {
    const listed = chain.names.filter((name) => {
      const p = partOfName(name);
      return p.month === month && p.n >= from && p.n <= to;
    });
    return {
      parts: Math.max(0, to - from + 1),
      live: listed.length > 0,
      firstLive: listed[0],
      lastLive: listed[listed.length - 1],
    };
  };
  const out: GateRows = { rows: new Map(), before: new Map(), after: new Map() };
  // A month beside a changed one: its parts, as the oracle knows them, and no row.
  for (const month of beside)
    if (!mine.has(month)) out.before.set(month, aside(month, 1, partsIn.get(month) ?? 0));
  const byMonth = new Map<string, ChunkSummary[]>();
  for (const c of view.chunks)
    if (mine.has(c.month)) {
      const list = byMonth.get(c.month);
      if (list) list.push(c);
      else byMonth.set(c.month, [c]);
    }
  const leftOutKeys = [...leftOut.values()];
  /** A chunk's visible rows as the root says them, the chain oracle's rule. */
  const knownCount = (c: ChunkSummary): number | undefined =>
    countedByRoot(c, now, leftOutKeys)?.visible;
  for (const [month, m] of mine) {
    const chunks = byMonth.get(month) ?? [];
    const keys = [...m.keys].map((path) => sortKeyOf(path, rows.get(path)!));
    const holdsChange = (c: ChunkSummary): boolean =>
      keys.some((k) => compareKeys(c.first, k) <= 0 && compareKeys(k, c.last) <= 0);
    // Where the first and last changed rows are among the month's visible rows.
    let at = 0;
    let first = Infinity;
    let last = -1;
    let found = 0;
    for (const c of chunks) {
      if (found === m.keys.size) break;
      const known = holdsChange(c) ? undefined : knownCount(c);
      if (known !== undefined) {
        at += known;
        continue;
      }
      for (const [path, r] of view.rows(c)) {
        if (!visible(path, r)) continue;
        if (m.keys.has(path)) {
          first = Math.min(first, at);
          last = Math.max(last, at);
          found++;
        }
        at++;
      }
    }
    // A changed row the chunks do not hold where its row says (never expected): the whole
    // month, as before, so that nothing is proven less.
    const whole = found !== m.keys.size;
    const from = whole ? 0 : Math.floor(first / PART_SIZE);
    // A record new to the month moves every record after it: to the month's end.
    const to = whole || m.news ? Infinity : Math.floor(last / PART_SIZE) + 1;
    out.before.set(month, aside(month, 1, from));
    if (to !== Infinity) out.after.set(month, aside(month, to + 1, partsIn.get(month) ?? 0));
    // The rows of parts [from, to) (a chunk wholly outside is not read when the root knows its
    // count).
    const skip = from * PART_SIZE;
    const end = to * PART_SIZE;
    at = 0;
    for (const c of chunks) {
      if (at >= end) break;
      const known = knownCount(c);
      if (known !== undefined && at + known <= skip) {
        at += known;
        continue;
      }
      for (const [path, r] of view.rows(c)) {
        if (!visible(path, r)) continue;
        if (at >= skip && at < end) out.rows.set(path, r);
        at++;
      }
    }
  }
  return out;
}
