import { join, relative } from 'node:path';
import { allocateSlug, recordPathFor, slugOfRecordPath } from '../archive/record-path.js';
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
import type { ArchiveRecord } from '../model/record.js';
import { formatUtcSecond } from '../normalize/dates.js';
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
  opts: { dryRun: boolean },
): Promise<ArchiveResult> {
  const { config, paths, root } = ctx.config;
  const files = catalogueFiles(paths.state);
  const scanStartedAt = Date.now();
  const listed = listArticles(paths.articles, root);

  let cat = loadCatalogue(files);
  let recordsLoaded = false;
  if (cat === null) {
    removeTempFiles(paths.records);
    cat = rebuildCatalogue(paths.records, root);
    recordsLoaded = true;
  }
  const racyBefore = cat.scannedAt;
  const seen = new Set<string>();
  const work: ListedArticle[] = [];
  for (const l of listed) {
    seen.add(l.path);
    const e = cat.inputs.get(l.path);
    if (!e || !sameStat(e.stat, l.stat) || isRacy(e.stat, racyBefore)) work.push(l);
  }
  const gone = [...cat.inputs.keys()].filter((p) => !seen.has(p));

  const s = new Summary();
  const written: string[] = [];
  const issues: Issue[] = [];
  const fresh = new Map<string, ArchiveRecord>();
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
    const byFingerprint = new Map<string, string>();
    const byId = new Map<string, string>();
    const slugs = new Set<string>();
    for (const [path, r] of c.records) {
      byFingerprint.set(r.fingerprint, path);
      byId.set(r.id, path);
      slugs.add(r.slug);
    }
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
      byFingerprint.set(fingerprint, rel);
      byId.set(record.id, rel);
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

    for (const l of work) {
      const before = c.inputs.get(l.path);
      const keep = (entry: Omit<InputEntry, 'stat'>, stat = l.stat): void => {
        c.inputs.set(l.path, { ...entry, stat });
        catalogueChanged = true;
      };
      if (l.stat.size > config.limits.maxArticleBytes) {
        const tooLarge = issue(
          'ARTICLE_TOO_LARGE',
          'error',
          l.path,
          `is ${l.stat.size} bytes, over the limit of ${config.limits.maxArticleBytes} bytes (limits.maxArticleBytes); it was not read.`,
          'Check that it is really an article (not a pasted log or an export); if it is, raise limits.maxArticleBytes in feedkeeper.config.json.',
        );
        issues.push(tooLarge);
        keep({ sha256: '', record: before?.record ?? null, issues: [tooLarge] });
        s.rejected++;
        continue;
      }
      const stored = readArticle(l);
      if (before && before.sha256 === stored.sha256) {
        // Same bytes (touched, or re-checked because the last scan was too close to an edit).
        if (!sameStat(before.stat, l.stat)) keep(before);
        if (before.issues.some((i) => i.severity === 'error')) s.rejected++;
        else s.unchanged++;
        continue;
      }
      const result = normalizeArticle(stored, { defaultLanguage: config.site.language });
      issues.push(...result.issues);
      const a = result.article;
      if (a === null) {
        keep({ sha256: stored.sha256, record: before?.record ?? null, issues: result.issues });
        s.rejected++;
        continue;
      }
      const input = { path: l.path, sha256: stored.sha256, bytes: stored.bytes.length };
      const warnings = result.issues;

      // An input we archived before: its record gets a revision (or nothing).
      const ownRecord = before?.record ?? null;
      if (ownRecord !== null && c.records.has(ownRecord)) {
        const existing = await load(ownRecord);
        if (existing === null) {
          s.rejected++; // its record is corrupt: leave both the record and the catalogue entry
          continue;
        }
        const merged = mergeRecord(existing, a, input, now);
        if (merged.kind !== 'unchanged') await save(ownRecord, merged.record, a.fingerprint);
        if (merged.kind === 'revised') s.revised.push(ownRecord);
        else s.unchanged++;
        keep({ sha256: stored.sha256, record: ownRecord, issues: warnings });
        continue;
      }

      // New to us. The same article under another name? A moved file? Or a new article.
      const twin = byFingerprint.get(a.fingerprint) ?? (a.id !== null ? byId.get(a.id) : undefined);
      const twinEntry = twin === undefined ? undefined : c.records.get(twin);
      if (twin !== undefined && twinEntry !== undefined) {
        const owner = twinEntry.input;
        if (
          owner !== l.path &&
          seen.has(owner) &&
          !twinEntry.withdrawn &&
          c.inputs.get(owner)?.record === twin
        ) {
          const sameId = twinEntry.fingerprint !== a.fingerprint;
          const dup = sameId
            ? issue(
                'ARTICLE_ID_TAKEN',
                'error',
                l.path,
                `declares id ${a.id ?? ''}, which ${owner} already uses.`,
                'Give each article its own id in front matter, or remove the id line to let feedkeeper mint one.',
              )
            : issue(
                'ARTICLE_DUPLICATE',
                'warning',
                l.path,
                `has the same title and text as ${owner}; it is not archived again.`,
                `Delete one of the two files; ${owner} stays the article's source.`,
              );
          issues.push(dup);
          keep({ sha256: stored.sha256, record: null, issues: [...warnings, dup] });
          if (sameId) s.rejected++;
          else s.duplicates++;
          continue;
        }
        // Its old file is gone (moved or renamed), or it was withdrawn and is back: same record.
        const existing = await load(twin);
        if (existing === null) {
          s.rejected++;
          continue;
        }
        const merged = mergeRecord(existing, a, input, now);
        if (merged.kind !== 'unchanged') await save(twin, merged.record, a.fingerprint);
        if (merged.kind === 'revised') s.revised.push(twin);
        else s.unchanged++;
        keep({ sha256: stored.sha256, record: twin, issues: warnings });
        continue;
      }

      const slug = allocateSlug(a.slugBase, (x) => slugs.has(x));
      const record = mintRecord(a, input, { now, host, baseUrl: config.site.baseUrl, slug });
      const rel = recordPathFor(record.publishedAt, slug);
      await save(rel, record, a.fingerprint);
      s.added.push(rel);
      keep({ sha256: stored.sha256, record: rel, issues: warnings });
    }

    for (const path of gone) {
      const e = c.inputs.get(path);
      c.inputs.delete(path);
      catalogueChanged = true;
      const rel = e?.record;
      const entry = rel ? c.records.get(rel) : undefined;
      if (!rel || !entry || entry.input !== path || entry.withdrawn) continue;
      const existing = await load(rel);
      if (existing === null) continue;
      await save(rel, withdrawRecord(existing, now), entry.fingerprint);
      s.withdrawn.push(rel);
    }
    await pool.drain();
    written.push(...pool.written.map((abs) => relative(root, abs)));
  }

  // Files that did not change keep their status, and their problems are still problems:
  // report them on every run until the file is fixed.
  const reported = new Set(work.map((l) => l.path));
  for (const [path, e] of cat.inputs) {
    if (reported.has(path)) continue;
    issues.push(...e.issues);
    if (e.issues.some((i) => i.severity === 'error')) s.rejected++;
    else if (e.record === null) s.duplicates++;
    else s.unchanged++;
  }
  for (const i of cat.corrupt.values()) issues.push(i);

  const racy = listed.some((l) => isRacy(l.stat, scanStartedAt));
  if (catalogueChanged || racy || cat.scannedAt === 0) {
    cat.scannedAt = scanStartedAt;
    if (!opts.dryRun)
      written.push(...saveCatalogue(files, cat, recordsLoaded).map((f) => relative(root, f)));
  }
  return { summary: s.done(), catalogue: cat, issues, written, recordsLoaded, fresh };
}

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
