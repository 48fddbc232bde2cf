import { PART_SIZE } from './feed-history.js';
import { byPublishedDesc } from './newest-first.js';

/**
 * How a month is cut into parts, for the RFC 5005 archive documents (history/archive-chain.ts)
 * and the month pages (pipeline/render-pages.ts) alike, so that each part's page sits beside
 * that part's feed documents and lists the same records: the records of a month of publication
 * (UTC), withdrawn ones included, oldest first (the exact reverse of model/newest-first.ts),
 * PART_SIZE to a part. Oldest first, so that an article newer than the rest lands in the
 * newest part and the older parts keep their records; withdrawn records count, so that a
 * withdrawal never moves an entry from one part to another.
 */
export interface MonthPart<T> {
  /** `YYYY/MM`. */
  readonly month: string;
  /** `YYYY/MM` for the first part, `YYYY/MM/<n>` from the second on (its folder under archive/). */
  readonly name: string;
  /** 1 for the oldest part. */
  readonly number: number;
  /** How many parts its month has. */
  readonly of: number;
  /** Its records, oldest first. */
  readonly rows: readonly T[];
}

type Dated = { readonly publishedAt: string; readonly id: string };

/** `YYYY/MM` of a UTC time stamp: the month its record, its page and its part belong to. */
export const monthOf = (publishedAt: string): string =>
  `${publishedAt.slice(0, 4)}/${publishedAt.slice(5, 7)}`;

/** The name of part `n` (1-based) of `month`. */
export const partName = (month: string, n: number): string => (n === 1 ? month : `${month}/${n}`);

/** What partName() wrote: the month and the part's number. */
export const partOfName = (name: string): { month: string; n: number } => {
  const [y, m, n] = name.split('/');
  return { month: `${y}/${m}`, n: Number(n ?? '1') };
};

/**
 * Every part of every month holding a record, oldest month first, each month's parts in order.
 * `dated` says where a row's publication date and id are.
 */
export function monthParts<T>(rows: Iterable<T>, dated: (row: T) => Dated): MonthPart<T>[] {
  const months = new Map<string, T[]>();
  for (const row of rows) {
    const m = monthOf(dated(row).publishedAt);
    const list = months.get(m);
    if (list) list.push(row);
    else months.set(m, [row]);
  }
  const parts: MonthPart<T>[] = [];
  for (const month of [...months.keys()].sort()) {
    const list = (months.get(month) ?? []).sort((a, b) => byPublishedDesc(dated(b), dated(a)));
    const of = Math.ceil(list.length / PART_SIZE);
    for (let i = 0; i < of; i++)
      parts.push({
        month,
        name: partName(month, i + 1),
        number: i + 1,
        of,
        rows: list.slice(i * PART_SIZE, (i + 1) * PART_SIZE),
      });
  }
  return parts;
}
