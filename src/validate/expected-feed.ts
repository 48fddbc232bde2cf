import type { ArchiveRecord } from '../model/record.js';
import { creditLabel as sourceLabel } from './credit-label.js';
import type { Block } from './read-content.js';

/**
 * What a subscriber must see, derived from the records and the site configuration on a path of
 * its own: it shares no code with render/ (which builds the FeedDocument the feeds are made
 * from), so a fault there (selection, order, dates, escaping, body HTML) cannot agree with
 * itself. Keep it short and obvious: it is the oracle.
 */
export interface SiteFacts {
  readonly title: string;
  readonly description: string;
  readonly baseUrl: string;
  readonly language: string;
  readonly author: { readonly name: string; readonly email?: string; readonly url?: string };
}

export interface ExpectedEntry {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  readonly published: number;
  readonly updated: number;
  readonly summary: string;
  /** The body, then the source credit as a last paragraph. */
  readonly blocks: readonly Block[];
  /** The links in the content: the source's, when it has an http(s) URL. */
  readonly links: readonly { href: string; text: string }[];
  readonly sourceUrl: string | null;
  readonly language: string;
  readonly categories: readonly string[];
  readonly authors: readonly string[];
}

export interface ExpectedFeed {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly homeUrl: string;
  readonly language: string;
  readonly author: {
    readonly name: string;
    readonly email: string | null;
    readonly url: string | null;
  };
  /** `feedDateOf` the archive (ms). */
  readonly updated: number;
  /** RSS `<ttl>` (model/ttl.ts: from the schedule), null for none. */
  readonly ttl: number | null;
  /** RSS and Atom `<generator>`: this name, then a version (`feedkeeper 1.2.0`). */
  readonly generator: string;
  /** RSS `<docs>`: the specification the channel follows. */
  readonly docs: string;
  readonly entries: readonly ExpectedEntry[];
}

/** An index row, as the catalogue holds it for every record. */
export interface IndexRow {
  readonly id: string;
  readonly publishedAt: string;
  readonly updatedAt: string;
  readonly withdrawn: boolean;
  readonly withdrawnAt: string | null;
  readonly restoredAt?: string;
}

/**
 * The feed's date: the last change to the archive's content, the newest updatedAt, withdrawnAt
 * or restoredAt (a withdrawn article come back) of any record (RSS lastBuildDate: "the last time the content of the channel
 * changed"); the Unix epoch for an empty archive. In milliseconds. A record published after
 * `now` is under embargo: it has changed nothing a subscriber sees yet.
 */
export function feedDateOf(rows: Iterable<IndexRow>, now?: string): number {
  const embargoEnds = now === undefined ? Infinity : Date.parse(now);
  let newest = 0;
  for (const r of rows) {
    if (Date.parse(r.publishedAt) > embargoEnds) continue;
    // Each date parsed once, and only where there is one (four parses a row were most of the
    // gate's pass over 100,000 rows).
    newest = Math.max(newest, Date.parse(r.updatedAt));
    if (r.withdrawnAt !== null) newest = Math.max(newest, Date.parse(r.withdrawnAt));
    if (r.restoredAt !== undefined) newest = Math.max(newest, Date.parse(r.restoredAt));
  }
  return newest;
}

/**
 * Whether `listed` is exactly what the feeds must list: the newest `size` records that are
 * neither withdrawn, nor under embargo (published after `now`), nor left out, newest first by
 * publication date, then by id (docs/reference.md, "The feeds"). It does not
 * choose (sorting 100,000 rows costs a quarter second); it proves a choice, in one pass over the
 * index rows, by the properties that only the right list has: every listed record is live and
 * known, each is newer than the next, and no live record left out is newer than the last one
 * listed (or, when fewer than `size` are listed, none is left out). Returns what is wrong.
 */
