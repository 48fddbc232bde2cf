import { createHash } from 'node:crypto';
import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
import { slugOfRecordPath } from '../archive/record-path.js';
import { monthParts, type MonthPart } from '../model/month-parts.js';
import { monthFile, monthOf } from '../render/page-paths.js';
import { stampOf, type PageRow, type PageState } from './page-state.js';
import type { PageRows } from './page-rows.js';

/**
 * The page plan (render-pages.ts renders it): which pages a run renders, from the catalogue's
 * rows and the page state, without a renderer loaded, so that the archive stage can ask it too
 * (pages-held.ts: which records' rows changed since the last publication).
 */
/** What renderPages will render and read, from the catalogue's rows alone (no record read). */
export interface PagePlanning {
  readonly counts: ReadonlyMap<string, number>;
  readonly rows: Map<string, PageRow>;
  readonly months: readonly string[];
  readonly parts: readonly MonthPart<[string, RecordEntry]>[];
  readonly partOf: ReadonlyMap<string, MonthPart<[string, RecordEntry]>>;
  readonly contents: ReadonlyMap<string, { name: string; from: string }[]>;
  readonly keys: ReadonlyMap<string, string>;
  readonly toRender: ReadonlySet<string>;
  /** The records read, in path order: those whose pages change and those of parts rendered. */
  readonly wanted: readonly string[];
  readonly changedSet: ReadonlySet<string>;
  /**
   * The page row as last published of each record whose row was read (those that changed among
   * them; null: no page state).
   */
  readonly previous: ReadonlyMap<string, PageRow> | null;
  /** The page state's rows the plan was made against (null: none). */
  readonly base: PageRows | null;
  /** Rows of records no longer visible, or filed under another date: taken out at the save. */
  readonly gone: ReadonlySet<string>;
  /** The record whose unchanged row has page `file`, if any (renderPages adds this run's). */
  holderBefore(file: string): string | undefined;
  /** The month pages of months without a published article, to remove (files under out/). */
  readonly emptied: readonly string[];
}

