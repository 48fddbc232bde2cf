import { monthOf } from '../model/month-parts.js';
import type { RecordEntry } from '../archive/catalogue.js';
import { slugOfRecordPath } from '../archive/record-path.js';

/**
 * The page state's record rows are stored in *groups* (pipeline/page-state.ts), so that a run
 * reads the rows of the month parts it renders, not every record's (41 MB of heap at 100,000
 * records): a group holds a contiguous run of one month's rows in the order the month's parts
 * are cut in (by publication date; then the record path, which is unique), at most GROUP_MAX
 * of them, like the records' chunks (archive/record-chunks.ts). A month part of PART_SIZE rows
 * is then in one or two groups.
 *
 * This file is the pure part: where a row goes, and the groups' summaries the root keeps.
 */

/** Rows a group holds at most (two parts' worth); one that grows past it is cut in pieces. */
export const GROUP_MAX = 200;
/** What a piece of a group cut in pieces holds: room left for new rows before the next cut. */
const PIECE = (GROUP_MAX * 3) / 4;

/**
 * What a record's pages were made from: the stamp of its catalogue row (page-state.ts stampOf)
 * and its page file ('' when it has no page of ours).
 */
export type PageRow = readonly [stamp: string, file: string];

/** Where a row sorts: its record's publishedAt, then its path. */
export type GroupKey = readonly [publishedAt: string, path: string];

/** What the root says of a group. */
export interface GroupSummary {
  /** Its files' name in the groups' folder: `<YYYY-MM>-<n>`. */
  readonly name: string;
  /** `YYYY/MM`. */
  readonly month: string;
  /** Where its range starts (the month's first group also takes every key below it). */
  readonly first: GroupKey;
  readonly rows: number;
  /**
   * digestOf() its rows' paths and stamps: a reader that knows every record's stamp learns
   * that each row of the group is as its record's without reading it (pages-held.ts).
   */
  readonly digest?: string;
}

/**
 * What a page is made from: a revision moves updatedAt, a withdrawal sets withdrawnAt; and
 * publishedAt last, so that a run knows the month a record was listed in when its date moves.
 * Any edit to what readers see (title, summary, URL, body) makes a revision
 * (archive/merge-record.ts), so an unchanged stamp means an unchanged entry.
 */
export const stampOf = (r: RecordEntry): string =>
  `${r.updatedAt}|${r.withdrawnAt ?? (r.withdrawn ? 'withdrawn' : '')}|${r.fingerprint}|${r.publishedAt}`;

/** The publishedAt a stamp was made with: its last field (page-state.ts stampOf). */
export const publishedOf = (stamp: string): string => stamp.slice(stamp.lastIndexOf('|') + 1);

export const keyOfRow = (path: string, row: PageRow): GroupKey => [publishedOf(row[0]), path];

export function compareGroupKeys(a: GroupKey, b: GroupKey): number {
  if (a[0] !== b[0]) return a[0] < b[0] ? -1 : 1;
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}

/**
 * The file a record's page has when it was minted from its path's slug (`articles/<slug>.html`):
 * the rows whose file is another (a front-matter url) are listed in the root (`held`), so that
 * which record holds a file is known without reading the groups.
 */
export const mintedFile = (path: string): string => `articles/${slugOfRecordPath(path)}.html`;

/** The groups of each month, in order. */
export function groupsByMonth(groups: Iterable<GroupSummary>): Map<string, GroupSummary[]> {
  const out = new Map<string, GroupSummary[]>();
  for (const g of groups) {
    const list = out.get(g.month) ?? [];
    list.push(g);
    out.set(g.month, list);
  }
  for (const list of out.values()) list.sort((a, b) => compareGroupKeys(a.first, b.first));
  return out;
}

/**
 * The group a row of key `key` belongs to: the last of its month whose range starts at or
 * before it, else the month's first; undefined when its month has none.
 */
export function placeOf(
  byMonth: ReadonlyMap<string, readonly GroupSummary[]>,
  key: GroupKey,
): GroupSummary | undefined {
  const list = byMonth.get(monthOf(key[0]));
  if (list === undefined || list.length === 0) return undefined;
  let lo = 0;
  let hi = list.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (compareGroupKeys((list[mid] as GroupSummary).first, key) <= 0) lo = mid;
    else hi = mid - 1;
  }
  return list[lo];
}

