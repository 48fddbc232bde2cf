import type { Catalogue } from '../archive/catalogue.js';
import { readGateRecord } from './read-gate-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { PART_SIZE } from '../model/feed-history.js';
import { archiveOutputs, OUTPUTS } from '../model/outputs.js';
import { expectedChain } from '../validate/expected-history.js';
import { expectedChainOfChunks, type ChainChunks } from '../validate/expected-history-chunks.js';
import {
  itemOf,
  type ExpectedItem,
  type ExpectedPart,
  type ExpectedPage,
  type PageExpectations,
} from '../validate/expected-page.js';

/**
 * The gate's I/O for pages: what each rendered page must show, from the records read again
 * from disk (never the copies the renderer used) and the catalogue's rows, computed here
 * without the renderer's code: which records a month page lists (the archive chain's oracle,
 * validate/expected-history.ts, says which records each part of a month holds), the months'
 * order, the counts.
 * Lazy, because pages are proven one by one as they are rendered: an article page's record is
 * read when its page is verified (`articles` names it: file → record path, filled by the run as
 * it renders) and only its list item is kept, so a cold build of 10,000 pages does not hold
 * 10,000 records; a month's expectation is made when its page comes, from those items.
 *
 * A month part's records are read (at most PART_SIZE): the page state keeps no list entries,
 * so what a part shows is proven against the records themselves.
 */
export function expectPages(
  rc: ResolvedConfig,
  catalogue: Catalogue,
  listed: readonly string[],
  articles: ReadonlyMap<string, string>,
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
  /**
   * The records table as saved, when there is one: the chain's oracle reads the chunks of the
   * parts proven, not every row (validate/expected-history-chunks.ts). `catalogue` is then
   * the same rows made visible (render-feeds.ts visibleOf), and only the records are read.
   */
  chunks?: ChainChunks,
): { expected: PageExpectations; issues: Issue[] } {
  const { paths, root } = rc;
  const issues: Issue[] = [];
  const items = new Map<string, ExpectedItem>();
  const read = (path: string): ArchiveRecord | null => {
    const pending = unwritten?.get(path);
    if (pending) return pending;
    const got = readGateRecord(paths.records, path, root);
    if ('record' in got) return got.record;
    issues.push(got.issue);
    return null;
  };
  const item = (path: string): ExpectedItem | null => {
    const known = items.get(path);
    if (known) return known;
    const r = read(path);
    if (r === null) return null;
    const i = itemOf(r);
    items.set(path, i);
    return i;
  };
  // A month page lists what the archive document of its name lists (its part of the month):
  // the chain's own oracle says which records those are, from the catalogue's rows (and which
  // parts have documents: those with a live record), and how many live records each month has.
  const base = rc.config.site.baseUrl;
  const chain =
    chunks === undefined
      ? expectedChain(catalogue.records, 0, base, PART_SIZE)
      : expectedChainOfChunks(chunks.view, chunks.now, chunks.leftOut, 0, base, PART_SIZE);
  const counts = chain.liveIn;
  const months = [...counts.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  const partsOf = new Map<string, string[]>();
  for (const name of chain.parts) {
    const m = name.slice(0, 7);
    const list = partsOf.get(m);
    if (list) list.push(name);
    else partsOf.set(m, [name]);
  }
  const folder = (name: string): string => `${base}/archive/${name}/`;
  // What out/ holds after this run, besides the article pages (a page's links to those are
  // its records' URLs): where every link on the site must lead.
  const held = new Set<string>(['index.html', ...OUTPUTS.map((o) => o.file)]);
  for (const m of months) held.add(`archive/${m}/index.html`);
  // A month whose articles were all withdrawn has no page; a part whose records were all
  // withdrawn has no documents (its page, in a month that still has articles, links none).
  for (const name of chain.parts)
    if (counts.has(name.slice(0, 7))) held.add(`archive/${name}/index.html`);
  const documents = new Set(chain.names);
  for (const name of documents) for (const o of archiveOutputs(name)) held.add(o.file);
  const holds = (file: string): boolean => held.has(file);
  const PART = /^archive\/(\d{4}\/\d{2})(?:\/([1-9]\d*))?\/index\.html$/;
  const lazy: PageExpectations = {
    get(file): ExpectedPage | undefined {
      if (file === 'index.html')
        return {
          kind: 'front',
          holds,
          latest: listed.map(item).filter((i): i is ExpectedItem => i !== null),
          months: months.map((m) => ({ month: m, count: counts.get(m) ?? 0 })),
        };
      const found = PART.exec(file);
      const month = found?.[1];
      if (month !== undefined) {
        const n = Number(found?.[2] ?? '1');
        const names = partsOf.get(month) ?? [];
        const name = names[n - 1];
        const doc = name === undefined || found?.[2] === '1' ? undefined : chain.part(name);
        if (name === undefined || doc === undefined) return undefined;
        const first = n === 1;
        const older = months.filter((x) => x < month)[0] ?? null;
        const newer = months.filter((x) => x > month).pop() ?? null;
        const list = doc.listed.map(item).filter((i): i is ExpectedItem => i !== null);
        const part: ExpectedPart | null =
          names.length === 1
            ? null
            : {
                name,
                older: n > 1 ? folder(names[n - 2] ?? '') : null,
                newer: n < names.length ? folder(names[n] ?? '') : null,
                contents: first ? names.map(folder) : [],
                feeds: documents.has(name)
                  ? ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${folder(name)}${f}`)
                  : [],
                first: first ? null : folder(month),
                span: doc.span,
              };
        return {
          kind: 'month',
          holds,
          month,
          items: list,
          newer: first ? newer : null,
          older: first ? older : null,
          part,
        };
      }
      const path = articles.get(file);
      const r = path === undefined ? null : read(path);
      if (r === null || path === undefined) return undefined;
      if (r.withdrawnAt === null) items.set(path, itemOf(r));
      return { kind: r.withdrawnAt === null ? 'article' : 'withdrawn', record: r, holds };
    },
  };
  return { expected: lazy, issues };
}
