import { join, relative } from 'node:path';
import { allocateSlug, recordPathFor, slugOfRecordPath } from '../archive/record-path.js';
import { planArchive, shinglesOf } from '../archive/plan-archive.js';
import {
  isRacy,
  recordEntryOf,
  sameStat,
  type Catalogue,
  type InputEntry,
} from '../archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  markDirty,
  rebuildCatalogue,
  removeTempFiles,
  saveCatalogue,
} from '../archive/catalogue-file.js';
import { mergeRecord, mintRecord, withdrawRecord } from '../archive/merge-record.js';
import { readRecord } from '../archive/read-record.js';
import { serializeRecord } from '../archive/serialize-record.js';
import { WritePool } from '../io/write-pool.js';
import { markPublishPending } from './publish-state.js';
import { listArticles, type ListedArticle } from '../ingest/list-articles.js';
import { readArticle } from '../ingest/read-article.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord, InputRef, NormalizedArticle } from '../model/record.js';
import type { ArticleStat } from '../ingest/list-articles.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import type { RunContext } from './context.js';
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
 * those whose bytes changed are normalized, only records whose bytes change are written.
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
  let recordsLoaded = false;
  if (cat === null) {
    if (!opts.dryRun) removeTempFiles(paths.records);
    cat = rebuildCatalogue(paths.records, root);
    recordsLoaded = true;
  }
  const racyBefore = cat.scannedAt;
  const seen = new Set<string>();
  const work: ListedArticle[] = [];
  for (const l of listed) {
    seen.add(l.path);
    const e = cat.inputs.get(l.path);
    // New, changed, maybe changed (racy), or made by older normalization rules.
    if (
      !e ||
      !sameStat(e.stat, l.stat) ||
      isRacy(e.stat, racyBefore) ||
      e.normalizer !== NORMALIZER_VERSION
    )
      work.push(l);
  }
  const gone = [...cat.inputs.keys()].filter((p) => !seen.has(p));

  const s = new Summary();
  const written: string[] = [];
  const issues: Issue[] = [];
  const fresh = new Map<string, ArchiveRecord>();
  /** The stored articles examined in this run (their problems are reported as found). */
  const reported = new Set<string>();
  let catalogueChanged = recordsLoaded;

  if (work.length > 0 || gone.length > 0) {
    if (!recordsLoaded && !loadRecordIndex(files, cat)) {
      cat = rebuildCatalogue(paths.records, root);
      work.splice(
        0,
        work.length,
        ...listed.filter(
          (l) =>
            !sameStat(
              cat!.inputs.get(l.path)?.stat ?? { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0 },
              l.stat,
            ),
        ),
      );
    }
    recordsLoaded = true;
    const c = cat;
    const { normalizeArticle } = await import('../normalize/normalize-article.js');
    const now = formatUtcSecond(ctx.now().getTime());
    const host = new URL(config.site.baseUrl).hostname;
    const slugs = new Set<string>();
    for (const r of c.records.values()) slugs.add(r.slug);
    for (const path of c.corrupt.keys()) slugs.add(slugOfRecordPath(path));

    const pool = new WritePool(work.length + gone.length);
    let marked = false;
    const save = async (rel: string, record: ArchiveRecord, fingerprint: string): Promise<void> => {
      if (!opts.dryRun) {
        // Before the first record changes: the catalogue and the feeds are behind until the end.
        if (!marked) {
          markDirty(files);
          markPublishPending(paths.state);
          marked = true;
        }
        await pool.write(join(paths.records, rel), serializeRecord(record));
      }
      c.records.set(rel, recordEntryOf(record, fingerprint));
      // Only a dry run needs them (nothing is on disk); a real run keeps no body in memory:
      // a cold build of 100,000 articles would otherwise hold them all.
      if (opts.dryRun) fresh.set(rel, record);
      slugs.add(record.slug);
      catalogueChanged = true;
    };
    const load = async (rel: string): Promise<ArchiveRecord | null> => {
      const saved = fresh.get(rel); // a dry run's record saved earlier in this run
      if (saved) return saved;
      await pool.settled(join(paths.records, rel)); // a record saved earlier in this run
      const read = readRecord(paths.records, rel, root);
      catalogueChanged ||= c.corrupt.delete(rel) || 'issue' in read;
      if ('record' in read) return read.record;
      c.corrupt.set(rel, read.issue); // reported below, with the others
      return null;
    };
    const keep = (path: string, entry: InputEntry): void => {
      c.inputs.set(path, entry);
      catalogueChanged = true;
    };

    // Read and normalize what changed; the articles that pass go to the planner.
    const arrived = new Map<string, Arriving>();
    const examine = (l: ListedArticle, before: InputEntry | undefined): void => {
      reported.add(l.path);
      if (l.stat.size > config.limits.maxArticleBytes) {
        const tooLarge = issue(
          'ARTICLE_TOO_LARGE',
          'error',
          l.path,
          `is ${l.stat.size} bytes, over the limit of ${config.limits.maxArticleBytes} bytes (limits.maxArticleBytes); it was not read.`,
          'Check that it is really an article (not a pasted log or an export); if it is, raise limits.maxArticleBytes in feedkeeper.config.json.',
        );
        issues.push(tooLarge);
        keep(l.path, {
          stat: l.stat,
          sha256: '',
          record: before?.record ?? null,
          normalizer: before?.normalizer ?? NORMALIZER_VERSION,
          issues: [tooLarge],
        });
        s.rejected++;
        return;
      }
      const stored = readArticle(l);
      if (
        before &&
        before.sha256 === stored.sha256 &&
        before.normalizer === NORMALIZER_VERSION &&
        !arrivalsFreed
      ) {
        // Same bytes (touched, or re-checked because the last scan was too close to an edit):
        // its problems are still problems.
        if (!sameStat(before.stat, l.stat)) keep(l.path, { ...before, stat: l.stat });
        issues.push(...before.issues);
        if (before.issues.some((i) => i.severity === 'error')) s.rejected++;
        else if (before.record === null) s.duplicates++;
        else s.unchanged++;
        return;
      }
      const result = normalizeArticle(stored, { defaultLanguage: config.site.language });
      issues.push(...result.issues);
      const a = result.article;
      const own = before?.record ?? null;
      if (a === null) {
        keep(l.path, {
          stat: l.stat,
          sha256: stored.sha256,
          record: own,
          normalizer: NORMALIZER_VERSION,
          issues: result.issues,
        });
        s.rejected++;
        return;
      }
      if (own !== null && c.corrupt.has(own)) {
        // Its record is corrupt (reported below): neither archive the edit elsewhere nor forget
        // the link; the file is read again on every run until the record is repaired.
        s.rejected++;
        return;
      }
      arrived.set(l.path, {
        article: a,
        input: { path: l.path, sha256: stored.sha256, bytes: stored.bytes.length },
        stat: l.stat,
        warnings: result.issues,
        own: own !== null && c.records.has(own) ? own : null,
      });
    };
    let arrivalsFreed = false;
    for (const l of work) examine(l, c.inputs.get(l.path));

    // Records whose stored article disappeared or changed: up for the planner to give away.
    const freed = new Set<string>();
    for (const path of gone) {
      const rel = c.inputs.get(path)?.record;
      if (rel && c.records.get(rel)?.input === path) freed.add(rel);
    }
    for (const { own } of arrived.values()) if (own !== null) freed.add(own);
    // A duplicate whose original is gone takes over its record: duplicates are read again
    // whenever a record is freed (there are few of them; they are reported on every run).
    if (freed.size > 0) {
      arrivalsFreed = true;
      for (const l of listed) {
        const e = c.inputs.get(l.path);
        if (!reported.has(l.path) && e && e.record === null && !e.issues.some(isError))
          examine(l, e);
      }
    }
    const arrivals = [...arrived]
      .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
      .map(([path, x]) => ({
        path,
        fingerprint: x.article.fingerprint,
        id: x.article.id,
        publishedAt: x.article.publishedAt,
        shingles: shinglesOf(textOf(x.article)),
        own: x.own,
      }));
    // What a new file may be an edited version of: the freed records, and withdrawn records
    // whose file comes back under its old name.
    const candidates = new Map<string, ReadonlySet<string>>();
    const maybe = new Set(freed);
    for (const [rel, r] of c.records) if (r.withdrawn && arrived.has(r.input)) maybe.add(rel);
    if (arrivals.some((a) => a.own === null))
      for (const rel of maybe) {
        const r = await load(rel);
        if (r !== null) candidates.set(rel, shinglesOf(textOf(r)));
      }

    for (const action of planArchive({ records: c.records, arrivals, freed, candidates })) {
      if (action.kind === 'withdraw') {
        const existing = await load(action.record);
        const entry = c.records.get(action.record);
        if (existing === null || entry === undefined) continue;
        await save(action.record, withdrawRecord(existing, now), entry.fingerprint);
        s.withdrawn.push(action.record);
        continue;
      }
      const x = arrived.get(action.path);
      if (x === undefined) continue;
      const a = x.article;
      const kept = (record: string | null, extra: Issue[] = []): void =>
        keep(action.path, {
          stat: x.stat,
          sha256: x.input.sha256,
          record,
          normalizer: NORMALIZER_VERSION,
          issues: [...x.warnings, ...extra],
        });
      if (action.kind === 'keep') {
        const existing = await load(action.record);
        if (existing === null) {
          s.rejected++; // its record is corrupt: leave both the record and the catalogue entry
          continue;
        }
        const merged = mergeRecord(existing, a, x.input, now);
        if (merged.kind !== 'unchanged') await save(action.record, merged.record, a.fingerprint);
        if (merged.kind === 'revised') s.revised.push(action.record);
        else s.unchanged++;
        kept(action.record);
      } else if (action.kind === 'mint') {
        const slug = allocateSlug(a.slugBase, (x) => slugs.has(x));
        const record = mintRecord(a, x.input, { now, host, baseUrl: config.site.baseUrl, slug });
        const rel = recordPathFor(record.publishedAt, slug);
        await save(rel, record, a.fingerprint);
        s.added.push(rel);
        kept(rel);
      } else if (action.kind === 'duplicate') {
        const dup = issue(
          'ARTICLE_DUPLICATE',
          'warning',
          action.path,
          `has the same title and text as ${action.of}; it is not archived again.`,
          `Delete one of the two files; ${action.of} stays the article's source (if you delete ${action.of}, this file takes over its record).`,
        );
        issues.push(dup);
        kept(null, [dup]);
        s.duplicates++;
      } else {
        const taken = issue(
          'ARTICLE_ID_TAKEN',
          'error',
          action.path,
          `declares id ${a.id ?? ''}, which ${action.owner} already uses.`,
          'Give each article its own id in front matter, or remove the id line to let feedkeeper mint one.',
        );
        issues.push(taken);
        kept(null, [taken]);
        s.rejected++;
      }
    }

    for (const path of gone) {
      c.inputs.delete(path);
      catalogueChanged = true;
    }
    await pool.drain();
    written.push(...pool.written.map((abs) => relative(root, abs)));
  }

  // Files that did not change keep their status, and their problems are still problems:
  // report them on every run until the file is fixed.
  for (const [path, e] of cat.inputs) {
    if (reported.has(path)) continue;
    issues.push(...e.issues);
    if (e.issues.some((i) => i.severity === 'error')) s.rejected++;
    else if (e.record === null) s.duplicates++;
    else s.unchanged++;
  }
  for (const i of cat.corrupt.values()) issues.push(i);

  // Like git refreshing its index: every entry examined in this run (racy ones included) is
  // now verified as of this scan, so the scan time moves on. Without it, the files of a bulk
  // copy (all with one mtime) stayed racy, and were read and hashed again on every run.
  const racy = listed.some((l) => isRacy(l.stat, scanStartedAt));
  if (catalogueChanged || racy || cat.scannedAt === 0 || work.length > 0) {
    cat.scannedAt = scanStartedAt;
    if (!opts.dryRun)
      written.push(...saveCatalogue(files, cat, recordsLoaded).map((f) => relative(root, f)));
  }
  return { summary: s.done(), catalogue: cat, issues, written, recordsLoaded, fresh };
}

/** A changed stored article that normalized, on its way to the planner. */
interface Arriving {
  readonly article: NormalizedArticle;
  readonly input: InputRef;
  readonly stat: ArticleStat;
  readonly warnings: readonly Issue[];
  readonly own: string | null;
}

const isError = (i: Issue): boolean => i.severity === 'error';

/** The text the similarity of two versions is measured on (archive/plan-archive.ts). */
const textOf = (a: { title: string; body: readonly { text: string }[] }): string =>
  [a.title, ...a.body.map((b) => b.text)].join('\n');

class Summary {
  added: string[] = [];
  revised: string[] = [];
  withdrawn: string[] = [];
  unchanged = 0;
  rejected = 0;
  duplicates = 0;
  done(): ArchiveSummary {
    return {
      added: this.added,
      revised: this.revised,
      withdrawn: this.withdrawn,
      unchanged: this.unchanged,
      rejected: this.rejected,
      duplicates: this.duplicates,
      recordsChanged: this.added.length + this.revised.length + this.withdrawn.length > 0,
    };
  }
}
