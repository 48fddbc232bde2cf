import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
import { monthParts, type MonthPart } from '../model/month-parts.js';
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
import { stampOf, type PageRow, type PageState } from './page-state.js';

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
  const taken = new Map<string, string>();
  for (const [path, [, file]] of rows) if (file !== '') taken.set(file, path);
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
    next: { fingerprint: opts.fingerprint, records: rows, parts: keys, months, folders: {} },
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
  /** Each record's page row as last published (null: no page state). */
  readonly previous: ReadonlyMap<string, PageRow> | null;
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
  const changed: string[] = [];
  const rows = new Map<string, PageRow>();
  for (const [path, r] of cat.records) {
    if (!r.withdrawn)
      counts.set(monthOf(r.publishedAt), (counts.get(monthOf(r.publishedAt)) ?? 0) + 1);
    const stamp = stampOf(r);
    const old = before?.records.get(path);
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
    const key = createHash('sha256')
      .update(
        JSON.stringify([
          p.number,
          // Whether it has a newer part, not how many parts there are: a new part must not
          // render every part again.
          p.number < p.of,
          p.number === 1 ? neighbours(months, p.month) : null,
          p.number === 1 && p.of > 1 ? contents.get(p.month) : null,
          p.rows.map(([path, r]) => [path, stampOf(r)]),
        ]),
      )
      .digest('base64url')
      .slice(0, 22);
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
    previous: before?.records ?? null,
    emptied,
  };
}

function neighbours(
  list: readonly string[],
  m: string,
): { newer: string | null; older: string | null } {
  const i = list.indexOf(m);
  const older = i < 0 ? (list.find((x) => x < m) ?? null) : (list[i + 1] ?? null);
  const newer = i < 0 ? ([...list].reverse().find((x) => x > m) ?? null) : (list[i - 1] ?? null);
  return { newer, older };
}