export function planPages(
  cat: Catalogue,
  opts: {
    before: PageState | null;
    everything: boolean;
    /**
     * Records edited by hand (render-feeds.ts: the listed ones, when the publish state saw one
     * change): their pages and month parts are rendered again. A hand edit does not move the
     * catalogue row the page state's stamps are made of, so a corrected title reached the feeds
     * and the front page but not the article's page nor its month page.
     */
    touched?: ReadonlySet<string>;
    /**
     * Whether a page file is missing from out/ (the caller asks the disk): a month folder
     * deleted by hand got its feed documents back from the next run, and no month page.
     */
    missing?: (file: string) => boolean;
    /**
     * Page files found missing or not as published in a folder of out/ that moved
     * (folder-changes.ts): rendered again, their record's page or their month part alone.
     */
    redo?: ReadonlySet<string>;
  },
): PagePlanning {
  const { before, everything, touched, missing, redo } = opts;

  const counts = new Map<string, number>();
  for (const r of cat.records.values())
    if (!r.withdrawn)
      counts.set(monthOf(r.publishedAt), (counts.get(monthOf(r.publishedAt)) ?? 0) + 1);
  const months = [...counts.keys()].sort().reverse();
  // Month pages in parts, cut by the rule the archive documents use (model/month-parts.ts), so
  // each part's page lists what the feed documents beside it list. A month has pages while it
  // has a published article. When it loses its last one its pages go (`emptied`): rendered
  // once more they listed nothing, and no page linked them any more (the front page and the
  // neighbour months name the months with articles). Its feed documents leave the chain
  // too (history/archive-chain.ts); in a month that keeps articles, a part of withdrawn records
  // alone keeps its page (the first part lists every part), which links no feed documents.
  const pageMonths = new Set(months);
  const allParts = monthParts(cat.records, ([, r]) => r);
  const parts = allParts.filter((p) => pageMonths.has(p.month));
  // The parts the pages last had, and those of a month of withdrawn records alone (the page
  // state may be newer than out/: a copy, or a lost state); publish-pages.ts removes only what
  // is there.
  const emptied = [...new Set([...(before?.parts.keys() ?? []), ...allParts.map((p) => p.name)])]
    .filter((name) => !pageMonths.has(name.slice(0, 7)))
    .map(monthFile)
    .sort();
  const partOf = new Map<string, MonthPart<[string, RecordEntry]>>();
  for (const p of parts) for (const [path] of p.rows) partOf.set(path, p);
  const contents = new Map<string, { name: string; from: string }[]>();
  for (const p of parts) {
    const list = contents.get(p.month) ?? [];
    list.push({ name: p.name, from: p.rows[0]?.[1].publishedAt ?? '' });
    contents.set(p.month, list);
  }
  // What each part page is made from (render/list-pages.ts says what each part shows and why):
  // its records' rows, its links to the parts beside it, and on the first part the list of
  // parts and the neighbour months. A part is rendered again when this moves.
  const keys = new Map<string, string>();
  const toRender = new Set<string>();
  for (const p of parts) {
    const key = partKey(p, months, contents.get(p.month));
    keys.set(p.name, key);
    if (
      everything ||
      before?.parts.get(p.name) !== key ||
      (touched !== undefined && p.rows.some(([path]) => touched.has(path))) ||
      redo?.has(monthFile(p.name)) === true ||
      missing?.(monthFile(p.name)) === true
    )
      toRender.add(p.name);
  }

  // A record of a part whose key did not move (and not rendered again) has the row it was
  // saved with: its part's key is made of its path and stamp. Only the others' rows are read
  // (page-rows.ts: the groups of the parts due), not every record's. When folders of out/ moved,
  // the state was read whole to find what changed in them (folder-changes.ts): every row is
  // compared, as it is with no state to trust.
  const trustAll = !everything && before !== null && (redo === undefined || redo.size === 0);
  const trusted = (path: string): boolean => {
    const part = trustAll ? partOf.get(path)?.name : undefined;
    return part !== undefined && !toRender.has(part);
  };
  const changed: string[] = [];
  const rows = new Map<string, PageRow>();
  const previous = new Map<string, PageRow>();
  for (const [path, r] of cat.records) {
    if (trusted(path)) continue;
    const stamp = stampOf(r);
    const old = before?.records.row(path, r.publishedAt);
    if (old !== undefined) previous.set(path, old);
    if (
      everything ||
      old === undefined ||
      old[0] !== stamp ||
      touched?.has(path) === true ||
      (redo !== undefined && old[1] !== '' && redo.has(old[1]))
    )
      changed.push(path);
    else rows.set(path, old);
  }
  // The rows not where the records' dates place them: those of records gone or no longer
  // visible (taken out), and of records dated anew (their last page file, for `orphans`).
  const gone = new Set<string>();
  if (before !== null) {
    const at = new Map<string, string>();
    for (const [path, r] of cat.records) at.set(path, r.publishedAt);
    for (const [path, row] of before.records.strays(at, trusted)) {
      gone.add(path);
      if (cat.records.has(path) && !previous.has(path)) previous.set(path, row);
    }
  }

  // Records in path order (YYYY/MM/slug.json): each is read once, for its page and its month
  // part. A part lists at most PART_SIZE records, so a new article reads its part's hundred
  // records, not its month's thousands.
  const changedSet = new Set(changed);
  const wanted = [...cat.records.keys()].filter((p) => {
    if (changedSet.has(p)) return true;
    const entry = cat.records.get(p);
    const part = partOf.get(p)?.name;
    return !(entry === undefined || entry.withdrawn || part === undefined || !toRender.has(part));
  });
  wanted.sort();
  /** Record paths by the slug of their path (made on the first ask: a clash to judge). */
  let bySlug: Map<string, string[]> | null = null;
  const holderBefore = (file: string): string | undefined => {
    if (before === null) return undefined;
    const unchanged = (path: string): boolean =>
      !changedSet.has(path) && !gone.has(path) && cat.records.has(path);
    for (const [path, held] of before.records.held)
      if (held === file && unchanged(path)) return path;
    const minted = /^articles\/(.+)\.html$/.exec(file)?.[1];
    if (minted === undefined) return undefined;
    if (bySlug === null) {
      bySlug = new Map();
      for (const path of cat.records.keys()) {
        const slug = slugOfRecordPath(path);
        bySlug.set(slug, [...(bySlug.get(slug) ?? []), path]);
      }
    }
    for (const path of bySlug.get(minted) ?? []) {
      const r = cat.records.get(path);
      if (r === undefined || !unchanged(path)) continue;
      const row = rows.get(path) ?? before.records.row(path, r.publishedAt);
      if (row?.[1] === file) return path;
    }
    return undefined;
  };
  return {
    counts,
    rows,
    months,
    parts,
    partOf,
    contents,
    keys,
    toRender,
    wanted,
    changedSet,
    previous: before === null ? null : previous,
    base: before?.records ?? null,
    gone,
    holderBefore,
    emptied,
  };
}

/**
 * A part page's key: what it is made from (render/list-pages.ts says what each part shows and
 * why). Shared by planPages and the plan from the changes (parts-plan.ts), so that both save the
 * same page state.
 */
export function partKey(
  p: MonthPart<readonly [string, RecordEntry]>,
  /** The months with pages, newest first. */
  months: readonly string[],
  /** The month's parts and their first dates (asked only of a first part of a parted month). */
  contents: readonly { name: string; from: string }[] | undefined,
): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        p.number,
        // Whether it has a newer part, not how many parts there are: a new part must not
        // render every part again.
        p.number < p.of,
        p.number === 1 ? neighbours(months, p.month) : null,
        p.number === 1 && p.of > 1 ? contents : null,
        p.rows.map(([path, r]) => [path, stampOf(r)]),
      ]),
    )
    .digest('base64url')
    .slice(0, 22);
}

export function neighbours(
  list: readonly string[],
  m: string,
): { newer: string | null; older: string | null } {
  const i = list.indexOf(m);
  const older = i < 0 ? (list.find((x) => x < m) ?? null) : (list[i + 1] ?? null);
  const newer = i < 0 ? ([...list].reverse().find((x) => x > m) ?? null) : (list[i - 1] ?? null);
  return { newer, older };
}