/**
 * A group's rows after a save, cut in pieces when past GROUP_MAX: each piece's range starts at
 * its first row (the first keeps the group's start), so every row stays where placeOf() looks.
 */
export function cutGroup(
  group: GroupSummary,
  rows: readonly (readonly [string, PageRow])[],
  newName: () => string,
): { summary: GroupSummary; rows: (readonly [string, PageRow])[] }[] {
  const sorted = [...rows].sort(([pa, a], [pb, b]) =>
    compareGroupKeys(keyOfRow(pa, a), keyOfRow(pb, b)),
  );
  const firstKey = sorted[0] === undefined ? group.first : keyOfRow(...sorted[0]);
  const start = compareGroupKeys(firstKey, group.first) < 0 ? firstKey : group.first;
  if (sorted.length <= GROUP_MAX)
    return [{ summary: { ...group, first: start, rows: sorted.length }, rows: sorted }];
  const out: { summary: GroupSummary; rows: (readonly [string, PageRow])[] }[] = [];
  for (let i = 0; i < sorted.length; i += PIECE) {
    const piece = sorted.slice(i, i + PIECE);
    const head = piece[0] as readonly [string, PageRow];
    out.push({
      summary: {
        name: i === 0 ? group.name : newName(),
        month: group.month,
        first: i === 0 ? start : keyOfRow(...head),
        rows: piece.length,
      },
      rows: piece,
    });
  }
  return out;
}

/** Every row cut into groups from scratch (a first save, or one of a state read whole). */
export function cutAllGroups(
  rows: Iterable<readonly [string, PageRow]>,
): { summary: GroupSummary; rows: (readonly [string, PageRow])[] }[] {
  const byMonth = new Map<string, (readonly [string, PageRow])[]>();
  for (const [path, row] of rows) {
    const month = monthOf(publishedOf(row[0]));
    const list = byMonth.get(month) ?? [];
    list.push([path, row]);
    byMonth.set(month, list);
  }
  const out: { summary: GroupSummary; rows: (readonly [string, PageRow])[] }[] = [];
  for (const month of [...byMonth.keys()].sort()) {
    const list = byMonth.get(month) ?? [];
    let n = 0;
    const name = (): string => `${month.replace('/', '-')}-${n++}`;
    const seed: GroupSummary = { name: name(), month, first: ['', ''], rows: 0 };
    for (const piece of cutGroup(seed, list, name)) out.push(piece);
  }
  return out;
}

/**
 * An order-free digest of rows' paths and stamps: two 32-bit FNV-1a hashes of each row, summed
 * (mod 2^32) over the rows. Cheap enough to make for every catalogue row of a run (no JSON, no
 * sha256); a group whose digest is that of the catalogue rows its range holds has each of
 * them, at its stamp.
 */
export function digestOf(rows: Iterable<readonly [path: string, stamp: string]>): string {
  let a = 0;
  let b = 0;
  for (const [path, stamp] of rows) {
    const [x, y] = rowHash(path, stamp);
    a = (a + x) >>> 0;
    b = (b + y) >>> 0;
  }
  return a.toString(16).padStart(8, '0') + b.toString(16).padStart(8, '0');
}

export function rowHash(path: string, stamp: string): [number, number] {
  let x = 0x811c9dc5;
  let y = 0x01000193 ^ 0x5bd1e995;
  const text = `${path}\u0000${stamp}`;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    x = Math.imul(x ^ c, 0x01000193);
    y = Math.imul(y ^ c, 0x01000193) ^ (y >>> 13);
  }
  return [x >>> 0, y >>> 0];
}

/** digestOf() kept as two sums, for a reader adding rows one at a time. */
export const addDigest = (sum: [number, number], path: string, stamp: string): void => {
  const [x, y] = rowHash(path, stamp);
  sum[0] = (sum[0] + x) >>> 0;
  sum[1] = (sum[1] + y) >>> 0;
};

export const digestText = (sum: readonly [number, number]): string =>
  sum[0].toString(16).padStart(8, '0') + sum[1].toString(16).padStart(8, '0');
