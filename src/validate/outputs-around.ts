import { PART_SIZE } from '../model/feed-history.js';
import { partName } from '../model/month-parts.js';
import { byPublishedDesc } from '../model/newest-first.js';
import { monthOfRow, seen, type ChangedRow } from './outputs-due.js';
import type { PartsAside } from './rows-around.js';

/**
 * The outputs whose bytes depend on the records a run changed though none of their own records
 * changed, on the gate's own path (it shares nothing with the planners, pipeline/render-pages.ts
 * `planPages` and history/render-archive.ts `docsDue`, nor with their keys and saved state).
 * outputs-due.ts asks for the changed records' own outputs; a planner that skipped one of
 * these left it as it was, proven by nobody: a month page linking a month that has no page any
 * more, an archive document whose prev-archive skips the document just opened beside it. The
 * run then proves the published file of each one it did not render (render-feeds.ts). Pure.
 *
 * What each output shows of its neighbours (render/list-pages.ts, history/archive-chain.ts):
 * - the first page of a month links the nearest older and newer months with a live article:
 *   when a changed record's month gains its first or loses its last live article, the pages of
 *   the months on either side change;
 * - an archive document links the documents before and after it in the chain (RFC 5005
 *   section 4), which holds the parts with a live record, across months: when a changed
 *   record's part joins or leaves the chain, the documents on either side change;
 * - a month is cut into parts of PART_SIZE records oldest first, withdrawn ones included: a
 *   record new to the month (added, or released from its embargo) moves every record after it,
 *   so every part from its own to the month's last holds other records (pages and documents);
 *   and a month with a new part has a new list of parts on its first page and a newer link on
 *   the part that was its last.
 * What moved is judged against the month as the last run left it, made from the rows now and
 * what the archive step says each changed record was before this run (`was`): without the
 * records new to it, each changed one live or withdrawn as it was. So a run that adds an
 * article to a month that has others asks for nothing here. A record `was` does not name is
 * taken as new, which asks for more proofs, never fewer.
 *
 * The cost is that of what changed: two passes over the rows in memory (no record is read),
 * keeping and sorting only the rows of the months touched and of their neighbours; the caller reads only the published files of
 * the outputs it did not render (at most a part's records each).
 */
export interface AroundInput {
  /** As DueInput's: the records the archive step changed, and those released now. */
  readonly changed: Iterable<string>;
  /**
   * What the archive step says a changed record was before this run: `live` (revised, or
   * withdrawn now), `withdrawn` (restored now). One it does not name may be new to its month.
   */
  readonly was: ReadonlyMap<string, 'live' | 'withdrawn'>;
  /**
   * Every catalogue row (withdrawn and embargoed ones included), or, with `before` and
   * `after`, the rows of each changed month's parts from its first to its last changed one
   * (validate/rows-around.ts).
   */
  readonly rows: ReadonlyMap<string, ChangedRow>;
  /**
   * Per month, the whole parts before the rows given (all its parts for a month none of whose
   * rows is given), and after them (only for a month no record is new to): none, every row is
   * given.
   */
  readonly before?: ReadonlyMap<string, PartsAside>;
  readonly after?: ReadonlyMap<string, PartsAside>;
  /** The run's clock (UTC, `YYYY-MM-DDTHH:MM:SSZ`). */
  readonly now: string;
  /** Records left out as unrenderable. */
  readonly leftOut: { has(path: string): boolean };
}

export interface OutputAround {
  /** `page`: the part's month page; `documents`: its three archive documents. */
  readonly kind: 'page' | 'documents';
  /** The part (`YYYY/MM`, or `YYYY/MM/<n>` from the second part of a month on). */
  readonly part: string;
  /** The changed record whose change reaches it. */
  readonly record: string;
  /** How, for the message. */
  readonly why: string;
}

type Row = readonly [string, ChangedRow];

interface Part {
  /** Its number in its month (1 for the first). */
  readonly n: number;
  readonly name: string;
  readonly rows: readonly Row[];
  readonly live: boolean;
}

