import { existsSync } from 'node:fs';
import { ConfigError } from '../config/config-error.js';
import { join, relative } from 'node:path';
import { ensureArchiveReadme } from '../archive/archive-readme.js';
import {
  firstArchived,
  isRacy,
  RACY_MS,
  quietScanOf,
  recordEntryOf,
  sameStat,
  type Catalogue,
  type InputEntry,
  type RecordEntry,
} from '../archive/catalogue.js';
import type { RowChange } from '../archive/record-chunks.js';
import { ChangeMap } from '../model/change-map.js';
import {
  catalogueFiles,
  confirmSources,
  loadRecordIndex,
  markDirty,
  openRecordRows,
  newGeneration,
  openCatalogue,
  previousDeclared,
  previousRecordRows,
  readGeneration,
  removeTempFiles,
  saveCatalogue,
  type CatalogueFiles,
} from '../archive/catalogue-file.js';
import { rebuildCatalogue, UNKNOWN_STAT } from '../archive/rebuild-catalogue.js';
import {
  BUCKETS,
  bucketOf,
  listingBuckets,
  NO_DIGEST,
  type ListingBuckets,
} from '../archive/input-buckets.js';
import { InputsUnreadableError } from '../archive/input-table.js';
import { RecordsUnreadableError } from '../archive/rows-on-demand.js';
import {
  addToIndex,
  indexRecords,
  keysOf,
  planArchive,
  shinglesOf,
  type Arrival,
} from '../archive/plan-archive.js';
import { readRecord } from '../archive/read-record.js';
import type { ListedArticle } from '../ingest/list-articles.js';
import type { Listing } from '../ingest/listing.js';
import { readArticle } from '../ingest/read-article.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { fingerprintOf } from '../normalize/fingerprint.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { releasedUpTo } from './publish-state.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import { applyPlan, keptByRecord, setInput } from './apply-plan.js';
import { Summary } from './summary.js';
import { quietArchive, scanArticles, type Scanned } from './scan-articles.js';
import { isDraft } from './drafts.js';
import type { RunContext } from './context.js';
import {
  examineArticle,
  sameContent,
  type Arriving,
  type ExamineOptions,
} from './examine-article.js';
import { ExaminePool } from './examine-pool.js';
import { RecordStore, StaleCatalogueError } from './record-store.js';
import { keyIndexOf } from '../archive/key-index.js';
import { PagesHeld } from './pages-held.js';
import type { PageState } from './page-state.js';
import { reserveDeclaredPages } from './declared-pages.js';
import { takeKept } from '../archive/kept-catalogue.js';
import type { ArchiveSummary } from './report.js';
import { appendAll } from '../model/append-all.js';

export interface ArchiveResult {
  readonly summary: ArchiveSummary;
  /** null: not read, the listing's digest said nothing changed (catalogue-file.ts, quietSince()). */
  readonly catalogue: Catalogue | null;
  readonly issues: Issue[];
  readonly written: string[];
  /** Whether `catalogue.records` is filled (it is not on a run that had nothing to archive). */
  readonly recordsLoaded: boolean;
  /** A dry run's records, by path: nothing is on disk, so rendering takes them from here. */
  readonly fresh: ReadonlyMap<string, ArchiveRecord>;
  /** The page state, if a mint read it (pages-held.ts): the render stage reads it once. */
  readonly pageState?: PageState | null;
  /** What the archive stage's save changed in the records table (none: it saved no records). */
  readonly rowChanges?: RecordRowChanges;
}

/**
 * The rows a save of the records table changed, and the root's stamps before (`from`, null: no
 * saved state) and after it (`to`).
 */
export interface RecordRowChanges {
  readonly from: string | null;
  readonly to: string;
  readonly changes: readonly RowChange[];
}

/**
 * Up to this many changed articles, all are read before planning and the planner's index holds
 * only the records they can match; above, each is planned as soon as it is read (a cold build
 * never holds its normalized articles).
 */
const FEW_ARRIVALS = 64;

/**
 * Stored articles → records, incrementally: only articles whose stat changed are read, only
 * those whose bytes (or normalization rules) changed are normalized, only records whose bytes
 * change are written. Which record each article belongs to is decided by the pure identity
 * planner (archive/plan-archive.ts); this function reads, plans and applies.
 */
