import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
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
import { FRONT_PAGE, monthFile, pagePlaceOf } from '../render/page-paths.js';
import { stampOf, type PageState } from './page-state.js';
import { NextRows } from './page-rows.js';
import { neighbours, type PagePlanning } from './page-plan.js';

export { planPages, type PagePlanning } from './page-plan.js';

/** Which record each rendered page was made from, for the gate (pipeline/prove-pages.ts). */
export interface PagePlan {
  /** Article page file → record path. */
  readonly articles: ReadonlyMap<string, string>;
}

export interface PagesRendered {
  readonly plan: PagePlan;
  /** To save once the pages are published (with the folders' stamps and the shapes then). */
  readonly next: PageState;
  /** Warnings (a front-matter URL we cannot write a page at): they do not stop the run. */
  readonly warnings: Issue[];
  /** Records that could not be read: the run publishes nothing. */
  readonly errors: Issue[];
  /**
   * Pages no record has any more: the page a record had at a URL it no longer has (its url
   * changed, or site.baseUrl did), that no other record took, and the month pages of a month
   * whose articles were all withdrawn. The publication removes them: an article withdrawn
   * after its url changed was still served whole at the old one.
   */
  readonly orphans: string[];
}

/**
 * The pages this run must render: the page of every record whose catalogue row changed since
 * the pages were last published (new, revised, withdrawn), the month pages (parts) whose key
 * moved (their records' rows or their links: the parts of those records, and the few whose
 * links change with them), and the front page; everything when the caller says so
 * (page-state.ts `pagesStale`). Reads only the records whose row changed, and those of a part
 * it renders whose row holds no usable list entry.
 */