export function outputsAround(input: AroundInput): OutputAround[] {
  const { rows, now, leftOut, was } = input;
  const visible = (path: string, r: ChangedRow): boolean => seen(r, now) && !leftOut.has(path);
  const changed = new Map<string, ChangedRow>();
  for (const path of input.changed) {
    const r = rows.get(path);
    if (r !== undefined && visible(path, r)) changed.set(path, r);
  }
  if (changed.size === 0) return [];
  // The months readers see, and those with a live article (those with pages): one pass that
  // keeps no row, then the rows of the months this run can reach (its own and the nearest
  // live ones on either side), so that memory follows what changed, not the archive.
  const seenMonths = new Set<string>();
  const liveMonths = new Set<string>();
  const heads = input.before ?? new Map<string, PartsAside>();
  const tails = input.after ?? new Map<string, PartsAside>();
  /** The whole parts before a month's rows given. */
  const headParts = (month: string): number => heads.get(month)?.parts ?? 0;
  for (const [month, aside] of [...heads, ...tails]) {
    if (aside.parts > 0) seenMonths.add(month);
    if (aside.live) liveMonths.add(month);
  }
  for (const [path, r] of rows) {
    if (!visible(path, r)) continue;
    const m = monthOfRow(r);
    seenMonths.add(m);
    if (!r.withdrawn) liveMonths.add(m);
  }
  const months = [...seenMonths].sort();
  /** The nearest month before (-1) or after (+1) `month` with a live article. */
  const liveMonthBeside = (month: string, step: -1 | 1): string | undefined => {
    const i = months.indexOf(month);
    for (let j = i + step; j >= 0 && j < months.length; j += step) {
      const m = months[j];
      if (m !== undefined && liveMonths.has(m)) return m;
    }
    return undefined;
  };
  const touched = new Set([...changed.values()].map(monthOfRow));
  const reached = new Set(touched);
  for (const month of touched)
    for (const step of [-1, 1] as const) {
      const other = liveMonthBeside(month, step);
      if (other !== undefined) reached.add(other);
    }
  const byMonth = new Map<string, Row[]>();
  for (const [path, r] of rows) {
    if (!visible(path, r)) continue;
    const m = monthOfRow(r);
    if (!reached.has(m)) continue;
    const list = byMonth.get(m);
    if (list) list.push([path, r]);
    else byMonth.set(m, [[path, r]]);
  }
  const cuts = new Map<string, Part[]>();
  /** A month's parts, oldest first (its rows sorted once, when first asked). */
  const cut = (month: string): Part[] => {
    const known = cuts.get(month);
    if (known) return known;
    const list = [...(byMonth.get(month) ?? [])].sort(([, a], [, b]) => byPublishedDesc(b, a));
    const parts: Part[] = [];
    const skipped = headParts(month);
    for (let i = 0; i * PART_SIZE < list.length; i++) {
      const mine = list.slice(i * PART_SIZE, (i + 1) * PART_SIZE);
      parts.push({
        n: skipped + i + 1,
        name: partName(month, skipped + i + 1),
        rows: mine,
        live: mine.some(([, r]) => !r.withdrawn),
      });
    }
    cuts.set(month, parts);
    return parts;
  };
  const found = new Map<string, OutputAround>();
  const add = (kind: OutputAround['kind'], part: string, record: string, why: string): void => {
    const key = `${kind} ${part}`;
    if (!found.has(key)) found.set(key, { kind, part, record, why });
  };
  const isNew = (path: string): boolean => changed.has(path) && !was.has(path);
  /** The part of the chain before (-1) or after (+1) part `at` of `month`'s rows given. */
  const chainBeside = (month: string, at: number, step: -1 | 1): string | undefined => {
    const own = cut(month);
    for (let j = at + step; j >= 0 && j < own.length; j += step)
      if (own[j]?.live === true) return own[j]?.name;
    // Then the parts before or after the rows given, then the nearest live month's.
    const aside = (step === -1 ? heads : tails).get(month);
    if (aside !== undefined) {
      const found = step === -1 ? aside.lastLive : aside.firstLive;
      if (found !== undefined) return found;
    }
    const other = liveMonthBeside(month, step);
    if (other === undefined) return undefined;
    const given = cut(other).filter((p) => p.live);
    // The month after: its first live part; the month before: its last.
    return step === 1
      ? (heads.get(other)?.firstLive ?? given[0]?.name ?? tails.get(other)?.firstLive)
      : (tails.get(other)?.lastLive ?? given[given.length - 1]?.name ?? heads.get(other)?.lastLive);
  };

  for (const month of touched) {
    const parts = cut(month);
    const head = heads.get(month);
    const tail = tails.get(month);
    const skipped = headParts(month);
    const pages = liveMonths.has(month);
    const all = parts.flatMap((p) => p.rows);
    // The month as the last run left it: without the records new to it, each changed one live
    // or withdrawn as it was (a record's publication date never moves once readers saw it).
    const earlier = all
      .filter(([path]) => !isNew(path))
      .map(([path, r]) => ({
        path,
        live: changed.has(path) ? was.get(path) === 'live' : !r.withdrawn,
      }));
    const first = all.find(([path]) => changed.has(path))?.[0] ?? '';
    // A month that gained its first live article or lost its last: the months on either side.
    if (pages !== (head?.live === true || tail?.live === true || earlier.some((e) => e.live)))
      for (const step of [-1, 1] as const) {
        const other = liveMonthBeside(month, step);
        if (other !== undefined)
          add(
            'page',
            other,
            first,
            `its ${step === 1 ? 'older' : 'newer'} month (${month}) ${pages ? 'gained its first article' : 'lost its last'}`,
          );
      }
    // Counted in parts of the whole month (those before and after the rows given are whole
    // and hold no changed record; after them only when no record is new to the month).
    const before = skipped + Math.ceil(earlier.length / PART_SIZE) + (tail?.parts ?? 0);
    const total = skipped + parts.length + (tail?.parts ?? 0);
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (p === undefined) continue;
      const then = earlier.slice(i * PART_SIZE, (i + 1) * PART_SIZE);
      const record = p.rows.find(([path]) => changed.has(path))?.[0] ?? first;
      // Other records than before: a record new to the month came before them.
      if (p.n > before || then.some((e, j) => e.path !== p.rows[j]?.[0])) {
        const why = `a record new to ${month} moved its records`;
        if (pages) add('page', p.name, record, why);
        if (p.live) add('documents', p.name, record, why);
      }
      // A part that joined the chain or left it: the documents on either side.
      if (p.live !== then.some((e) => e.live))
        for (const step of [-1, 1] as const) {
          const other = chainBeside(month, i, step);
          if (other !== undefined)
            add(
              'documents',
              other,
              record,
              `the archive document ${step === 1 ? 'before' : 'after'} it (${p.name}) ${p.live ? 'joined' : 'left'} the chain`,
            );
        }
    }
    // A month cut into more parts: its first page lists them, the part that was its last
    // links the next one.
    if (pages && before !== total) {
      const why = `${month} was cut into ${total} parts, not ${before}`;
      add('page', month, first, why);
      if (before >= 1) add('page', partName(month, before), first, why);
    }
  }
  // A part that holds a changed record is outputs-due.ts's: rendered, or refused there.
  const own = new Set<string>();
  for (const [month, parts] of cuts)
    if (touched.has(month))
      for (const p of parts) if (p.rows.some(([path]) => changed.has(path))) own.add(p.name);
  return [...found.values()].filter((o) => !own.has(o.part));
}
