import { byPublishedDesc } from '../model/newest-first.js';
import type { FeedHistory, FormatUrls } from '../model/feed-history.js';
import type { Format } from '../model/outputs.js';
import type { IndexRow } from './expected-feed.js';

/**
 * The RFC 5005 chain the archive must have, from the catalogue's index rows, on a path of its
 * own (it shares nothing with src/history/archive-chain.ts but the part size, a published
 * constant): one document per month of publication (UTC) holding a record, a month of more
 * than `partSize` records cut into parts oldest first over all its records, each document
 * listing its live records newest first. Keep it short and obvious: it is the oracle.
 */
export interface ExpectedArchiveDoc {
  readonly name: string;
  readonly listed: readonly string[];
  /** Its feed date (ms): the newest updatedAt, withdrawnAt or restoredAt of its records. */
  readonly updated: number;
  /** The publication times of its oldest and newest records (withdrawn ones included). */
  readonly span: readonly [string, string];
  readonly history: FeedHistory;
}

export interface ExpectedChain {
  readonly subscription: FeedHistory;
  /** Every archive document's name, oldest first. */
  readonly names: readonly string[];
  /** Archive document `name`: its list is sorted only when asked (a run proves a few). */
  doc(name: string): ExpectedArchiveDoc | undefined;
}

type Row = Pick<
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
  const names: string[] = [];
  const indexOf = new Map<string, number>();
  for (const m of [...months.keys()].sort()) {
    const n = months.get(m)?.length ?? 0;
    for (let part = 1; (part - 1) * partSize < n; part++) {
      const name = part === 1 ? m : `${m}/${part}`;
      indexOf.set(name, names.length);
      names.push(name);
    }
  }
  const urls = (name: string | null): FormatUrls => {
    const dir = name === null ? '' : `archive/${name}/`;
    const of = (f: Format): string =>
      `${baseUrl}/${dir}${f === 'rss' ? 'rss.xml' : f === 'atom' ? 'atom.xml' : 'feed.json'}`;
    return { rss: of('rss'), atom: of('atom'), json: of('json') };
  };
  const complete = live <= feedSize;
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
    doc(name) {
      const i = indexOf.get(name) ?? -1;
      const [y, m, part] = name.split('/');
      const all = months.get(`${y ?? ''}/${m ?? ''}`);
      if (i < 0 || all === undefined) return undefined;
      const p = Number(part ?? '1');
      // Sorted once per month, when one of its documents is first asked for: a cold build
      // asks for every part, and sorting the whole month for each of them made a month of
      // 100,000 records cost O(n² / partSize).
      let ordered = sortedMonths.get(all);
      if (ordered === undefined) sortedMonths.set(all, (ordered = [...all].sort(older)));
      const mine = ordered.slice((p - 1) * partSize, p * partSize);
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