export function renderPages(
  rc: ResolvedConfig,
  cat: Catalogue,
  latest: readonly ArchiveRecord[],
  /**
   * planPages() of `cat` (the caller asks it first, to judge the records those pages will read:
   * pipeline/unpublishable.ts).
   */
  plan: PagePlanning,
  opts: { fingerprint: string; fresh?: ReadonlyMap<string, ArchiveRecord> },
  /**
   * Takes each page as it is rendered (the gate proves it and it is staged, then dropped): a
   * cold build of 10,000 pages never holds them all.
   */
  emit: (page: RenderedFile, record?: string) => void,
): PagesRendered {
  const { config, paths, root } = rc;
  const site = config.site;
  const { counts, rows, months, parts, partOf, contents, keys, toRender, wanted, changedSet } =
    plan;
  const warnings: Issue[] = [];
  const errors: Issue[] = [];
  const articles = new Map<string, string>();
  /**
   * Which record's page is `file`: one given a page in this run, else one whose row did not
   * change (PagePlanning.holderBefore: from the root's list and the rows read, not every row).
   */
  const given = new Map<string, string>();
  const taken = {
    get: (file: string): string | undefined => given.get(file) ?? plan.holderBefore(file),
    has: (file: string): boolean => taken.get(file) !== undefined,
    set: (file: string, path: string): void => void given.set(file, path),
  };
  const listed = new Map<string, ListedArticle[]>();
  /** The files of the changed records' pages as last published. */
  const left = new Set<string>();
  /**
   * Why a page cannot be written at `file` though its URL is well formed: a file stands where
   * one of its folders would be (another record's page, `…/welcome.html/more`; or something in
   * out/), or a folder where the file would be. It stopped every run with ENOTDIR or EISDIR,
   * and deleting the article did not help (its withdrawn notice page has the same file).
   */
  const clash = (file: string, path: string): string | null => {
    const parts = file.split('/');
    const folders = parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
    for (const folder of folders) {
      const holder = taken.get(folder);
      if (holder !== undefined && holder !== path)
        return `another record's page is ${folder} (${shownPath(holder)})`;
    }
    for (const folder of folders) {
      const there = statSync(join(paths.out, folder), { throwIfNoEntry: false });
      if (there === undefined) break;
      if (!there.isDirectory()) return `${folder} in out/ is a file, not a folder`;
    }
    const below = foldersTaken.get(file);
    if (below !== undefined)
      return `${file} is a folder of another record's page (${shownPath(below)})`;
    const there = statSync(join(paths.out, file), { throwIfNoEntry: false });
    return there?.isDirectory() === true ? `${file} in out/ is a folder (of other pages)` : null;
  };
  /** The folders of the pages taken in this run (a page cannot be one), with their record. */
  const foldersTaken = new Map<string, string>();
  const shownPath = (path: string): string => relative(root, join(paths.records, path));
  const read = (path: string): ArchiveRecord | null => {
    const fresh = opts.fresh?.get(path);
    if (fresh) return fresh;
    const got = readRecord(paths.records, path, root);
    if ('record' in got) return got.record;
    errors.push(got.issue);
    return null;
  };
  const list = (m: string, entry: Omit<ListedArticle, 'file'>, file: string): void => {
    const items = listed.get(m) ?? [];
    items.push({ ...entry, file: file === '' ? null : file });
    listed.set(m, items);
  };

  const page = (path: string, entry: RecordEntry, r: ArchiveRecord): void => {
    const place = pagePlaceOf(r.url, site.baseUrl);
    const file = place.kind === 'page' ? place.file : null;
    let own = rows.get(path)?.[1] ?? '';
    if (changedSet.has(path)) {
      const had = plan.previous?.get(path)?.[1] ?? '';
      if (had !== '') left.add(had);
      own = '';
      const why =
        place.kind === 'unusable'
          ? place.why
          : file !== null && taken.has(file) && taken.get(file) !== path
            ? `another record's page is ${file} (${shownPath(taken.get(file) ?? '')})`
            : file === null
              ? null
              : clash(file, path);
      if (why !== null) warnings.push(unusable(shownPath(path), r.url, why, minted(r, entry.slug)));
      else if (file !== null) {
        taken.set(file, path);
        for (let i = file.indexOf('/'); i > 0; i = file.indexOf('/', i + 1))
          foldersTaken.set(file.slice(0, i), path);
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
    const listEntry: Omit<ListedArticle, 'file'> | undefined =
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
    rows.set(path, [stampOf(entry), own]);
    const part = partOf.get(path)?.name;
    if (part !== undefined && toRender.has(part) && listEntry)
      list(part, listEntry, own === file ? own : '');
  };
  // A changed record with a front-matter url comes after those with their minted page
  // (articles/<slug>.html): of two that want one file, or a file and a folder of it, the
  // minted one keeps it (in record order, a url could take a new article's page). Only the
  // paths wait (their records are read again): a cold build never holds every record.
  const minted = (r: ArchiveRecord, slug: string): boolean =>
    r.url === `${site.baseUrl.replace(/\/+$/, '')}/articles/${slug}.html`;
  const later: string[] = [];
  for (const path of wanted) {
    const entry = cat.records.get(path);
    if (entry === undefined) continue;
    const r = read(path);
    if (r === null) continue;
    if (changedSet.has(path) && !minted(r, entry.slug)) later.push(path);
    else page(path, entry, r);
  }
  for (const path of later) {
    const entry = cat.records.get(path);
    const r = read(path);
    if (entry !== undefined && r !== null) page(path, entry, r);
  }

  for (const p of parts) {
    if (!toRender.has(p.name)) continue;
    const items = (listed.get(p.name) ?? []).sort(byPublishedDesc);
    emit({
      row: pageRow(monthFile(p.name)),
      text: renderMonthPage(site, p.month, items, neighbours(months, p.month), {
        name: p.name,
        number: p.number,
        of: p.of,
        from: p.rows[0]?.[1].publishedAt ?? '',
        to: p.rows[p.rows.length - 1]?.[1].publishedAt ?? '',
        contents: contents.get(p.month) ?? [],
        feeds: p.rows.some(([, r]) => !r.withdrawn),
      }),
    });
  }

  // A page its record left (the record now has another file, or none) that no record has,
  // and the month pages of a month emptied by withdrawals.
  const orphans = [...new Set([...left, ...plan.emptied])]
    .filter((file) => !taken.has(file))
    .sort();

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
    plan: { articles },
    next: {
      fingerprint: opts.fingerprint,
      records: new NextRows(plan.base, rows, plan.gone),
      parts: keys,
      months,
      folders: {},
    },
    warnings,
    errors,
    orphans,
  };
}

/**
 * `own`: the URL is the record's minted one (no `url:` in its front matter), so the hint must
 * not tell it to change or remove a url it does not have (attackG #11).
 */
const unusable = (file: string, url: string, why: string, own: boolean): Issue =>
  issue(
    'PAGE_URL_UNUSABLE',
    'warning',
    file,
    `has the URL ${url}, under site.baseUrl, but gets no page: ${why}.`,
    own
      ? 'This is the page feedkeeper names for it (its article has no url: in front matter). Give the other article named above another url (or move away what stands at that name in out/), then run feedkeeper build --full; the feeds still link to its url.'
      : 'Give it a url of letters, digits, dots, dashes and slashes that no other article uses (or remove url: from its front matter to get articles/<slug>.html); the feeds still link to its url.',
  );