export function selectionProblems(
  rows: ReadonlyMap<string, Pick<IndexRow, 'id' | 'publishedAt' | 'withdrawn'>>,
  listed: readonly string[],
  size: number,
  now?: string,
  /**
   * Records left out because they cannot be rendered (reported): like withdrawn ones, never
   * listed. The caller proves each one is really unrenderable (pipeline/prove-outputs.ts).
   */
  leftOut: { has(path: string): boolean } = new Set(),
): string[] {
  type Row = Pick<IndexRow, 'id' | 'publishedAt'>;
  const embargoEnds = now === undefined ? Infinity : Date.parse(now);
  const embargoed = (r: Row): boolean => Date.parse(r.publishedAt) > embargoEnds;
  const newer = (a: Row, b: Row): boolean =>
    a.publishedAt > b.publishedAt || (a.publishedAt === b.publishedAt && a.id < b.id);
  const problems: string[] = [];
  if (listed.length > size)
    problems.push(`${listed.length} entries are listed; feed.size is ${size}`);
  listed.forEach((path, i) => {
    const r = rows.get(path);
    const before = i > 0 ? rows.get(listed[i - 1] ?? '') : undefined;
    if (r === undefined) problems.push(`${path} is listed but is not in the archive`);
    else if (r.withdrawn) problems.push(`${r.id} is listed but was withdrawn`);
    else if (embargoed(r))
      problems.push(`${r.id} is listed but is under embargo until ${r.publishedAt}`);
    else if (leftOut.has(path)) problems.push(`${r.id} is listed but was left out`);
    else if (before !== undefined && !newer(before, r))
      problems.push(`${r.id} is listed after ${before.id}, which is not newer`);
  });
  const chosen = new Set(listed);
  const last = rows.get(listed[listed.length - 1] ?? '');
  for (const [path, r] of rows) {
    if (r.withdrawn || embargoed(r) || chosen.has(path) || leftOut.has(path)) continue;
    if (listed.length < size || last === undefined) {
      problems.push(
        `${r.id} is not listed, although only ${listed.length} of ${size} places are used`,
      );
      break;
    }
    if (newer(r, last)) {
      problems.push(`${r.id} is not listed, although it is newer than ${last.id}`);
      break;
    }
  }
  return problems;
}

const isHttp = (url: string | null): url is string => url !== null && /^https?:\/\//i.test(url);

export function expectedFeed(
  site: SiteFacts,
  records: readonly ArchiveRecord[],
  /** `feedDateOf` the archive's index rows. */
  feedDate: number,
  /** RSS `<ttl>`: ttlOf() the configured schedule. */
  ttl: number | null,
): ExpectedFeed {
  return {
    id: `${site.baseUrl}/`,
    title: site.title,
    description: site.description,
    homeUrl: `${site.baseUrl}/`,
    language: site.language,
    author: {
      name: site.author.name,
      email: site.author.email ?? null,
      url: site.author.url ?? null,
    },
    updated: feedDate,
    ttl,
    generator: 'feedkeeper',
    docs: 'https://www.rssboard.org/rss-specification',
    entries: records.map((r) => ({
      id: r.id,
      title: r.title,
      url: r.url,
      published: Date.parse(r.publishedAt),
      updated: Date.parse(r.updatedAt),
      summary: r.summary,
      blocks: [
        ...r.body.map((b) => ({ type: b.type, text: b.text })),
        ...(r.source === null
          ? []
          : [{ type: 'paragraph', text: `${sourceLabel(r.language)}: ${r.source.name}` }]),
      ],
      links:
        r.source !== null && isHttp(r.source.url)
          ? [{ href: r.source.url, text: r.source.name }]
          : [],
      sourceUrl: r.source !== null && isHttp(r.source.url) ? r.source.url : null,
      language: r.language,
      // Each category once, the section first: a record archived with a tag twice (or one equal
      // to its section) is read so by every reader of the JSON Feed schema (tags are unique).
      categories: [...(r.section === null ? [] : [r.section]), ...r.tags].filter(
        (t, i, all) => all.indexOf(t) === i,
      ),
      authors: r.authors.map((a) => a.name),
    })),
  };
}
