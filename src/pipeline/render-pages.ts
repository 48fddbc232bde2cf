import { join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { issue, type Issue } from '../model/issue.js';
import { pageRow, type RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { renderArticlePage, renderWithdrawnPage } from '../render/article-page.js';
import {
  renderFrontPage,
  renderMonthPage,
  type ListedArticle,
  type MonthCount,
} from '../render/list-pages.js';
import { byPublishedDesc } from '../model/newest-first.js';
import { FRONT_PAGE, monthFile, monthOf, pagePlaceOf } from '../render/page-paths.js';
import {
  stampOf,
  storedEntry,
  type ListEntry,
  type PageRow,
  type PageState,
} from './page-state.js';

/** Which record each rendered page was made from, for the gate (pipeline/prove-pages.ts). */
export interface PagePlan {
  /** Article page file → record path. */
  readonly articles: ReadonlyMap<string, string>;
  /** Month (`YYYY/MM`) → its newer and older neighbours. */
  readonly months: ReadonlyMap<string, { newer: string | null; older: string | null }>;
}

export interface PagesRendered {
  readonly plan: PagePlan;
  /** To save once the pages are published (with the folders' stamps and the shapes then). */
  readonly next: PageState;
  /** Warnings (a front-matter URL we cannot write a page at): they do not stop the run. */
  readonly warnings: Issue[];
  /** Records that could not be read: the run publishes nothing. */
  readonly errors: Issue[];
}

/**
 * The pages this run must render: the page of every record whose catalogue row changed since
 * the pages were last published (new, revised, withdrawn), the month pages of those records
 * and of the months whose neighbours changed, and the front page; everything when the caller
 * says so (page-state.ts `pagesStale`). Reads only the records whose row changed, and those of
 * a month it renders whose row holds no usable list entry.
 */
export function renderPages(
  rc: ResolvedConfig,
  cat: Catalogue,
  latest: readonly ArchiveRecord[],
  opts: {
    fingerprint: string;
    /** The page state of the last publication (pipeline/page-state.ts). */
    before: PageState | null;
    /** Render every page (pagesStale()). */
    everything: boolean;
    fresh?: ReadonlyMap<string, ArchiveRecord>;
  },
  /**
   * Takes each page as it is rendered (the gate proves it and it is staged, then dropped): a
   * cold build of 10,000 pages never holds them all.
   */
  emit: (page: RenderedFile, record?: string) => void,
): PagesRendered {
  const { config, paths, root } = rc;
  const site = config.site;
  const { before, everything } = opts;

  const counts = new Map<string, number>();
  const changed: string[] = [];
  const rows: Record<string, PageRow> = {};
  for (const [path, r] of cat.records) {
    if (!r.withdrawn)
      counts.set(monthOf(r.publishedAt), (counts.get(monthOf(r.publishedAt)) ?? 0) + 1);
    const stamp = stampOf(r);
    const old = before?.records[path];
    if (everything || old === undefined || old[0] !== stamp) changed.push(path);
    else rows[path] = old;
  }
  const months = [...counts.keys()].sort().reverse();
  const neighbours = (list: readonly string[], m: string): string => {
    const i = list.indexOf(m);
    return i < 0 ? '' : `${list[i - 1] ?? ''}|${list[i + 1] ?? ''}`;
  };
  const toRender = new Set<string>(everything ? months : []);
  // A page lists the records of its month of publishedAt (not the record's folder, which keeps
  // the month it was first filed under when an embargo is moved or lifted), and a record whose
  // date moved leaves the month it was listed in: both are rendered again.
  const monthOfRow = (path: string): string => monthOf(cat.records.get(path)?.publishedAt ?? '');
  for (const path of changed) {
    toRender.add(monthOfRow(path));
    const was = before?.records[path]?.[0].split('|')[3];
    if (was !== undefined && was !== '') toRender.add(monthOf(was));
  }
  for (const m of months)
    if (neighbours(months, m) !== neighbours(before?.months ?? [], m)) toRender.add(m);

  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  const articles = new Map<string, string>();
  const taken = new Map<string, string>();
  for (const [path, [, file]] of Object.entries(rows)) if (file !== '') taken.set(file, path);
  const listed = new Map<string, ListedArticle[]>();
  const shownPath = (path: string): string => relative(root, join(paths.records, path));
  const changedSet = new Set(changed);
  const read = (path: string): ArchiveRecord | null => {
    const fresh = opts.fresh?.get(path);
    if (fresh) return fresh;
    const got = readRecord(paths.records, path, root);
    if ('record' in got) return got.record;
    errors.push(got.issue);
    return null;
  };
  const list = (m: string, entry: ListEntry, file: string): void => {
    const items = listed.get(m) ?? [];
    items.push({ ...entry, file: file === '' ? null : file });
    listed.set(m, items);
  };

  // Records in path order (YYYY/MM/slug.json): each is read once, for its page and its month.
  // A month page is made from the rows of its unchanged records (their list entries), so a new
  // article reads one record, not its month's thousands.
  const wanted = [...cat.records.keys()].filter((p) => {
    if (changedSet.has(p)) return true;
    const entry = cat.records.get(p);
    if (entry === undefined || entry.withdrawn || !toRender.has(monthOfRow(p))) return false;
    const stored = storedEntry(rows[p], entry);
    if (stored === null) return true;
    list(monthOfRow(p), stored, rows[p]?.[1] ?? '');
    return false;
  });
  wanted.sort();
  for (const path of wanted) {
    const entry = cat.records.get(path);
    if (entry === undefined) continue;
    const r = read(path);
    if (r === null) continue;
    const place = pagePlaceOf(r.url, site.baseUrl);
    const file = place.kind === 'page' ? place.file : null;
    let own = rows[path]?.[1] ?? '';
    if (changedSet.has(path)) {
      own = '';
      if (place.kind === 'unusable') warnings.push(unusable(shownPath(path), r.url, place.why));
      else if (file !== null && taken.has(file) && taken.get(file) !== path)
        warnings.push(unusable(shownPath(path), r.url, `another record's page is ${file}`));
      else if (file !== null) {
        taken.set(file, path);
        articles.set(file, path);
        own = file;
        const gone = r.withdrawnAt !== null;
        emit(
          {
            row: pageRow(file, gone),
            text: gone ? renderWithdrawnPage(site, r, file) : renderArticlePage(site, r, file),
          },
          path,
        );
      }
    }
    const listEntry: ListEntry | undefined =
      r.withdrawnAt === null
        ? {
            id: r.id,
            title: r.title,
            url: r.url,
            publishedAt: r.publishedAt,
            summary: r.summary,
            language: r.language,
          }
        : undefined;
    rows[path] = listEntry ? [stampOf(entry), own, listEntry] : [stampOf(entry), own];
    const m = monthOf(r.publishedAt);
    if (toRender.has(m) && listEntry) list(m, listEntry, own === file ? own : '');
  }

  const monthPlan = new Map<string, { newer: string | null; older: string | null }>();
  for (const m of [...toRender].sort().reverse()) {
    const i = months.indexOf(m);
    const older = i < 0 ? (months.find((x) => x < m) ?? null) : (months[i + 1] ?? null);
    const newer =
      i < 0 ? ([...months].reverse().find((x) => x > m) ?? null) : (months[i - 1] ?? null);
    const items = (listed.get(m) ?? []).sort(byPublishedDesc);
    monthPlan.set(m, { newer, older });
    emit({
      row: pageRow(monthFile(m)),
      text: renderMonthPage(site, m, items, { newer, older }),
    });
  }

  const monthCounts: MonthCount[] = months.map((m) => ({ month: m, count: counts.get(m) ?? 0 }));
  emit({
    row: pageRow(FRONT_PAGE),
    text: renderFrontPage(
      site,
      latest.map((r) => {
        const place = pagePlaceOf(r.url, site.baseUrl);
        return {
          id: r.id,
          title: r.title,
          url: r.url,
          file: place.kind === 'page' ? place.file : null,
          publishedAt: r.publishedAt,
          summary: r.summary,
          language: r.language,
        };
      }),
      monthCounts,
    ),
  });

  return {
    plan: { articles, months: monthPlan },
    next: { fingerprint: opts.fingerprint, records: rows, months, folders: {} },
    warnings,
    errors,
  };
}

const unusable = (file: string, url: string, why: string): Issue =>
  issue(
    'PAGE_URL_UNUSABLE',
    'warning',
    file,
    `has the URL ${url}, under site.baseUrl, but gets no page: ${why}.`,
    'Give it a url of letters, digits, dots, dashes and slashes that no other article uses (or remove url: from its front matter to get articles/<slug>.html); the feeds still link to its url.',
  );
