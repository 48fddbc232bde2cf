import type { RecordEntry } from '../archive/catalogue.js';
import {
  byKey,
  compareKeys,
  sortKeyOf,
  type RowChange,
  type SortKey,
} from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { PART_SIZE } from '../model/feed-history.js';
import { monthOf, partName } from '../model/month-parts.js';
import { isScheduled } from '../pipeline/release.js';
import { VisibleParts } from './visible-parts.js';

/**
 * The month parts whose archive documents or month pages a run must render, or remove, planned
 * from the run's changes and the root of the records' chunks, not by cutting every month and
 * comparing each part's key with the saved state as `docsDue` (render-archive.ts) and
 * `planPages` (pipeline/render-pages.ts) do (docs/development.md, "Steps 3 to 5 after step 2",
 * step 2). Pure: the view reads the chunks it is asked for (counted in `view.read`).
 *
 * What a part's outputs are made of (history/archive-chain.ts, pipeline/render-pages.ts):
 * - its rows: a month's visible rows, withdrawn ones included, oldest first, PART_SIZE to a
 *   part (model/month-parts.ts);
 * - its archive documents (a part with a live row: the chain): its rows, and the names of the
 *   documents before and after it in the chain, across months (RFC 5005 section 4);
 * - its page (every part of a month with a live row): its rows, its number, whether it has a
 *   newer part; the first part also the nearest older and newer months with pages, and, when
 *   the month has more than one part, each part's name and first date.
 * So, from the changes (rules of the nineteenth session's plan, exact where the rule is):
 * - a row new to its month's visible rows (an arrival, a release by the clock, a row brought
 *   back) or gone from them (deleted, left out, moved to another date) moves every row after
 *   it: every part from its own to the month's last, before and after, is due;
 * - a row changed in place (edited, withdrawn, restored) changes its own part;
 * - a part that joins or leaves the chain (its first live row, its last) changes the links of
 *   the nearest documents on either side, in the chain after the run; a month that gains its
 *   first live row or loses its last gets or loses every page, and changes the first page of
 *   the nearest months with pages on either side;
 * - a month cut into another number of parts changes its first page (its list of parts) and
 *   the part that is its last in one cut and not in the other (its newer link); a part after the
 *   first whose first date moved changes the first page too.
 * The gate's own rule of which outputs beside a change move (validate/outputs-around.ts) stays
 * a separate implementation: a planner that drops a part is still refused.
 */
export interface DueInput {
  /** The records table after the run. */
  readonly view: RecordChunks;
  /**
   * The rows set or removed since the last publication, each with what it was then
   * (record-chunks.ts RowChange: the ChangeMap's `before`).
   */
  readonly changes: Iterable<RowChange>;
  /** The run's clock. */
  readonly now: string;
  /** The rows left out as unrenderable at the last publication, with their sort keys then. */
  readonly leftOutBefore: ReadonlyMap<string, SortKey>;
  /** The rows left out now, with their sort keys now. */
  readonly leftOutAfter: ReadonlyMap<string, SortKey>;
  /**
   * The records under embargo at the last publication (publish-state.ts `scheduled`): those
   * the clock has released since are new to their month.
   */
  readonly scheduled: readonly {
    readonly record: string;
    readonly id: string;
    readonly publishedAt: string;
  }[];
}

export interface PartsDue {
  /** Parts whose month page is rendered (names: `YYYY/MM`, `YYYY/MM/<n>`), in order. */
  readonly pages: readonly string[];
  /** Parts whose archive documents are rendered. */
  readonly documents: readonly string[];
  /** Parts that had a page and have none now (their month lost its last live row, or a part). */
  readonly gonePages: readonly string[];
  /** Parts that had documents and have none now (no live row any more, or no part). */
  readonly goneDocuments: readonly string[];
  /** The parts as readers see them now: their rows, read from their chunks alone. */
  readonly parts: VisibleParts;
}

type Row = readonly [string, RecordEntry];

interface Side {
  readonly key: SortKey;
  readonly r: RecordEntry;
}

