import { relative } from 'node:path';
import { isRacy, sameStat, type Catalogue } from '../archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  rebuildCatalogue,
  removeTempFiles,
  saveCatalogue,
} from '../archive/catalogue-file.js';
import {
  addToIndex,
  indexRecords,
  planArchive,
  shinglesOf,
  type Arrival,
} from '../archive/plan-archive.js';
import { listArticles, type ListedArticle } from '../ingest/list-articles.js';
import type { Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import { applyPlan, setInput, Summary } from './apply-plan.js';
import type { RunContext } from './context.js';
import { examineArticle, type Arriving, type ExamineOptions } from './examine-article.js';
import { RecordStore } from './record-store.js';
import type { ArchiveSummary } from './report.js';

export interface ArchiveResult {
  readonly summary: ArchiveSummary;
  readonly catalogue: Catalogue;
  readonly issues: Issue[];
  readonly written: string[];
  /** Whether `catalogue.records` is filled (it is not on a run that had nothing to archive). */
  readonly recordsLoaded: boolean;
  /** A dry run's records, by path: nothing is on disk, so rendering takes them from here. */
  readonly fresh: ReadonlyMap<string, ArchiveRecord>;
}

/**
 * Stored articles → records, incrementally: only articles whose stat changed are read, only
 * those whose bytes (or normalization rules) changed are normalized, only records whose bytes
 * change are written. Which record each article belongs to is decided by the pure identity
 * planner (archive/plan-archive.ts); this function reads, plans and applies.
 */
export async function archiveArticles(
  ctx: RunContext,
  opts: { dryRun: boolean; full?: boolean },
): Promise<ArchiveResult> {
  const { config, paths, root } = ctx.config;
  const files = catalogueFiles(paths.state);
  const scanStartedAt = Date.now();
  const listed = listArticles(paths.articles, root);

  let cat = opts.full === true ? null : loadCatalogue(files);
  const rebuilt = cat === null;
  if (cat === null) {
    if (!opts.dryRun) removeTempFiles(paths.records);
    cat = rebuildCatalogue(paths.records, root);
  }
  let recordsLoaded = rebuilt;
  let work = changedSince(cat, listed);
  const present = new Set(listed.map((l) => l.path));
  const gone = [...cat.inputs.keys()].filter((p) => !present.has(p));

  const s = new Summary();
  const issues: Issue[] = [];
  const written: string[] = [];
  /** The stored articles examined in this run (their problems are reported as found). */
  const examined = new Set<string>();
  let store: RecordStore | null = null;

  if (work.length > 0 || gone.length > 0) {
    if (!recordsLoaded && !loadRecordIndex(files, cat)) {
      cat = rebuildCatalogue(paths.records, root);
      work = changedSince(cat, listed);
    }
    recordsLoaded = true;
    const c = cat;
    const { normalizeArticle } = await import('../normalize/normalize-article.js');
    const st = new RecordStore(
      c,
      { records: paths.records, state: paths.state, files, root },
      opts.dryRun,
      work.length + gone.length,
    );
    store = st;
    const examineOptions: ExamineOptions = {
      maxBytes: config.limits.maxArticleBytes,
      normalize: normalizeArticle,
      normalizeOptions: { defaultLanguage: config.site.language },
      recheck: false,
      isCorrupt: (rel) => c.corrupt.has(rel),
      exists: (rel) => c.records.has(rel),
    };

    // Read and normalize what changed; the articles that pass go to the planner.
    const arrived = new Map<string, Arriving>();
    const examine = (l: ListedArticle, o: ExamineOptions): void => {
      examined.add(l.path);
      ctx.progress?.(examined.size, work.length);
      const before = c.inputs.get(l.path);
      const x = examineArticle(l, before, o);
      const row = { stat: l.stat, normalizer: NORMALIZER_VERSION };
      if (x.kind === 'too large') {
        issues.push(x.issue);
        setInput(c, l.path, {
          ...row,
          sha256: '',
          record: before?.record ?? null,
          normalizer: before?.normalizer ?? NORMALIZER_VERSION,
          issues: [x.issue],
        });
        s.rejected++;
      } else if (x.kind === 'same' && before) {
        // Touched, or re-checked because the last scan was too close to an edit: its problems
        // are still problems.
        if (!sameStat(before.stat, l.stat)) setInput(c, l.path, { ...before, stat: l.stat });
        issues.push(...before.issues);
        count(s, before);
      } else if (x.kind === 'rejected') {
        issues.push(...x.issues);
        setInput(c, l.path, {
          ...row,
          sha256: x.sha256,
          record: before?.record ?? null,
          issues: x.issues,
        });
        s.rejected++;
      } else if (x.kind === 'record corrupt') {
        // Reported with the corrupt records: neither archived elsewhere nor unlinked, and read
        // again on every run until the record is repaired.
        s.rejected++;
      } else if (x.kind === 'arrived') {
        issues.push(...x.arriving.warnings);
        arrived.set(l.path, x.arriving);
      }
    };
    const world = {
      store: st,
      catalogue: c,
      summary: s,
      issues,
      mint: {
        now: formatUtcSecond(ctx.now().getTime()),
        host: new URL(config.site.baseUrl).hostname,
        baseUrl: config.site.baseUrl,
      },
    };
    const arrivalOf = (path: string, x: Arriving, withShingles: boolean): Arrival => ({
      path,
      fingerprint: x.article.fingerprint,
      id: x.article.id,
      publishedAt: x.article.publishedAt,
      shingles: withShingles ? shinglesOf(textOf(x.article)) : new Set(),
      own: x.own,
    });

    // Nothing can be freed in this run (no file gone, none that held a record changed, none
    // back under the name of a withdrawn record: a cold build, new articles only): each article
    // is planned and written as soon as it is read, against the records so far (an index kept
    // up to date). That gives the plan of the whole run (files come in path order, and each
    // sees what the ones before it minted) without holding the normalized articles in memory:
    // a cold build keeps its memory of before the planner.
    const workPaths = new Set(work.map((l) => l.path));
    const mayFree =
      gone.some((p) => c.inputs.get(p)?.record) ||
      work.some((l) => c.inputs.get(l.path)?.record) ||
      [...c.records.values()].some((r) => r.withdrawn && workPaths.has(r.input));
    if (!mayFree) {
      const index = indexRecords(c.records);
      for (const l of work) {
        examine(l, examineOptions);
        const x = arrived.get(l.path);
        if (x === undefined) continue;
        const plan = planArchive({
          records: c.records,
          arrivals: [arrivalOf(l.path, x, false)],
          freed: new Set(),
          candidates: new Map(),
          index,
        });
        await applyPlan(plan, arrived, world);
        arrived.delete(l.path);
        for (const a of plan) {
          const rel =
            a.kind === 'keep' ? a.record : a.kind === 'mint' ? c.inputs.get(a.path)?.record : null;
          const r = rel ? c.records.get(rel) : undefined;
          if (rel && r) addToIndex(index, rel, r);
        }
      }
    } else for (const l of work) examine(l, examineOptions);

    // Records whose stored article disappeared or changed: up for the planner to give away.
    const freed = new Set<string>();
    for (const path of gone) {
      const rel = c.inputs.get(path)?.record;
      if (rel && c.records.get(rel)?.input === path) freed.add(rel);
    }
    for (const { own } of arrived.values()) if (own !== null) freed.add(own);
    // A duplicate whose original is gone takes over its record: duplicates are read again
    // whenever a record is freed (there are few of them; they are reported on every run).
    if (freed.size > 0)
      for (const l of listed) {
        const e = c.inputs.get(l.path);
        if (!examined.has(l.path) && e && e.record === null && !e.issues.some(isError))
          examine(l, { ...examineOptions, recheck: true });
      }

    // What a new file may be an edited version of: the freed records, and withdrawn records
    // whose file comes back under its old name. Only read (and word pairs only computed)
    // when there are such records and files without a record: never in a cold build.
    const candidates = new Map<string, ReadonlySet<string>>();
    if ([...arrived.values()].some((x) => x.own === null)) {
      const maybe = new Set(freed);
      for (const [rel, r] of c.records) if (r.withdrawn && arrived.has(r.input)) maybe.add(rel);
      for (const rel of maybe) {
        const r = await st.load(rel);
        if (r !== null) candidates.set(rel, shinglesOf(textOf(r)));
      }
    }
    const arrivals: Arrival[] = [...arrived]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([path, x]) => arrivalOf(path, x, candidates.size > 0));
    await applyPlan(
      planArchive({ records: c.records, arrivals, freed, candidates }),
      arrived,
      world,
    );
    for (const path of gone) c.inputs.delete(path);
    written.push(...(await st.drain()));
  }

  // Files that did not change keep their status, and their problems are still problems:
  // report them on every run until the file is fixed.
  for (const [path, e] of cat.inputs) {
    if (examined.has(path)) continue;
    issues.push(...e.issues);
    count(s, e);
  }
  for (const i of cat.corrupt.values()) issues.push(i);

  // Like git refreshing its index: every entry examined in this run (racy ones included) is
  // now verified as of this scan, so the scan time moves on. Without it, the files of a bulk
  // copy (all with one mtime) stayed racy, and were read and hashed again on every run.
  const racy = listed.some((l) => isRacy(l.stat, scanStartedAt));
  const changed = rebuilt || work.length > 0 || gone.length > 0 || store?.changed === true;
  if (changed || racy || cat.scannedAt === 0) {
    cat.scannedAt = scanStartedAt;
    if (!opts.dryRun)
      written.push(...saveCatalogue(files, cat, recordsLoaded).map((f) => relative(root, f)));
  }
  return {
    summary: s.done(),
    catalogue: cat,
    issues,
    written,
    recordsLoaded,
    fresh: store?.fresh ?? new Map(),
  };
}

/** New, changed, maybe changed (racy), or made by older normalization rules. */
function changedSince(cat: Catalogue, listed: readonly ListedArticle[]): ListedArticle[] {
  return listed.filter((l) => {
    const e = cat.inputs.get(l.path);
    return (
      !e ||
      !sameStat(e.stat, l.stat) ||
      isRacy(e.stat, cat.scannedAt) ||
      e.normalizer !== NORMALIZER_VERSION
    );
  });
}

/** Count an article that needed nothing done: rejected, a duplicate, or unchanged. */
function count(s: Summary, e: { record: string | null; issues: readonly Issue[] }): void {
  if (e.issues.some(isError)) s.rejected++;
  else if (e.record === null) s.duplicates++;
  else s.unchanged++;
}

const isError = (i: Issue): boolean => i.severity === 'error';

/** The text the similarity of two versions is measured on (archive/plan-archive.ts). */
const textOf = (a: { title: string; body: readonly { text: string }[] }): string =>
  [a.title, ...a.body.map((b) => b.text)].join('\n');