export async function archiveArticles(
  ctx: RunContext,
  opts: { dryRun: boolean; full?: boolean; withdrawAll?: boolean },
  /**
   * The listing this run already made and found not quiet (pipeline/run.ts asks
   * quietArchive() before it loads this module); without it, both are done here.
   */
  scanned?: Scanned,
): Promise<ArchiveResult> {
  const listing = scanned ?? scanArticles(ctx);
  if (scanned === undefined) {
    const quiet = quietArchive(ctx, opts, listing);
    if (quiet !== null) return quiet;
  }
  try {
    return await archiveOnce(ctx, opts, false, listing);
  } catch (error) {
    if (
      !(error instanceof StaleCatalogueError) &&
      !(error instanceof InputsUnreadableError) &&
      !(error instanceof RecordsUnreadableError)
    )
      throw error;
    // The catalogue contradicted a record while writing (nothing was written over it), or a
    // bucket of its inputs or a chunk of its records could not be read halfway through: start
    // again from the records
    // (and if this run is killed, the next one rebuilds as well).
    const { paths, root } = ctx.config;
    const files = catalogueFiles(paths.state, paths.records);
    if (!opts.dryRun) markDirty(files);
    const again = await archiveOnce(ctx, opts, true, scanArticles(ctx));
    again.issues.unshift(staleIssue(relative(root, files.inputs), error.message));
    const already = new Set(again.written);
    const merged = error.written.filter((f) => !already.has(f)).concat(again.written);
    again.written.length = 0;
    appendAll(again.written, merged);
    return again;
  }
}