interface MonthEvents {
  /** Rows new to the month's visible rows (their key now). */
  readonly arrivals: Map<string, Side>;
  /** Rows gone from them (their key then). */
  readonly removals: Map<string, Side>;
  /** Rows visible then and now at the same place: what they were. */
  readonly edits: Map<string, { key: SortKey; before: RecordEntry; after: RecordEntry }>;
}

/** A part known row by row, as it was and as it is. */
interface Known {
  readonly after: readonly Row[];
  readonly before: readonly Row[];
}

export function partsDue(input: DueInput): PartsDue {
  const { view, now, leftOutBefore, leftOutAfter } = input;
  const parts = new VisibleParts(view, now, leftOutAfter);
  const scheduled = new Map(input.scheduled.map((s) => [s.record, s]));
  // Seen at the last publication: not under embargo then (the publish state's list of those
  // that were), not withdrawn before its embargo ended, not left out then.
  const seenBefore = (path: string, r: RecordEntry): boolean =>
    !scheduled.has(path) &&
    !(r.withdrawn && r.withdrawnAt !== null && r.publishedAt > r.withdrawnAt) &&
    !leftOutBefore.has(path);

  const byMonth = new Map<string, MonthEvents>();
  const eventsOf = (month: string): MonthEvents => {
    let e = byMonth.get(month);
    if (e === undefined)
      byMonth.set(month, (e = { arrivals: new Map(), removals: new Map(), edits: new Map() }));
    return e;
  };
  const note = (
    path: string,
    before: RecordEntry | undefined,
    after: RecordEntry | undefined,
  ): void => {
    const b = before !== undefined && seenBefore(path, before) ? before : undefined;
    const a = after !== undefined && parts.visible(path, after) ? after : undefined;
    const kb = b && sortKeyOf(path, b);
    const ka = a && sortKeyOf(path, a);
    if (b && a && kb && ka && compareKeys(kb, ka) === 0) {
      eventsOf(monthOf(ka[0])).edits.set(path, { key: ka, before: b, after: a });
      return;
    }
    if (b && kb) eventsOf(monthOf(kb[0])).removals.set(path, { key: kb, r: b });
    if (a && ka) eventsOf(monthOf(ka[0])).arrivals.set(path, { key: ka, r: a });
  };
  const changed = new Set<string>();
  for (const { path, before, after } of input.changes) {
    changed.add(path);
    note(path, before, after);
  }
  // Rows not changed whose visibility may have: released by the clock, left out or brought
  // back. Their rows are found where their keys say (one chunk each).
  const others = new Map<string, SortKey>();
  // (Those still under embargo are in no part then or now: not looked up.)
  for (const [path, s] of scheduled)
    if (!isScheduled(s.publishedAt, now)) others.set(path, [s.publishedAt, s.id, path]);
  for (const [path, key] of leftOutBefore) if (!leftOutAfter.has(path)) others.set(path, key);
  for (const [path, key] of leftOutAfter) if (!leftOutBefore.has(path)) others.set(path, key);
  for (const [path, key] of others) {
    if (changed.has(path)) continue;
    const r = parts.find([key[0], key[1], path]);
    if (r !== undefined) note(path, r, r);
  }

  const pages = new Set<string>();
  const documents = new Set<string>();
  const gonePages = new Set<string>();
  const goneDocuments = new Set<string>();
  /** Parts that joined or left the chain, and months that gained or lost their pages. */
  const chainMoved: [string, number][] = [];
  const monthsMoved: string[] = [];
  for (const [month, { arrivals, removals, edits }] of byMonth) {
    const cut = parts.cut(month);
    const countA = cut.count;
    const countB = countA - arrivals.size + removals.size;
    const live = (rs: Iterable<Side>): number => {
      let n = 0;
      for (const { r } of rs) if (!r.withdrawn) n++;
      return n;
    };
    const pagesA = cut.live > 0;
    let liveB = cut.live - live(arrivals.values()) + live(removals.values());
    for (const e of edits.values())
      liveB += Number(!e.before.withdrawn) - Number(!e.after.withdrawn);
    const pagesB = liveB > 0;
    const partsA = cut.parts;
    const partsB = Math.ceil(countB / PART_SIZE);
    const asBefore = (rows: readonly Row[]): Row[] =>
      rows.map(([p, r]): Row => [p, edits.get(p)?.before ?? r]);

    const known = new Map<number, Known>();
    let start = Infinity;
    if (arrivals.size + removals.size > 0) {
      // The rows before the first arrival or removal are the same then and now (in the same
      // places): the parts from the one holding it on are cut anew.
      let first: SortKey | undefined;
      for (const { key } of [...arrivals.values(), ...removals.values()])
        if (first === undefined || compareKeys(key, first) < 0) first = key;
      start = Math.floor(parts.rank(first!) / PART_SIZE);
      const rows = parts.slice(month, start * PART_SIZE, Infinity);
      const then = asBefore(rows.filter(([p]) => !arrivals.has(p)));
      for (const [p, { r }] of removals) then.push([p, r]);
      then.sort((x, y) => byKey(x as [string, RecordEntry], y as [string, RecordEntry]));
      for (let i = start; i < Math.max(partsA, partsB); i++) {
        const at = (i - start) * PART_SIZE;
        known.set(i, {
          after: rows.slice(at, at + PART_SIZE),
          before: then.slice(at, at + PART_SIZE),
        });
      }
    }
    for (const { key } of edits.values()) {
      const i = Math.floor(parts.rank(key) / PART_SIZE);
      if (known.has(i)) continue;
      const rows = parts.partRows(month, i + 1);
      known.set(i, { after: rows, before: asBefore(rows) });
    }

    for (const [i, { after, before }] of known) {
      const name = partName(month, i + 1);
      const liveA = after.some(([, r]) => !r.withdrawn);
      const wasLive = before.some(([, r]) => !r.withdrawn);
      if (pagesA && i < partsA) pages.add(name);
      if (liveA) documents.add(name);
      else if (wasLive) goneDocuments.add(name);
      if (liveA !== wasLive) chainMoved.push([month, i]);
      // A part after the first whose first date moved: the first page lists it by that date.
      if (pagesA && i > 0 && i < partsA && after[0]?.[1].publishedAt !== before[0]?.[1].publishedAt)
        pages.add(partName(month, 1));
    }
    if (pagesA !== pagesB) {
      monthsMoved.push(month);
      if (pagesA) for (let i = 0; i < partsA; i++) pages.add(partName(month, i + 1));
      else for (let i = 0; i < partsB; i++) gonePages.add(partName(month, i + 1));
    } else if (pagesA) {
      for (let i = partsA; i < partsB; i++) gonePages.add(partName(month, i + 1));
      if (partsA !== partsB) {
        pages.add(partName(month, 1));
        pages.add(partName(month, Math.min(partsA, partsB)));
      }
    }
  }

  // Links: the nearest documents (pages) on either side of each part (month) that joined or
  // left the chain (the months with pages), in the chain as it is now. Each such neighbour's
  // link named another part before (docs/development.md, twentieth session, says why exactly).
  for (const [month, i] of chainMoved)
    for (const step of [-1, 1] as const) {
      const other = parts.chainBeside(month, i + 1, step);
      if (other !== undefined) documents.add(other);
    }
  for (const month of monthsMoved)
    for (const step of [-1, 1] as const) {
      const other = parts.monthBeside(month, step);
      if (other !== undefined) pages.add(partName(other, 1));
    }

  const inOrder = (names: Set<string>): string[] => [...names].sort(byPart);
  return {
    pages: inOrder(pages),
    documents: inOrder(documents),
    gonePages: inOrder(gonePages),
    goneDocuments: inOrder(goneDocuments),
    parts,
  };
}

/** Parts in chain order: by month, then by number (`YYYY/MM` before `YYYY/MM/2`, 2 before 10). */
export function byPart(a: string, b: string): number {
  const [ma, na] = [a.slice(0, 7), Number(a.slice(8) || 1)];
  const [mb, nb] = [b.slice(0, 7), Number(b.slice(8) || 1)];
  return ma !== mb ? (ma < mb ? -1 : 1) : na - nb;
}
