import { byPublishedDesc } from '../model/newest-first.js';
import type { FeedHistory, FormatUrls } from '../model/feed-history.js';
import type { Format } from '../model/outputs.js';
import type { IndexRow } from './expected-feed.js';

/**
 * The RFC 5005 chain the archive must have, from the catalogue's index rows, on a path of its
 * own (it shares nothing with src/history/archive-chain.ts but the part size, a published
 * constant): a month of publication (UTC) holding a record is cut into parts of `partSize`
 * records, oldest first over all its records (withdrawn ones included); each part that lists a
 * live record is one document, listing them newest first. A part of withdrawn records alone has
 * no document (readers refuse a feed of no entries), and prev-archive / next-archive link the
 * documents on either side of it (RFC 5005 section 4). Keep it short and obvious: it is the
 * oracle.
 */
/** One part of a month, whether or not it has documents (its page shows it either way). */
export interface ExpectedChainPart {
  readonly name: string;
  readonly listed: readonly string[];
  /** Its feed date (ms): the newest updatedAt, withdrawnAt or restoredAt of its records. */
  readonly updated: number;
  /** The publication times of its oldest and newest records (withdrawn ones included). */
  readonly span: readonly [string, string];
}

export interface ExpectedArchiveDoc extends ExpectedChainPart {
  readonly history: FeedHistory;
}

export interface ExpectedChain {
  readonly subscription: FeedHistory;
  /** Every archive document's name, oldest first. */
  readonly names: readonly string[];
  /** Every part's name, oldest first, those without a document too (the month pages' parts). */
  readonly parts: readonly string[];
  /** Each month's live rows (`YYYY/MM` → count), months holding one alone: its page's count. */
  readonly liveIn: ReadonlyMap<string, number>;
  /** Archive document `name`: its list is sorted only when asked (a run proves a few). */
  doc(name: string): ExpectedArchiveDoc | undefined;
  /** Part `name`, with or without a document. */
  part(name: string): ExpectedChainPart | undefined;
}

export type Row = Pick<
  IndexRow,
  'id' | 'publishedAt' | 'updatedAt' | 'withdrawn' | 'withdrawnAt' | 'restoredAt'
>;

/** Oldest first: the exact reverse of every list's order (model/newest-first.ts). */
const older = ([, a]: [string, Row], [, b]: [string, Row]): number => byPublishedDesc(b, a);

export function expectedChain(
  rows: ReadonlyMap<string, Row>,
  feedSize: number,
  baseUrl: string,
  partSize: number,
): ExpectedChain {
  const months = new Map<string, [string, Row][]>();
  let live = 0;
  for (const row of rows) {
    const m = `${row[1].publishedAt.slice(0, 4)}/${row[1].publishedAt.slice(5, 7)}`;
    const list = months.get(m);
    if (list) list.push(row);
    else months.set(m, [row]);
    if (!row[1].withdrawn) live++;
  }
  const sortedMonths = new Map<[string, Row][], [string, Row][]>();
  /** A month's rows oldest first, sorted once, when one of its parts is first asked for. */
  const orderedMonth = (all: [string, Row][]): [string, Row][] => {
    // A cold build asks for every part, and sorting the whole month for each of them made a
    // month of 100,000 records cost O(n² / partSize).
    let ordered = sortedMonths.get(all);
    if (ordered === undefined) sortedMonths.set(all, (ordered = [...all].sort(older)));
    return ordered;
  };
  const parts: string[] = [];
  const names: string[] = [];
  const liveIn = new Map<string, number>();
  for (const m of [...months.keys()].sort()) {
    const all = months.get(m) ?? [];
    const monthLive = all.filter(([, r]) => !r.withdrawn).length;
    if (monthLive > 0) liveIn.set(m, monthLive);
    // Which parts hold a live record: a month of one part, or of no withdrawn record, is known
    // without sorting it (a cold build of 100,000 records sorts each month once, later).
    const withdrawn = all.filter(([, r]) => r.withdrawn).length;
    const ordered = withdrawn > 0 && all.length > partSize ? orderedMonth(all) : null;
    for (let part = 1; (part - 1) * partSize < all.length; part++) {
      const name = part === 1 ? m : `${m}/${part}`;
      parts.push(name);
      const mine = ordered?.slice((part - 1) * partSize, part * partSize);
      if (withdrawn === all.length || mine?.every(([, r]) => r.withdrawn) === true) continue;
      names.push(name);
    }
  }
  const partSet = new Set(parts);
  const part = (name: string): ExpectedChainPart | undefined => {
    const [y, m, n] = name.split('/');
    const all = months.get(`${y ?? ''}/${m ?? ''}`);
    const p = Number(n ?? '1');
    if (all === undefined || !partSet.has(name)) return undefined;
    return partOf(name, orderedMonth(all).slice((p - 1) * partSize, p * partSize));
  };
  return linkedChain(names, parts, liveIn, part, live <= feedSize, baseUrl);
}

/** Part `name` from its rows, oldest first (withdrawn ones included). */
export function partOf(name: string, mine: readonly (readonly [string, Row])[]): ExpectedChainPart {
  return {
    name,
    listed: mine
      .filter(([, r]) => !r.withdrawn)
      .map(([path]) => path)
      .reverse(),
    span: [mine[0]?.[1].publishedAt ?? '', mine[mine.length - 1]?.[1].publishedAt ?? ''],
    updated: mine.reduce(
      (max, [, r]) =>
        Math.max(
          max,
          Date.parse(r.updatedAt),
          Date.parse(r.withdrawnAt ?? r.updatedAt),
          Date.parse(r.restoredAt ?? r.updatedAt),
        ),
      -Infinity,
    ),
  };
}

/**
 * The chain's links from the documents' names, oldest first (RFC 5005 section 4): the
 * subscription documents are `complete` when they list every live record, else their
 * prev-archive is the newest document; each document's prev-archive and next-archive are the
 * documents on either side of it, and its `current` the subscription documents.
 */
export function linkedChain(
  names: readonly string[],
  parts: readonly string[],
  liveIn: ReadonlyMap<string, number>,
  part: (name: string) => ExpectedChainPart | undefined,
  complete: boolean,
  baseUrl: string,
): ExpectedChain {
  const urls = (name: string | null): FormatUrls => {
    const dir = name === null ? '' : `archive/${name}/`;
    const of = (f: Format): string =>
      `${baseUrl}/${dir}${f === 'rss' ? 'rss.xml' : f === 'atom' ? 'atom.xml' : 'feed.json'}`;
    return { rss: of('rss'), atom: of('atom'), json: of('json') };
  };
  const indexOf = new Map(names.map((name, i) => [name, i]));
  const newest = names[names.length - 1];
  return {
    subscription: {
      complete,
      archive: false,
      current: null,
      prevArchive: complete || newest === undefined ? null : urls(newest),
      nextArchive: null,
    },
    names,
    parts,
    liveIn,
    part,
    doc(name) {
      const i = indexOf.get(name);
      const mine = i === undefined ? undefined : part(name);
      if (i === undefined || mine === undefined) return undefined;
      return {
        ...mine,
        history: {
          complete: false,
          archive: true,
          current: urls(null),
          prevArchive: i > 0 ? urls(names[i - 1] ?? '') : null,
          nextArchive: i < names.length - 1 ? urls(names[i + 1] ?? '') : null,
        },
      };
    },
  };
}