async function archiveOnce(
  ctx: RunContext,
  opts: { dryRun: boolean; full?: boolean; withdrawAll?: boolean },
  forceRebuild: boolean,
  scanned: Scanned,
): Promise<ArchiveResult> {
  const { config, paths, root } = ctx.config;
  const files = catalogueFiles(paths.state, paths.records);
  const { startedAt: scanStartedAt, digest } = scanned;
  const { listing } = scanned;
  const issues: Issue[] = [];

  // A service's catalogue kept from its last run, if its files did not change since; taken
  // out of memory either way (kept again by runOnce when this run is done).
  const kept = takeKept(ctx.memory, files);
  const opened =
    opts.full === true || forceRebuild
      ? { catalogue: null, stale: null }
      : kept !== null
        ? { catalogue: kept, stale: null }
        : openCatalogue(files);
  if (opened.stale !== null) issues.push(staleIssue(relative(root, files.inputs), opened.stale));
  /** Whether this run gave the records folder a generation (it is in the files written). */
  let marked = false;
  const rebuildNow = (): Catalogue => {
    const r = rebuild(files, paths.records, root, opts.dryRun);
    marked ||= r.marked;
    return r.catalogue;
  };
  let cat = opened.catalogue ?? rebuildNow();
  let rebuilt = opened.catalogue === null;
  // The buckets of the inputs this run must read: those whose part of the listing changed
  // (archive/input-buckets.ts). The others are left unread: their rows are that part exactly.
  const buckets = listingBuckets(listing);
  if (!rebuilt && !loadChanged(cat, listing, buckets)) {
    cat = rebuildNow();
    rebuilt = true;
  }
  let recordsLoaded = rebuilt || (kept !== null && opened.catalogue === kept);
  // Records that could not be read last time are read again (there are few): one restored
  // takes its article back, one deleted frees it.
  // The records' rows, read from the catalogue files; rows an older feedkeeper may have written
  // without publishedFrom are confirmed from their records first (catalogue-file.ts).
  const confirm = (c: Catalogue): void =>
    confirmSources(c, (rel) => {
      const got = readRecord(paths.records, rel, root);
      return 'record' in got ? got.record.publishedFrom : undefined;
    });
  // `onDemand`: a run with few changes reads the records' rows as it asks for them (the chunks
  // that hold them: key-index.ts, RecordRows.onDemand), not the whole table.
  const loadRecords = (c: Catalogue, onDemand = false): boolean => {
    if (!(onDemand ? openRecordRows(files, c) : loadRecordIndex(files, c))) return false;
    confirm(c);
    return true;
  };
  // A service's kept catalogue may have been read by the render step, which does not confirm.
  if (recordsLoaded && !rebuilt) confirm(cat);
  let repaired = false;
  if (!rebuilt && cat.corrupt.size > 0) {
    const news = recheckCorrupt(cat, paths.records, root);
    if (news.restored.length + news.deleted.length > 0) {
      if (loadRecords(cat) && cat.inputs.loadAll()) takeBack(cat, news);
      else {
        cat = rebuildNow();
        rebuilt = true;
      }
      recordsLoaded = true;
      repaired = true;
    }
  }
  // Two live records of one article (found by a rebuild or a restored record): the first
  // archived keeps it, read again this run; the other is withdrawn below.
  const superseded = winners(cat);
  for (const [loser, winner] of superseded) {
    const l = cat.records.get(loser);
    const w = cat.records.get(winner);
    for (const path of new Set([l?.input, w?.input]))
      if (path !== undefined && (path === l?.input || cat.inputs.get(path)?.record !== winner))
        cat.inputs.set(path, unknownRow(winner));
  }

  let work = changedSince(cat, listing, buckets);
  // A row gone from the listing: only a read bucket can hold one (an unread bucket's rows are
  // its part of the listing exactly), so only their entries are looked for.
  const present = new Set<string>();
  for (let i = 0; i < listing.length; i++)
    if (cat.inputs.isLoaded(buckets.of[i]!)) present.add(listing.path(i));
  const gone: string[] = [];
  for (const [p] of cat.inputs.loaded()) if (!present.has(p)) gone.push(p);
  if (listing.length === 0 && opts.withdrawAll !== true) refuseEmptyFolder(ctx, cat, gone);

  const s = new Summary();
  const written: string[] = [];
  /** The stored articles examined in this run (their problems are reported as found). */
  const examined = new Set<string>();
  let store: RecordStore | null = null;
  let pagesHeld: PagesHeld | null = null;
  /** How many records this run wrote (they are the first entries of `written`). */
  let recordsWritten = 0;

  // Touched but not changed (a `touch`, an editor saving the same bytes, a checkout, a file
  // re-read because it was racy): read and hashed before the records are loaded, and handled
  // as the examination below handles an unchanged article. Loading the records for one
  // touched file was 0.7 s of 3.5 s at 100,000 articles. One whose bytes changed is read
  // again below (a second read of a few files). If the records must be rebuilt after all,
  // the rebuilt catalogue examines every file again, these too.
  let touched = 0;
  if (!recordsLoaded && work.length > 0 && work.length <= FEW_ARRIVALS)
    work = work.filter((l) => {
      const before = cat.inputs.get(l.path);
      if (
        before === undefined ||
        before.sha256 === '' ||
        before.issues.some(onTheClock) ||
        keptUnknown(before) ||
        l.problem !== undefined ||
        l.stat.size > config.limits.maxArticleBytes
      )
        return true;
      const stored = readArticle(l);
      if ('issue' in stored || !sameContent(before, stored.sha256)) return true;
      // Its status and problems are reported with the other unchanged files (below).
      if (!sameStat(before.stat, l.stat)) setInput(cat, l.path, { ...before, stat: l.stat });
      touched++;
      return false;
    });

  if (work.length > 0 || gone.length > 0 || repaired || superseded.size > 0) {
    const onDemand = work.length + gone.length <= FEW_ARRIVALS;
    if (!recordsLoaded && !loadRecords(cat, onDemand)) {
      cat = rebuildNow();
      rebuilt = true;
      work = changedSince(cat, listing, buckets);
    }
    recordsLoaded = true;
    const c = cat;
    const { normalizeArticle } = await import('../normalize/normalize-article.js');
    const st = new RecordStore(
      c,
      { records: paths.records, state: paths.state, files, root },
      opts.dryRun,
      work.length + gone.length,
      rebuilt,
    );
    store = st;
    try {
      const now = formatUtcSecond(ctx.now().getTime());
      const released = releasedUpTo(paths.state, now);
      const examineOptions: ExamineOptions = {
        maxBytes: config.limits.maxArticleBytes,
        normalize: normalizeArticle,
        normalizeOptions: { defaultLanguage: config.site.language },
        recheck: false,
        isCorrupt: (rel) => c.corrupt.has(rel),
        exists: (rel) => c.records.has(rel),
        dates: { sources: config.dates.sources, now },
      };

      // Read and normalize what changed; the articles that pass go to the planner.
      const arrived = new Map<string, Arriving>();
      /** Records whose stored article became a draft: withdrawn unless another file takes them. */
      const drafted = new Set<string>();
      const examine = async (
        l: ListedArticle,
        o: ExamineOptions,
        pool: ExaminePool | null = null,
      ): Promise<void> => {
        examined.add(l.path);
        ctx.progress?.(examined.size, work.length);
        const before = c.inputs.get(l.path);
        // A problem that holds until a time is judged again by the clock of this run: the
        // article is normalized again though its bytes did not change (onTheClock).
        const due = before !== undefined && (before.issues.some(onTheClock) || keptUnknown(before));
        const oo = due ? { ...o, recheck: true } : o;
        const x = pool ? await pool.examine(l, before, oo) : examineArticle(l, before, oo);
        const row = { stat: l.stat, normalizer: NORMALIZER_VERSION };
        if (x.kind === 'too large') {
          issues.push(x.issue);
          setInput(c, l.path, {
            ...row,
            sha256: '',
            record: before?.record ?? null,
            normalizer: before?.normalizer ?? NORMALIZER_VERSION,
            issues: [x.issue],
            ...declaredOf(before),
          });
          s.rejected++;
        } else if (x.kind === 'same' && before) {
          // Touched, or re-checked because the last scan was too close to an edit: its problems
          // are still problems. A rebuilt row whose file declares nothing is whole as it is.
          if (!sameStat(before.stat, l.stat) || before.rebuilt === true)
            setInput(c, l.path, {
              stat: l.stat,
              sha256: before.sha256,
              record: before.record,
              normalizer: before.normalizer,
              issues: before.issues,
              ...declaredOf(before),
            });
          appendAll(issues, before.issues);
          count(s, before, l.path);
        } else if (x.kind === 'rejected') {
          appendAll(issues, x.issues);
          setInput(c, l.path, {
            ...row,
            sha256: x.sha256,
            record: before?.record ?? null,
            issues: x.issues,
            ...declaredOf(before),
          });
          s.rejected++;
        } else if (x.kind === 'draft') {
          appendAll(issues, x.issues);
          const held = before?.record;
          if (held && c.records.get(held)?.input === l.path) drafted.add(held);
          setInput(c, l.path, { ...row, sha256: x.sha256, record: null, issues: x.issues });
          s.drafts.push(l.path);
        } else if (x.kind === 'record corrupt') {
          // Reported with the corrupt records: neither archived elsewhere nor unlinked, and read
          // again on every run until the record is repaired.
          s.rejected++;
        } else if (x.kind === 'arrived' && unchangedSinceRebuild(before, x.arriving)) {
          // Its record's bytes, read again because the row was rebuilt from the records: the
          // row an unbroken history would have (what it declares that its record kept apart:
          // the planner's `declaredKept`), and nothing else to do, as for an unchanged file.
          const r = c.records.get(before.record);
          const { kept, declared } =
            r === undefined
              ? { kept: [], declared: undefined }
              : keptByRecord(l.path, x.arriving, before.record, r, released);
          const settled: InputEntry = {
            ...row,
            sha256: before.sha256,
            record: before.record,
            issues: [...x.arriving.warnings, ...kept],
            ...(declared === undefined ? {} : { declared }),
          };
          setInput(c, l.path, settled);
          appendAll(issues, settled.issues);
          count(s, settled, l.path);
        } else if (x.kind === 'arrived') {
          appendAll(issues, x.arriving.warnings);
          arrived.set(l.path, x.arriving);
          const ahead = x.arriving.origin?.updateAhead;
          if (ahead !== undefined) s.updatesAhead.push({ path: l.path, updatedAt: ahead });
        }
      };
      const world = {
        store: st,
        catalogue: c,
        summary: s,
        issues,
        // Read without the store's bookkeeping: a record that cannot be read holds no page
        // here, and is reported where it always is.
        pages: (pagesHeld = new PagesHeld(
          c,
          { state: paths.state, now, ...(ctx.memory ? { memory: ctx.memory } : {}) },
          config.site.baseUrl,
          (rel) => {
            const got = readRecord(paths.records, rel, root);
            return st.fresh.get(rel) ?? ('record' in got ? got.record : null);
          },
        )),
        mint: {
          now,
          released,
          host: new URL(config.site.baseUrl).hostname,
          baseUrl: config.site.baseUrl,
        },
      };
      // Withdrawn first, and out of the planner's sight for this run: its text is the article's,
      // and the planner would otherwise give it back the article as a free record.
      const losers = new Set(superseded.keys());
      for (const [loser, winner] of superseded) {
        await applyPlan([{ kind: 'withdraw', record: loser }], new Map(), world);
        issues.push(supersededIssue(c, paths.records, root, loser, winner));
      }
      // The date a record's file declared while the record kept its own (InputEntry.declared),
      // as the catalogue had it before this run's plan.
      const declaredKept = {
        get: (rec: string): string | undefined => {
          const r = c.records.get(rec);
          const e = r === undefined ? undefined : c.inputs.get(r.input);
          return e?.record === rec ? (e.declared ?? keptInWarning(e)) : undefined;
        },
      };
      /** The records with a text or an id (the records' index by key: no pass over the rows). */
      const keysHeld = (kind: 'fingerprint' | 'id', key: string): readonly string[] =>
        keyIndexOf(c.records).holders(kind, key);
      const planRecords =
        losers.size === 0 ? c.records : new Map([...c.records].filter(([k]) => !losers.has(k)));
      const arrivalOf = (path: string, x: Arriving, withShingles: boolean): Arrival => ({
        path,
        fingerprint: x.article.fingerprint,
        id: x.article.id,
        publishedAt: x.declared !== undefined ? x.declared : x.article.publishedAt,
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
        losers.size > 0 ||
        gone.some((p) => c.inputs.get(p)?.record) ||
        work.some((l) => c.inputs.get(l.path)?.record) ||
        [...workPaths].some((p) => withdrawnOf(c, p).length > 0);
      // A big run's articles are read and normalized on worker threads, ahead of this loop,
      // which takes them in the same order (pipeline/examine-pool.ts).
      const pool = ExaminePool.start(work, (path) => c.inputs.get(path), examineOptions);
      try {
        if (!mayFree) {
          // A few articles (the usual scheduled run): examined first, so that the index holds
          // only the records they can match. Equivalent: none of them held a record, so what
          // examining one finds does not depend on what planning another minted.
          // Each one's problems are held back until its turn, so the report reads as before.
          const few = work.length <= FEW_ARRIVALS;
          // Minted as they are read: the page files of the urls read later are reserved first.
          if (!few)
            reserveDeclaredPages(work, world.pages, (l) =>
              examineArticle(l, c.inputs.get(l.path), examineOptions),
            );
          const held = new Map<string, Issue[]>();
          if (few)
            for (const l of work) {
              const from = issues.length;
              await examine(l, examineOptions, pool);
              held.set(l.path, issues.splice(from));
            }
          const index = indexRecords(
            c.records,
            few ? keysOf([...arrived.values()].map((x) => x.article)) : undefined,
            keysHeld,
          );
          for (const l of work) {
            if (few) appendAll(issues, held.get(l.path) ?? []);
            else await examine(l, examineOptions, pool);
            const x = arrived.get(l.path);
            if (x === undefined) continue;
            const plan = planArchive({
              records: c.records,
              arrivals: [arrivalOf(l.path, x, false)],
              freed: new Set(),
              candidates: new Map(),
              index,
              now: world.mint.now,
              released: world.mint.released,
              declaredKept,
            });
            await applyPlan(plan, arrived, world);
            arrived.delete(l.path);
            for (const a of plan) {
              const rel =
                a.kind === 'keep'
                  ? a.record
                  : a.kind === 'mint'
                    ? c.inputs.get(a.path)?.record
                    : null;
              const r = rel ? c.records.get(rel) : undefined;
              if (rel && r) addToIndex(index, rel, r, c.records);
            }
          }
        } else for (const l of work) await examine(l, examineOptions, pool);
      } finally {
        await pool?.close();
      }

      // Records whose stored article disappeared or changed: up for the planner to give away.
      const freed = new Set<string>();
      for (const path of gone) {
        const rel = c.inputs.get(path)?.record;
        if (rel && c.records.get(rel)?.input === path) freed.add(rel);
      }
      for (const { own } of arrived.values()) if (own !== null) freed.add(own);
      for (const rel of drafted) freed.add(rel);
      // A duplicate whose original is gone takes over its record: duplicates are read again
      // whenever a record is freed (there are few of them; they are reported on every run).
      if (freed.size > 0)
        for (let i = 0; i < listing.length; i++) {
          // Such a row is notable: the root has it when its bucket is not read.
          const path = listing.path(i);
          const e = c.inputs.peek(path);
          if (!examined.has(path) && e && e.record === null && !e.issues.some(isError))
            await examine(listing.article(i), { ...examineOptions, recheck: true });
        }

      // What a new file may be an edited version of: the freed records, and withdrawn records
      // whose file comes back under its old name. Only read (and word pairs only computed)
      // when there are such records and files without a record: never in a cold build.
      const candidates = new Map<string, ReadonlySet<string>>();
      if ([...arrived.values()].some((x) => x.own === null)) {
        const maybe = new Set(freed);
        for (const path of arrived.keys()) for (const rel of withdrawnOf(c, path)) maybe.add(rel);
        for (const rel of maybe) {
          const r = await st.load(rel);
          if (r !== null) candidates.set(rel, shinglesOf(textOf(r)));
        }
      }
      const arrivals: Arrival[] = [...arrived]
        .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
        .map(([path, x]) => arrivalOf(path, x, candidates.size > 0));
      await applyPlan(
        planArchive({
          records: planRecords,
          arrivals,
          freed,
          candidates,
          // Looked up in the index by key; with records left out of sight (superseded), by a
          // pass over those that are left.
          ...(planRecords === c.records
            ? { index: indexRecords(c.records, keysOf(arrivals), keysHeld) }
            : {}),
          now: world.mint.now,
          released: world.mint.released,
          declaredKept,
        }),
        arrived,
        world,
      );
      for (const path of gone) c.inputs.delete(path);
      const records = await st.drain();
      if (st.marked) marked = true;
      for (const r of records) written.push(r); // no spread: 125,000+ arguments overflow the stack
      recordsWritten = records.length;
    } catch (error) {
      // Let the writes already queued finish (each was checked) and stop the write worker,
      // whatever went wrong: a worker left running kept a refused run (a full disk while
      // marking the catalogue dirty) alive for ever after its message. A stale catalogue
      // restarts the run, which must know what was written.
      const queued = await st.drain().catch(() => []);
      if (
        error instanceof StaleCatalogueError ||
        error instanceof InputsUnreadableError ||
        error instanceof RecordsUnreadableError
      )
        error.written = queued;
      throw error;
    }
  }

  // Files that did not change keep their status, and their problems are still problems:
  // report them on every run until the file is fixed.
  for (const [path, e] of cat.inputs.loaded()) {
    if (examined.has(path)) continue;
    appendAll(issues, e.issues);
    count(s, e, path);
  }
  // The buckets left unread: their rows with issues or no record from the root's copies, the
  // others unchanged articles (archive/input-table.ts).
  const unread = cat.inputs.unread();
  for (const [path, e] of unread.notable) {
    if (examined.has(path)) continue;
    appendAll(issues, e.issues);
    count(s, e, path);
  }
  s.unchanged += unread.others;
  for (const i of cat.corrupt.values()) issues.push(i);
  s.repaired = repaired;

  // Like git refreshing its index: every entry examined in this run (racy ones included) is
  // now verified as of this scan, so the scan time moves on. Without it, the files of a bulk
  // copy (all with one mtime) stayed racy, and were read and hashed again on every run.
  const racy = listing.modifiedWithin(scanStartedAt, RACY_MS);
  const changed =
    rebuilt ||
    repaired ||
    touched > 0 ||
    work.length > 0 ||
    gone.length > 0 ||
    store?.changed === true;
  if (marked) written.push(relative(root, files.generation)); // after the records it stamps
  // archive/README.md (the layout for someone with only ls, cat and jq: issue 13) on the first
  // run, and on any run that writes records, if it is missing; never over an edited one. Only
  // then: a run that changes nothing does not even look for it.
  if (!opts.dryRun && (rebuilt || recordsWritten > 0)) {
    const readme = ensureArchiveReadme(paths.records);
    if (readme !== null) written.push(relative(root, readme));
  }
  let rowChanges: RecordRowChanges | undefined;
  if (changed || racy || cat.scannedAt === 0) {
    cat.scannedAt = scanStartedAt;
    if (!opts.dryRun) {
      // What this save changes in the records table, from the state it was read at: the render
      // stage plans from it (parts-plan.ts) when that state was the last publication's.
      const from = cat.saved?.recordsStamp ?? null;
      const changes = rowChangesOf(cat.records);
      appendAll(
        written,
        saveCatalogue(files, cat, recordsLoaded, quietScanOf(cat, listing, buckets, digest), {
          listing,
          buckets,
        }).map((f) => relative(root, f)),
      );
      if (changes !== null && cat.saved?.recordsStamp !== undefined)
        rowChanges = { from, to: cat.saved.recordsStamp, changes };
    }
  }
  return {
    summary: s.done(),
    catalogue: cat,
    issues,
    written,
    recordsLoaded,
    fresh: store?.fresh ?? new Map(),
    ...(pagesHeld?.pageState === undefined ? {} : { pageState: pagesHeld.pageState }),
    ...(rowChanges === undefined ? {} : { rowChanges }),
  };
}

/** The rows of `records` set or deleted since they were read, each with what it was then. */
function rowChangesOf(records: ReadonlyMap<string, RecordEntry>): RowChange[] | null {
  if (!(records instanceof ChangeMap)) return null;
  const before = records.before as ReadonlyMap<string, RecordEntry | undefined>;
  return [...(records.changed as ReadonlySet<string>)].map((path) => ({
    path,
    before: before.get(path),
    after: records.get(path),
  }));
}

/**
 * The catalogue rebuilt from the records, with the records folder's generation: read before
 * the records are, so that a run writing records meanwhile makes it stale again. A folder
 * without a marker gets one (not on a dry run, which writes nothing). The dates the files
 * declared while their records kept their own (InputEntry.declared) are taken from the last
 * saved catalogue, if it still says so for the same record and bytes: a file still there is
 * read again anyway (InputEntry.rebuilt), but one renamed in this very run is not, and its
 * record's date alone made it another article, published again.
 */
function rebuild(
  files: CatalogueFiles,
  recordsDir: string,
  root: string,
  dryRun: boolean,
): { catalogue: Catalogue; marked: boolean } {
  if (!dryRun) removeTempFiles(recordsDir);
  const generation = readGeneration(files);
  const c = rebuildCatalogue(recordsDir, root, () => previousRecordRows(files));
  for (const [path, was] of previousDeclared(files)) {
    const e = c.inputs.get(path);
    if (e?.rebuilt === true && e.record === was.record && e.sha256 === was.sha256)
      c.inputs.set(path, { ...e, declared: was.declared });
  }
  c.generation = generation ?? (dryRun ? null : newGeneration(files));
  return { catalogue: c, marked: generation === null && !dryRun };
}

interface Rechecked {
  readonly restored: [string, ArchiveRecord][];
  readonly deleted: string[];
}

function recheckCorrupt(cat: Catalogue, recordsDir: string, root: string): Rechecked {
  const news: Rechecked = { restored: [], deleted: [] };
  for (const rel of cat.corrupt.keys()) {
    if (!existsSync(join(recordsDir, rel))) {
      news.deleted.push(rel);
      continue;
    }
    const read = readRecord(recordsDir, rel, root);
    if ('record' in read) news.restored.push([rel, read.record]);
  }
  return news;
}

/**
 * Records readable again: indexed, and one that is live takes its stored article back (if a
 * record was minted for its stored file meanwhile, `superseded` says which one keeps it). Records
 * deleted: their slug is free again and their article, if any, is archived anew.
 */
function takeBack(cat: Catalogue, news: Rechecked): void {
  for (const rel of news.deleted) {
    cat.corrupt.delete(rel);
    cat.records.delete(rel);
    for (const [path, e] of cat.inputs)
      if (e.record === rel) cat.inputs.set(path, unknownRow(null));
  }
  for (const [rel, r] of news.restored) {
    cat.corrupt.delete(rel);
    const entry = recordEntryOf(r, fingerprintOf(r));
    cat.records.set(rel, entry);
    if (r.withdrawnAt !== null) continue;
    let rivals = 0;
    for (const [other, o] of cat.records) {
      // The same stored file only: one id on two files is a duplicate to report, not one
      // article (archive/rebuild-catalogue.ts).
      if (other === rel || o.withdrawn || o.input !== entry.input) continue;
      rivals++;
      if (firstArchived(o, entry)) cat.superseded.set(rel, other);
      else cat.superseded.set(other, rel);
    }
    if (rivals === 0 && cat.inputs.get(entry.input)?.record !== rel)
      cat.inputs.set(entry.input, unknownRow(rel));
  }
}

/**
 * The withdrawn records whose stored article was at `path` (a file back under the name of a
 * withdrawn record may be its article again), from the records' index by key.
 */
const withdrawnOf = (cat: Catalogue, path: string): string[] =>
  keyIndexOf(cat.records)
    .holders('input', path)
    .filter((rel) => cat.records.get(rel)?.withdrawn === true);

/** Superseded records → the record that keeps their article in the end (chains followed). */
function winners(cat: Catalogue): Map<string, string> {
  const out = new Map<string, string>();
  for (const loser of cat.superseded.keys()) {
    let winner = cat.superseded.get(loser) ?? loser;
    for (let hops = 0; cat.superseded.has(winner) && hops < cat.superseded.size; hops++)
      winner = cat.superseded.get(winner) ?? winner;
    if (winner !== loser && cat.records.get(loser)?.withdrawn === false) out.set(loser, winner);
  }
  return out;
}

/** A catalogue row that makes the next step read the stored article (and tie it to `record`). */
const unknownRow = (record: string | null) => ({
  stat: UNKNOWN_STAT,
  sha256: '',
  record,
  normalizer: NORMALIZER_VERSION,
  issues: [] as Issue[],
});

const staleIssue = (file: string, why: string): Issue =>
  issue(
    'CATALOGUE_STALE',
    'warning',
    file,
    `the catalogue was not used: ${why}. It was rebuilt from the records; no record was written on its word.`,
    "Nothing to do after restoring a backup. If two configurations write the same records folder (paths.records), give each its own records folder, or let them share one state folder (paths.state): otherwise each run rebuilds the other's catalogue.",
  );

function supersededIssue(
  c: Catalogue,
  recordsDir: string,
  root: string,
  loser: string,
  winner: string,
): Issue {
  const shown = (rel: string): string => relative(root, join(recordsDir, rel));
  const l = c.records.get(loser);
  const w = c.records.get(winner);
  return issue(
    'RECORD_SUPERSEDED',
    'warning',
    shown(loser),
    `was archived for ${l?.input ?? 'its article'} while ${shown(winner)}, archived first for the same article, was unreadable or unknown; that record is back and keeps the article (${w?.id ?? winner}), so this one is withdrawn: kept, no longer in the feeds.`,
    'Nothing to do. Readers may have seen the article under both ids while the other record was unreadable; from now on the feeds list it once, under the first one.',
  );
}

/**
 * Read the buckets of the inputs whose part of the listing is not the one their rows were saved
 * for, or of older normalization rules, or with an entry that changedSince() would take for
 * another reason (racy, or a problem on the clock): every other bucket's rows are its part of
 * the listing, with nothing to do. false: one could not be read (the caller rebuilds).
 */
function loadChanged(cat: Catalogue, listing: Listing, b: ListingBuckets): boolean {
  const need = new Uint8Array(BUCKETS);
  for (let i = 0; i < BUCKETS; i++) {
    const saved = cat.inputs.summary(i);
    if (
      saved.digest === NO_DIGEST ||
      saved.digest !== b.digests[i] ||
      saved.normalizer !== NORMALIZER_VERSION
    )
      need[i] = 1;
  }
  // In a bucket left unread, each entry's row has the entry's stat.
  for (let i = 0; i < listing.length; i++)
    if (isRacy({ mtimeMs: listing.mtimeMs(i) }, cat.scannedAt)) need[b.of[i]!] = 1;
  for (const [path, e] of cat.inputs.notable())
    if (e.issues.some(onTheClock)) need[bucketOf(path)] = 1;
  for (let i = 0; i < BUCKETS; i++) if (need[i] === 1 && !cat.inputs.load(i)) return false;
  return true;
}

/** New, changed, maybe changed (racy), or made by older normalization rules. */
function changedSince(cat: Catalogue, listing: Listing, buckets: ListingBuckets): ListedArticle[] {
  const work: ListedArticle[] = [];
  for (let i = 0; i < listing.length; i++) {
    // A bucket left unread holds nothing to do (loadChanged()): its entries are not made.
    if (!cat.inputs.isLoaded(buckets.of[i]!)) continue;
    const l = listing.article(i);
    const e = cat.inputs.get(l.path);
    if (
      !e ||
      !sameStat(e.stat, l.stat) ||
      isRacy(e.stat, cat.scannedAt) ||
      e.normalizer !== NORMALIZER_VERSION ||
      e.issues.some(onTheClock) ||
      keptUnknown(e)
    )
      work.push(l);
  }
  return work;
}

/**
 * A problem that holds until a time, not until the file changes: `DATE_FAR_AHEAD` (a
 * publication more than a year ahead of the run's clock), `DATE_UPDATED_AHEAD` (an update
 * after it), `DATE_SOURCE_UNUSED` (a front-matter date after the clock that dates.sources
 * leaves out: refused until then, or until the configuration changes). Its file is read and
 * normalized again on every run while it has one, so the warning (or the refusal) goes once
 * the clock gets there (a declared update is then taken with the next edit of the text:
 * normalize/date-sources.ts); replayed from the catalogue, they stayed until the file was
 * edited. Rare (a long embargo, or a typo), so reading the file again on every run costs
 * nothing that matters.
 */
const onTheClock = (i: Issue): boolean =>
  i.code === 'DATE_FAR_AHEAD' || i.code === 'DATE_UPDATED_AHEAD' || i.code === 'DATE_SOURCE_UNUSED';

/**
 * A row whose record keeps another date than its file declares (DATE_PUBLISHED_KEPT) without
 * the declared date (InputEntry.declared): saved by a feedkeeper from before that column. Its
 * file is normalized again once, so that the planner knows the date (archive/plan-archive.ts,
 * `declaredKept`) before the file is renamed.
 */
const keptUnknown = (e: InputEntry): boolean =>
  e.declared === undefined &&
  e.record !== null &&
  e.issues.some((i) => i.code === 'DATE_PUBLISHED_KEPT');

/**
 * The declared date a row from before InputEntry.declared holds in its DATE_PUBLISHED_KEPT
 * warning, whose message names it (apply-plan.ts `dateKept`; the versions without the column
 * wrote it so): for a file renamed in the very run after the upgrade, which cannot be read
 * again under its old name (`keptUnknown`).
 */
function keptInWarning(e: InputEntry): string | undefined {
  const kept = e.issues.find((i) => i.code === 'DATE_PUBLISHED_KEPT');
  return kept?.message.match(/^declares the publication date (\S+) \(/)?.[1];
}

/**
 * A file whose row was rebuilt from the records (InputEntry.rebuilt), read again with its
 * record's bytes: unchanged, its row only to be made whole.
 */
const unchangedSinceRebuild = (
  before: InputEntry | undefined,
  x: Arriving,
): before is InputEntry & { readonly record: string } =>
  before?.rebuilt === true &&
  before.record !== null &&
  x.own === before.record &&
  x.input.sha256 === before.sha256;

/** A row's declared date, kept by a row that keeps its record (InputEntry.declared). */
const declaredOf = (e: InputEntry | undefined): { declared?: string } =>
  e?.declared === undefined ? {} : { declared: e.declared };

/** Count an article that needed nothing done: rejected, a duplicate, or unchanged. */
function count(
  s: Summary,
  e: { record: string | null; issues: readonly Issue[] },
  path: string,
): void {
  if (e.issues.some(isError)) s.rejected++;
  else if (isDraft(e.issues)) s.drafts.push(path);
  else if (e.record === null) s.duplicates++;
  else s.unchanged++;
}

const isError = (i: Issue): boolean => i.severity === 'error';

/** The text the similarity of two versions is measured on (archive/plan-archive.ts). */
const textOf = (a: { title: string; body: readonly { text: string }[] }): string =>
  [a.title, ...a.body.map((b) => b.text)].join('\n');

/**
 * No stored article at all while records are live: far more often a share that is not
 * mounted, or paths.articles pointing at the wrong folder, than a newsroom deleting its whole
 * archive. Going on withdrew every record in one run (subscribers saw every item vanish, and
 * come back as restored once the folder was back). Refused before anything is written
 * (ConfigError: exit 2) when two records or more would go; `build --withdraw-all` says it is
 * meant.
 */
function refuseEmptyFolder(ctx: RunContext, cat: Catalogue, gone: readonly string[]): void {
  // Stored articles that fed a record at the last run (the records themselves are not read
  // yet: this is decided on the inputs table alone).
  const live = gone.filter((p) => (cat.inputs.get(p)?.record ?? null) !== null).length;
  // The last article of a site deleted is plausible; every one of several at once is not.
  if (live < 2) return;
  const folder = relative(ctx.config.root, ctx.config.paths.articles) || '.';
  throw new ConfigError([
    `build: the articles folder ${folder} (paths.articles) holds no stored article, while ${live} record${live === 1 ? ' is' : 's are'} published from it: nothing was changed.`,
    `hint: if the folder is a share or a disk, mount it; if paths.articles is wrong, fix it in the configuration; to withdraw every article on purpose, run feedkeeper build --withdraw-all once.`,
  ]);
}
