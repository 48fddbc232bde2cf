import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  openRecordRows,
  readRest,
} from '../archive/catalogue-file.js';
import { RecordRows } from '../archive/key-index.js';
import { sortKeyOf } from '../archive/record-chunks.js';
import { rowsAround, type GateRows } from '../validate/rows-around.js';
import {
  changesSincePublished,
  onChunks,
  partsPlan,
  samePlans,
  VisibleOnDemand,
} from './parts-plan.js';
import type { RecordRowChanges } from './archive-articles.js';
import { rebuildCatalogue } from '../archive/rebuild-catalogue.js';
import type { Catalogue, RecordEntry, StoredChunk } from '../archive/catalogue.js';
import type { RecordChunks } from '../archive/record-view.js';
import { lastChange } from '../archive/last-change.js';
import { shapesSeen } from './shapes-seen.js';
import { siteSince } from './site-since.js';
import { issue, type Issue } from '../model/issue.js';
import { archiveOutputs, type RenderedFile } from '../model/outputs.js';
import {
  folderStamps,
  keepPages,
  loadPageState,
  pagesStale,
  publishedFolders,
  savePageState,
  takeKeptPages,
  type PageState,
  type RecordChunkSource,
} from './page-state.js';
import { PageStage, removeOutputs } from '../publish/publish-pages.js';
import { Checker, FEED_BUG_HINT } from '../validate/checker.js';
import type { ArchiveRecord } from '../model/record.js';
import { chooseEntries } from './choose-entries.js';
import { clockBehindIn, datedRows, feedDate, scheduledIn } from './feed-head.js';
import { RecordChunkError, savedRecordChunks } from '../archive/record-view-file.js';
import { loadLeftOutKeys, saveLeftOut } from './left-out.js';
import { renderDecision, upToDate, type RenderDecision } from './render-reason.js';
import {
  placeStaged,
  stageFiles,
  type ProvenDigest,
  type StagedFiles,
} from '../publish/publish-files.js';
import {
  copyMovesOf,
  discardCopies,
  placeCopies,
  removeStaleCopies,
  stageCopies,
  type StagedCopies,
} from '../publish/stage-copies.js';
import { GONE_MARKER, setGoneMarkers } from '../publish/gone-markers.js';
import { goneMarkerProblems, markersNow, restoreMarkers } from '../publish/prove-gone.js';
import { needsCopies, recordHashes } from '../publish/precompress.js';
import { AHEAD_MAX, EncodeAhead } from '../publish/encode-ahead.js';
import { copiesWrong } from '../publish/prove-copies.js';
import { loadHistoryState } from '../history/history-state.js';
import type { RunContext } from './context.js';
import type { PagePlanning } from './render-pages.js';
import {
  clearPublishIntent,
  clearPublishPending,
  savePublishIntent,
  keepClock,
  publishStateFile,
  savePublishState,
  wrongStateHashes,
  stateOfIntent,
  statFiles,
  type PublishIntent,
} from './publish-state.js';
import type { FeedSummary } from './report.js';
import { scheduledOf, visibleRows } from './embargo.js';
import { embargoedAt, embargoedIn, embargoLeak } from '../validate/embargo-leak.js';
import { clockBehind, clockBehindIssue } from './clock-behind.js';
import { appendAll } from '../model/append-all.js';
import { ttlOf } from '../model/ttl.js';
import { notRemovedIssue, notRenderedIssue, pageFileOf, staleAround } from './changed-outputs.js';
import { PART_SIZE } from '../model/feed-history.js';
import { recordFolderStamps, recordFoldersFile, saveRecordFolders } from './record-folders.js';
import { folderChanges } from './folder-changes.js';
import { snapshotHeapIfAsked } from './heap-snapshot.js';

export interface RenderResult {
  readonly summary: FeedSummary;
  readonly issues: Issue[];
  readonly written: string[];
}

/**
 * Records → every output of the table (model/outputs.ts), proven → out/. Reads only the records
 * the feeds list (the newest N; the gate reads them once more, on its own path); publishes only
 * if every check passes; writes only files whose bytes changed.
 */
export async function renderFeeds(
  ctx: RunContext,
  /** null: the archive stage did not read it (nothing changed): read here if needed. */
  catalogue: Catalogue | null,
  recordsLoaded: boolean,
  opts: {
    dryRun: boolean;
    full: boolean;
    recordsChanged: boolean;
    changes?: string | null;
    fresh?: ReadonlyMap<string, ArchiveRecord>;
    /** The page state the archive stage read for its mints (pages-held.ts); else read here. */
    pagesBefore?: PageState | null;
    /**
     * The records the archive step added, revised, withdrew or restored this run: the outputs
     * they need must be among those rendered (validate/outputs-due.ts).
     */
    changed?: readonly string[];
    /**
     * What the archive step says some of them were before this run: `live` (revised, withdrawn
     * now), `withdrawn` (restored now); the others may be new (validate/outputs-around.ts).
     */
    was?: ReadonlyMap<string, 'live' | 'withdrawn'>;
    /** Month folders of the records edited by hand since the last publication (record-folders.ts). */
    editedFolders?: readonly string[];
    /** Those with a record file changed in them (render-reason.ts says so). */
    handEdited?: readonly string[];
    /** The record files of those folders that did not change (record-folders.ts). */
    keptRecords?: ReadonlySet<string>;
    /** What the archive stage's save changed in the records table (archive-articles.ts). */
    rowChanges?: RecordRowChanges;
  },
  /** Whether to render, and why (render-reason.ts): asked first by a run, without this module. */
  decision: RenderDecision = renderDecision(ctx, opts),
): Promise<RenderResult> {
  const { config, paths, root } = ctx.config;
  const { fingerprint, state, now, reason } = decision;
  if (reason === null) return upToDate(state, now, relative(root, paths.out));

  const files = catalogueFiles(paths.state, paths.records);
  let cat = catalogue ?? loadCatalogue(files);
  // The plan from the changes (parts-plan.ts) reads the rows it needs on demand; the whole plans
  // read every row first (docs/development.md "Steps 3 to 5 after step 2"). Which one is known
  // below: until then the rows are read on demand (openRecordRows), and the rest is read before
  // the whole plans are made. FEEDKEEPER_PARTS_PLAN=whole keeps the whole plans from the start
  // (the tests' oracle); =both makes both and fails on any difference.
  const planMode = process.env['FEEDKEEPER_PARTS_PLAN'];
  if (
    cat === null ||
    (planMode === 'whole'
      ? recordsLoaded
        ? !readRest(cat)
        : !loadRecordIndex(files, cat)
      : !recordsLoaded && !openRecordRows(files, cat))
  )
    cat = rebuildCatalogue(paths.records, root);
  // The feeds' head and dates are read from the newest chunks of the records table as saved
  // (pipeline/feed-head.ts), not from every row; a catalogue rebuilt in memory, or with rows
  // not saved (a dry run's), has no such files: every row, as before. A chunk not as the root
  // names it throws RecordChunkError, before anything is written: the run rebuilds (run.ts).
  const view = savedRecordChunks(files, cat);
  const behind =
    view === null ? clockBehind(cat.records, state, now) : clockBehindIn(view, state, now);
  const clockIssue =
    behind === null ? null : clockBehindIssue(behind, now, relative(root, paths.out), opts.full);
  if (clockIssue !== null && !opts.full)
    return {
      summary: {
        rendered: false,
        reason: `${reason}; not published: the clock is behind the last publication`,
        entries: state?.entries.length ?? 0,
        written: [],
        unchanged: [],
        published: false,
        released: [],
        scheduled: state?.scheduled ?? [],
      },
      issues: [clockIssue],
      written: [],
    };
  // Records that cannot be rendered are left out and reported; the others are published.
  const chosen = chooseEntries(
    cat,
    config.feed.size,
    paths.records,
    root,
    opts.fresh,
    now,
    'throw',
    view,
  );
  const { listed: selected, records } = chosen;
  /** Why records were left out: found among the newest, then among the others read below. */
  const reported = [...chosen.issues, ...(clockIssue === null ? [] : [clockIssue])];
  const issues: Issue[] = [];
  const scheduled = view === null ? scheduledOf(cat.records, now) : scheduledIn(view, now);
  const failed = (why: string): RenderResult => ({
    summary: {
      rendered: true,
      reason: `${reason}; ${why}`,
      entries: selected.length,
      written: [],
      unchanged: [],
      published: false,
      released: [],
      scheduled,
    },
    issues: [...reported, ...issues],
    written: [],
  });

  const [
    { buildFeedDocument },
    { renderOutputs },
    { proveOutputs },
    history,
    chain,
    { renderPages, planPages },
    { expectPages },
    { PageProof },
    { outputsDue },
    { outputsAround },
    { proveArchiveDoc },
    { expectedChain },
    { expectedChainOfChunks, leftOutKeys },
  ] = await Promise.all([
    import('../render/feed-document.js'),
    import('../render/render-outputs.js'),
    import('./prove-outputs.js'),
    import('../history/render-archive.js'),
    import('../history/archive-chain.js'),
    import('./render-pages.js'),
    import('./prove-pages.js'),
    import('../validate/page-proof.js'),
    import('../validate/outputs-due.js'),
    import('../validate/outputs-around.js'),
    import('../history/prove-archive.js'),
    import('../validate/expected-history.js'),
    import('../validate/expected-history-chunks.js'),
  ]);
  // RFC 5005: the archive documents that changed, rendered and proven first (docs/reference.md,
  // "The archive chain"); the subscription documents then link the newest one.
  // Records under embargo are in no document of the chain either, until their time, and get
  // no page; nor do those left out as unrenderable (reported above), nor those withdrawn
  // before their embargo ended: never published, they get no "withdrawn" page either (it
  // showed the headline of an article deleted before its embargo).
  // A listed record edited by hand keeps its dates, so its document's key does not move.
  // So are the records of a month folder edited by hand (record-folders.ts): outside the
  // feeds' window, a correction reached its pages only with --full, and a record broken there
  // stayed in the published outputs.
  // Only those whose file changed in the folder (or is gone from it), not every record of it.
  const edited = new Set(opts.editedFolders ?? []);
  const asThey = opts.keptRecords ?? new Set<string>();
  const byHand =
    edited.size === 0
      ? []
      : [...cat.records.keys()].filter((p) => edited.has(p.slice(0, 7)) && !asThey.has(p));
  const touched =
    reason.startsWith('the listed record ') || byHand.length > 0
      ? new Set([...(reason.startsWith('the listed record ') ? selected : []), ...byHand])
      : undefined;
  // Read once, for the renderer and the gate (pipeline/page-state.ts).
  const kept = takeKeptPages(ctx.memory, paths.state);
  const pagesBefore =
    kept ?? (opts.pagesBefore !== undefined ? opts.pagesBefore : loadPageState(paths.state));
  // The folders of out/ the last publication wrote into, as they are now: one that moved had a
  // file deleted, added or renamed (page-state.ts movedFolder). What changed in them is found
  // at their cost (folder-changes.ts): the pages missing or not as published are rendered
  // again, not every page.
  const foldersNow = folderStamps(paths.out, Object.keys(pagesBefore?.folders ?? {}));
  const everyPage = pagesStale(pagesBefore, fingerprint, opts.full);
  const inFolders =
    everyPage || pagesBefore === null
      ? null
      : folderChanges(
          paths.out,
          paths.state,
          pagesBefore,
          foldersNow,
          (path) => cat.records.get(path)?.withdrawn === true,
        );
  // One rule for every output (unpublishable.ts): the records the archive documents and the
  // pages of this run will read are judged first, like the newest, and those that cannot be
  // published are left out of all of them. Leaving one out changes its document's and its
  // part's keys (and, if it was its month's last, its neighbours' links): judged again until
  // no document or page due reads a record not judged yet. A record left out last time is in
  // the first round's documents (its key moved), so a repaired one comes back.
  const judge = chosen.judge;
  const judgedBefore = judge.issues.length;
  const judged = new Set(selected);
  // The plan from the changes, when every input it needs is known (parts-plan.ts); else null.
  const changes =
    planMode === 'whole'
      ? null
      : changesSincePublished(cat.saved?.recordsStamp, view, state, opts.rowChanges);
  const leftOutBefore = changes === null ? null : loadLeftOutKeys(paths.state);
  const historyBefore = loadHistoryState(paths.state);
  const fromChanges =
    changes !== null &&
    leftOutBefore !== null &&
    view !== null &&
    historyBefore !== null &&
    pagesBefore !== null &&
    !everyPage &&
    !opts.full &&
    touched === undefined &&
    byHand.length === 0 &&
    inFolders !== null &&
    inFolders.folders.size === 0;
  const planOf = (): ReturnType<typeof partsPlan> =>
    partsPlan({
      view: view!,
      records: cat.records,
      slugHolders: (slug: string) =>
        cat.records instanceof RecordRows ? cat.records.index.holders('slug', slug) : [],
      changes: changes!,
      now,
      leftOutBefore: leftOutBefore!,
      leftOutAfter: leftOutKeys(judge.leftOut, cat.records),
      scheduled: state?.scheduled ?? [],
      fingerprint,
      feedSize: config.feed.size,
      history: historyBefore!,
      pagesBefore: pagesBefore!,
      out: paths.out,
    });
  let fast = fromChanges ? onChunks(planOf) : null;
  // Every row, for the whole plans (those the archive stage did not read yet).
  if (fast === null && !readRest(cat)) throw new RecordChunkError('(records read on demand)');
  let visible =
    fast === null
      ? visibleOf(cat, judge.leftOut, now)
      : { ...cat, records: new VisibleOnDemand(cat.records, judge.leftOut, now) };
  // The last round's plans are those of the final `visible`: handed on, not made again (each
  // is a pass over every row, and the page plan hashes every month part: 0.1 s at 10,000).
  let docs: ReturnType<typeof history.docsDue>;
  let pagePlan: PagePlanning;
  for (;;) {
    const reads = new Set<string>();
    if (fast !== null) ({ docs, pages: pagePlan } = fast);
    else {
      docs = history.docsDue(ctx, visible, {
        fingerprint,
        full: opts.full,
        ...(touched ? { touched } : {}),
      });
      pagePlan = planPages(visible, {
        before: pagesBefore,
        everything: everyPage,
        ...(touched ? { touched } : {}),
        missing: (file) => !existsSync(join(paths.out, file)),
        ...(inFolders ? { redo: inFolders.redo } : {}),
      });
    }
    for (const { d } of docs.due) for (const path of d.live) reads.add(path);
    for (const path of pagePlan.wanted) reads.add(path);
    let found = false;
    for (const path of reads) {
      if (judged.has(path)) continue;
      judged.add(path);
      if (judge.judge(path) === null) found = true;
    }
    if (!found) break;
    if (fast !== null) fast = onChunks(planOf);
    if (fast === null) {
      if (!readRest(cat)) throw new RecordChunkError('(records read on demand)');
      visible = visibleOf(cat, judge.leftOut, now);
    }
  }
  if (fast !== null && planMode === 'both') {
    readRest(cat);
    const whole = visibleOf(cat, judge.leftOut, now);
    samePlans(
      fast,
      history.docsDue(ctx, whole, { fingerprint, full: opts.full }),
      planPages(whole, {
        before: pagesBefore,
        everything: everyPage,
        missing: (file) => !existsSync(join(paths.out, file)),
        ...(inFolders ? { redo: inFolders.redo } : {}),
      }),
    );
  }
  const leftOut = judge.leftOut;
  // The gate's chain oracle reads the saved chunks of the parts it proves, not every row
  // (validate/expected-history-chunks.ts, step 5); a catalogue without them: every row.
  const gateChunks =
    view === null ? undefined : { view, now, leftOut: leftOutKeys(leftOut, cat.records) };
  appendAll(reported, judge.issues.slice(judgedBefore));
  // Taken here, before the archive documents are under way: a chunk read here may throw (above).
  const changedAt =
    view === null ? lastChange(datedRows(cat.records, leftOut), now) : feedDate(view, leftOut, now);
  // No output may show a record still under embargo (validate/embargo-leak.ts): found by
  // comparing dates, not by the visibility the renderer and the oracles share.
  const embargoed = view === null ? embargoedAt(cat.records, now) : embargoedIn(view, now);
  // What this publication releases: the records the last one held under embargo that readers
  // see now (visible: out of embargo, not withdrawn before it ended, not left out).
  const released = (state?.scheduled ?? [])
    .map((s) => s.record)
    .filter((record) => visible.records.has(record));
  const archive = history.startArchive(ctx, visible, docs, {
    fingerprint,
    full: opts.full,
    dryRun: opts.dryRun,
    ttl: ttlOf(config.schedule.cron),
    ...(opts.fresh ? { fresh: opts.fresh } : {}),
    ...(touched ? { touched } : {}),
    ...(gateChunks ? { chunks: gateChunks } : {}),
  });
  // The archive documents are under way (on worker threads in a big run): the subscription
  // documents and the pages are rendered and proven meanwhile, and kept (staged, not
  // published) only if every archive document passes. Whatever happens here, the archive's
  // work is awaited (its workers stopped) before this function returns or throws.
  try {
    const doc = {
      ...buildFeedDocument(records, ctx.config, {
        version: ctx.version,
        ttl: ttlOf(config.schedule.cron),
        changedAt: changedAt ?? siteSince(ctx.config),
      }),
      history: chain.subscriptionHistory(archive.chain, config.site.baseUrl),
    };
    const out = (name: string): string => relative(root, join(paths.out, name));
    const rendered = renderOutputs(doc, out);
    appendAll(issues, rendered.issues);
    // The copies of the files this run publishes, begun as each is rendered, on libuv's thread
    // pool while this thread proves them (encode-ahead.ts); taken only for a file staged with
    // the same bytes, and proven like every copy.
    const feedStaging = join(paths.state, 'staging');
    const ahead = opts.dryRun ? undefined : new EncodeAhead();
    for (const f of rendered.files)
      ahead?.begin(join(feedStaging, f.row.file), Buffer.from(f.text, 'utf8'));
    const leak = (file: string, text: string, record?: string): void => {
      const found = embargoed.length === 0 ? null : embargoLeak(out(file), text, embargoed, record);
      if (found !== null) issues.push(found);
    };
    // The pages this run must write (README "Pages"): each proven as it is rendered (pages are
    // proven on the records read again, like the feeds) and staged, never all held at once.
    const pageFiles = new Map<string, string>();
    /** Every page this run rendered, and the record it was rendered from. */
    const renderedPages = new Map<string, string | undefined>();
    /**
     * The hashes of pages rendered again for a moved folder (folder-changes.ts) whose bytes were
     * still those in place (a page replaced by an identical one): their etags.json rows are set
     * to the file as it now is, or the next moved folder would find them again.
     */
    const rehashed = new Map<string, { sha256: string }>();
    const pageRows: { file: string; status?: number }[] = [];
    const stage = opts.dryRun ? null : new PageStage(paths.out, join(paths.state, 'staging-pages'));
    const oracle = expectPages(
      ctx.config,
      visible,
      selected,
      pageFiles,
      opts.dryRun ? opts.fresh : undefined,
      gateChunks,
    );
    const seenShapes = shapesSeen();
    const proof = new PageProof(
      process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] === '1',
      // `--full` trusts nothing derived: every shape is judged again.
      opts.full ? [] : (pagesBefore?.shapes ?? []),
      opts.full || seenShapes === undefined ? undefined : (key) => seenShapes.has(key),
    );
    const pages = renderPages(
      ctx.config,
      visible,
      records,
      pagePlan,
      { fingerprint, ...(opts.fresh ? { fresh: opts.fresh } : {}) },
      (page: RenderedFile, record?: string) => {
        renderedPages.set(page.row.file, record);
        if (issues.length > 0) return;
        if (record !== undefined) pageFiles.set(page.row.file, record);
        const c = new Checker(out(page.row.file));
        const expected = oracle.expected.get(page.row.file);
        proof.verify(c, page.text, page.row.file, expected, config.site);
        // The row's status sets the page's 410 marker: a notice page must say 410, and only it.
        const notice = expected?.kind === 'withdrawn';
        c.check(
          (page.row.status === 410) === notice,
          'PAGE_STATUS',
          '(status)',
          notice
            ? `is the notice page of a withdrawn article, but its row says it is answered ${page.row.status ?? 200}, not 410 Gone.`
            : `is a live page, but its row says it is answered ${page.row.status ?? 200}, not 200.`,
          FEED_BUG_HINT,
        );
        appendAll(issues, c.issues);
        appendAll(issues, oracle.issues.splice(0));
        const before = issues.length;
        leak(page.row.file, page.text, record);
        if (issues.length > before) return;
        pageRows.push({ file: page.row.file, status: page.row.status });
        if (c.issues.length === 0) {
          const staged = stage?.stage(page.row.file, page.text);
          if (staged) ahead?.begin(staged.path, staged.bytes);
        }
        if (
          inFolders?.redo.has(page.row.file) === true &&
          stage?.files.includes(page.row.file) === false
        )
          rehashed.set(page.row.file, {
            sha256: createHash('sha256').update(page.text).digest('hex'),
          });
      },
    );
    appendAll(issues, pages.errors);
    // What the run reported before the documents overlapped: the archive's refusal alone.
    const archived = await archive.done;
    if (archived.issues.length > 0) {
      stage?.discard();
      issues.length = 0;
      appendAll(issues, archived.issues);
      return failed('an archive document failed validation, so nothing was published');
    }
    if (ahead && ahead.size + archived.staged.length <= AHEAD_MAX)
      for (const file of archived.staged) {
        const staged = join(history.stagingOf(paths.state), file);
        ahead.begin(staged, readFileSync(staged));
      }
    // What the records changed this run need, on the gate's own path: a planner that skipped
    // one left it unproven and stale (validate/outputs-due.ts).
    // And the records under embargo at the last publication: those due by now are released by
    // this run (the others are left aside there, still under embargo). And those of the month
    // folders written since the last publication (record-folders.ts): a run refused after its
    // archive step left its records changed on disk, and changed for no later run otherwise,
    // so the next run's planner faults went unseen.
    const changedNow = [
      ...(opts.changed ?? []),
      ...(state?.scheduled ?? []).map((s) => s.record),
      ...byHand,
    ];
    // Planned from the changes, the run has not read every row: the gate's checks of the changes
    // read the months they cut from the chunks (validate/rows-around.ts).
    const gateRows: { rows: ReadonlyMap<string, RecordEntry> } & Partial<GateRows> =
      fast === null || gateChunks === undefined
        ? { rows: cat.records }
        : onChunks(() =>
            rowsAround(
              gateChunks.view,
              cat.records,
              changedNow,
              opts.was ?? new Map(),
              expectedChainOfChunks(
                gateChunks.view,
                now,
                gateChunks.leftOut,
                0,
                config.site.baseUrl,
                PART_SIZE,
              ),
              now,
              gateChunks.leftOut,
            ),
          );
    const due = outputsDue({
      changed: changedNow,
      ...gateRows,
      now,
      leftOut,
      pageOf: (path) =>
        pageFileOf(ctx.config, path, pages.warnings, opts.dryRun ? opts.fresh : undefined),
      pages: renderedPages,
      docs: new Set(archived.rendered),
      docsRemoved: new Set(docs.gone),
      published: (file) => existsSync(join(paths.out, file)),
    });
    if (issues.length === 0)
      for (const m of due.missing)
        issues.push(
          m.must === 'remove'
            ? notRemovedIssue(out(m.file), m, ctx.config)
            : notRenderedIssue(out(m.file), m, ctx.config),
        );
    // And the outputs beside them (a neighbour month's page, the documents on either side of a
    // part that joined or left the chain, the parts after a back-dated article): those this run
    // did not render are proven as published (validate/outputs-around.ts).
    if (issues.length === 0) {
      // The gate's chain oracle from the saved chunks when there are some (step 5): it reads
      // the chunks of the parts it proves, not every row. A chunk not as the root names it
      // throws RecordChunkError here, with only the staging folders written: the run rebuilds.
      let chainNow: ReturnType<typeof expectedChain> | undefined;
      appendAll(
        issues,
        staleAround(
          ctx.config,
          outputsAround({
            changed: changedNow,
            was: opts.was ?? new Map(),
            ...gateRows,
            now,
            leftOut,
          }),
          { pages: renderedPages, docs: new Set(archived.rendered) },
          {
            page: (file, text) => {
              const c = new Checker(out(file));
              proof.verify(c, text, file, oracle.expected.get(file), config.site);
              return [...c.issues, ...oracle.issues.splice(0)];
            },
            documents: (part, files) =>
              proveArchiveDoc(
                ctx.config,
                (chainNow ??=
                  gateChunks === undefined
                    ? expectedChain(
                        visible.records,
                        config.feed.size,
                        config.site.baseUrl,
                        PART_SIZE,
                      )
                    : expectedChainOfChunks(
                        gateChunks.view,
                        now,
                        gateChunks.leftOut,
                        config.feed.size,
                        config.site.baseUrl,
                        PART_SIZE,
                      )),
                part,
                null,
                files,
                opts.dryRun ? opts.fresh : undefined,
              ),
          },
        ),
      );
    }
    if (embargoed.length > 0 && issues.length === 0)
      for (const file of archived.staged)
        leak(file, readFileSync(join(history.stagingOf(paths.state), file), 'utf8'));
    if (issues.length > 0) stage?.discard();
    if (issues.length === 0)
      appendAll(
        issues,
        proveOutputs(
          ctx.config,
          cat,
          selected,
          rendered.files,
          opts.dryRun ? opts.fresh : undefined,
          now,
          leftOut,
          view,
        ).issues,
      );
    for (const f of rendered.files) leak(f.row.file, f.text);
    if (issues.length > 0) {
      stage?.discard();
      return failed('validation failed, so nothing was published and the previous feeds stay');
    }
    if (opts.dryRun) {
      return {
        summary: {
          rendered: true,
          reason: `${reason} (dry run: not published)`,
          entries: records.length,
          written: [],
          unchanged: [],
          pagesRendered: renderedPages.size,
          published: false,
          released,
          scheduled,
        },
        issues: [...reported, ...pages.warnings],
        written: [],
      };
    }

    snapshotHeapIfAsked();
    const files = new Map(rendered.files.map((f) => [f.row.file, f.text]));
    // What a static server needs beyond the bytes (serve/, deploy/): which pages answer 410
    // (before the files, see gone-markers.ts), their gzip and brotli copies and their hashes
    // (after).
    const statusRows = [
      ...rendered.files.map((f) => ({ file: f.row.file, status: f.row.status })),
      ...pageRows,
    ];
    const markedBefore = markersNow(paths.out, statusRows);
    setGoneMarkers(paths.out, statusRows);
    // Proven as set, before anything else is published: on a refusal they are put back.
    const wrongMarkers = goneMarkerProblems(paths.out, [
      ...statusRows,
      // The changed records' pages, whatever their rows say (validate/outputs-due.ts).
      ...due.markers.map((m) => ({ file: m.file, status: m.gone ? 410 : 200 })),
    ]);
    if (wrongMarkers.length > 0) {
      restoreMarkers(paths.out, markedBefore);
      stage?.discard();
      for (const w of wrongMarkers) issues.push(goneMarkerIssue(out(w.file), w.gone));
      return failed('a 410 marker is not as its page says, so nothing was published');
    }
    const intent: PublishIntent = {
      fingerprint,
      entries: selected,
      files: {},
      records: statFiles(paths.records, selected),
      startedAt: ctx.now().toISOString(),
      scheduled,
      clock: now,
      // The records' root this publication was made from, when as saved (parts-plan.ts).
      ...(view === null || cat.saved?.recordsStamp === undefined
        ? {}
        : { recordsRoot: cat.saved.recordsStamp }),
    };
    // Every file this run publishes is staged and proven, and so are its gzip and Brotli copies
    // (made from the staged bytes: stage-copies.ts), before the first rename: a copy that is not
    // its file, or a failure to stage one, refuses the run with out/ as it was.
    const discardAll = (): void => {
      restoreMarkers(paths.out, markedBefore);
      stage?.discard();
      rmSync(history.stagingOf(paths.state), { recursive: true, force: true });
      rmSync(feedStaging, { recursive: true, force: true });
    };
    let result: StagedFiles;
    let copies: StagedCopies;
    /** Files in place whose copies are missing or older than them (a hand edit, a deleted copy). */
    let repaired: string[];
    try {
      result = stageFiles(paths.out, feedStaging, files);
      // And the archive documents not rendered again, in a folder that moved (a copy deleted
      // there: no page or document of it changes, so nothing else would make it; or every
      // folder, with no page state to say which moved); with
      // --full, every document, and every copy decoded and compared with its file (a copy cut
      // or edited in place keeps the folder's stamp and stays newer than its file).
      const moved =
        inFolders?.folders ??
        new Set(Object.keys(foldersNow).filter((f) => pagesBefore?.folders[f] !== foldersNow[f]));
      const docsKept = Object.keys(loadHistoryState(paths.state)?.docs ?? {})
        .flatMap((name) => archiveOutputs(name).map((row) => row.file))
        .filter((file) => opts.full || pagesBefore === null || moved.has(dirname(file)))
        .filter((file) => !archived.staged.includes(file));
      // And the pages of a moved folder kept as published (not rendered again this run: a
      // page rendered again gets its copies with it).
      const pagesKept = (inFolders?.kept ?? []).filter((file) => !renderedPages.has(file));
      repaired = [
        ...result.unchanged,
        ...(stage?.unchanged ?? []),
        ...docsKept,
        ...pagesKept,
      ].filter(
        (name) =>
          needsCopies(paths.out, name) || (opts.full && copiesWrong(paths.out, name) !== null),
      );
      copies = await stageCopies(
        paths.out,
        [
          { root: history.stagingOf(paths.state), staged: true, names: archived.staged },
          { root: stage?.folder ?? paths.out, staged: true, names: stage?.files ?? [] },
          { root: feedStaging, staged: true, names: result.written },
          { root: paths.out, staged: false, names: repaired },
        ],
        ahead,
      );
    } catch (error) {
      discardAll();
      throw error;
    }
    if (copies.mismatched.length > 0) {
      discardAll();
      for (const { name, why } of copies.mismatched) issues.push(copyMismatchIssue(out(name), why));
      return failed(
        'a compressed copy is not its file, so nothing was published and out/ is as it was',
      );
    }
    const intentCopies: Record<string, ProvenDigest | null> = {};
    for (const name of result.written) {
      for (const m of copyMovesOf(copies, [name]))
        intentCopies[relative(paths.out, m.to)] = m.digest;
      for (const c of copies.stale.get(name) ?? []) intentCopies[c] = null;
    }
    // The copies of files already in place are temp files in out/: removed if the publication
    // fails before they are placed (the others are in the staging folders).
    let archiveWritten: string[];
    let pagesWritten: string[];
    let pagesRemoved: string[];
    try {
      archiveWritten = history.publishArchive(ctx, archived, copyMovesOf(copies, archived.staged));
      removeStaleCopies(paths.out, copies, archived.staged);
      // Pages before the feeds that link to them; then the pages no record has any more.
      pagesWritten = stage?.publish(copyMovesOf(copies, stage.files)) ?? [];
      removeStaleCopies(paths.out, copies, pagesWritten);
      pagesRemoved = removeOutputs(paths.out, pages.orphans);
      placeStaged(
        paths.out,
        result,
        feedStaging,
        copyMovesOf(copies, result.written),
        // Before the first rename: a kill between two renames is completed by the next run.
        () =>
          savePublishIntent(paths.state, { ...intent, files: result.files, copies: intentCopies }),
      );
      removeStaleCopies(paths.out, copies, result.written);
      placeCopies(copyMovesOf(copies, repaired));
      removeStaleCopies(paths.out, copies, repaired);
      // Last, once no feed links them: the archive documents that left the chain.
      appendAll(pagesRemoved, removeOutputs(paths.out, history.docFiles(docs.gone)));
    } catch (error) {
      discardCopies(copies, repaired);
      throw error;
    }
    const copiesWritten = [...copies.moves.values()].flatMap((ms) =>
      ms.map((m) => relative(paths.out, m.to)),
    );
    const written = [
      ...archiveWritten,
      ...[...result.written, ...pagesWritten, ...copiesWritten, ...pagesRemoved].map(out),
    ];
    // Pages not written this run keep their recorded hashes.
    const pageFilesKept = (): string[] => [
      'index.html',
      ...[...pages.next.records.all().values()].map(([, file]) => file),
      ...[...pages.next.parts.keys()].map((name) => `archive/${name}/index.html`),
    ];
    for (const f of recordHashes(
      paths.out,
      paths.state,
      new Map<string, string | { sha256: string }>([
        ...files,
        ...rehashed,
        ...(stage?.digests ?? []),
      ]),
      pageFilesKept,
    ))
      written.push(relative(root, f));
    const next = keepClock(state, stateOfIntent({ ...intent, files: result.files }, paths.out));
    if (savePublishState(paths.state, next))
      written.push(relative(root, join(paths.state, 'published.json')));
    // `check` and `serve` trust the state's sha256 of each file: read back and compared with
    // the files just published, so that a wrong one is said now (and the state dropped: the
    // next run publishes again), not taken later for a file changed in out/.
    const stateIssues = wrongStateHashes(paths.state, paths.out).map((name) =>
      stateHashIssue(out(name)),
    );
    if (stateIssues.length > 0) rmSync(publishStateFile(paths.state), { force: true });
    seenShapes?.mark(proof.judged);
    // Last: the folders' stamps must be those the publication left (README "Pages").
    for (const f of savePageState(
      paths.state,
      {
        ...pages.next,
        folders: folderStamps(
          paths.out,
          publishedFolders(pages.next, Object.keys(loadHistoryState(paths.state)?.docs ?? {})),
        ),
        shapes: proof.keys(),
      },
      pagesBefore,
      (now) => keepPages(ctx.memory, paths.state, now),
      chunkSource(view, cat.saved?.recordChunks, now),
    ))
      written.push(relative(root, f));
    // The records' month folders as this publication leaves them (record-folders.ts).
    if (saveRecordFolders(paths.state, recordFolderStamps(paths.records)))
      written.push(relative(root, recordFoldersFile(paths.state)));
    clearPublishIntent(paths.state);
    clearPublishPending(paths.state);
    saveLeftOut(paths.state, leftOut, (path) => {
      const r = cat.records.get(path);
      return r === undefined ? undefined : sortKeyOf(path, r);
    });
    return {
      summary: {
        rendered: true,
        reason,
        entries: records.length,
        written: [...result.written, ...archived.staged, ...pagesWritten],
        unchanged: result.unchanged,
        pagesRendered: renderedPages.size,
        published: true,
        released,
        scheduled,
      },
      issues: [...reported, ...pages.warnings, ...stateIssues],
      written,
    };
  } finally {
    await archive.done.catch(() => undefined);
  }
}

/** A page whose `.gone` marker is not what its row says, after they were set. */
const goneMarkerIssue = (file: string, gone: boolean): Issue =>
  issue(
    'GONE_MARKER',
    'error',
    file,
    gone
      ? `is a withdrawn article's notice page, but no ${GONE_MARKER} marker was left beside it, so it would be answered 200 instead of 410 Gone.`
      : `is a live page, but a ${GONE_MARKER} marker is beside it, so it would be answered 410 Gone.`,
    `This is a bug in feedkeeper (src/publish/gone-markers.ts): report it with this message. The markers were put back as they were and nothing was published.`,
    '(marker)',
  );

/**
 * A file not published because one of its gzip and Brotli copies, made from its staged bytes,
 * did not decode to them. Nothing of the run was published: out/ is as it was, old files and
 * old copies; the run fails, because that is a fault of the compression, not of the articles.
 */
const copyMismatchIssue = (file: string, why: string): Issue =>
  issue(
    'COPY_MISMATCH',
    'error',
    file,
    `was not published, nor anything of this run: ${why}. out/ is as it was, every file with the copies it had.`,
    'This is a bug in feedkeeper (src/publish/make-copies.ts): report it with this message. The next build tries the whole publication again.',
    '(copy)',
  );

/** A file whose sha256 in the publish state just saved is not that of its bytes in out/. */
const stateHashIssue = (file: string): Issue =>
  issue(
    'PUBLISH_STATE_MISMATCH',
    'error',
    file,
    'was published, but the publish state saved with it (.feedkeeper/published.json) does not record its bytes (size or sha256), so check would report it as changed and serve would send a wrong ETag. The state was removed: the next build publishes again.',
    'This is a bug in feedkeeper (src/pipeline/publish-state.ts): report it with this message.',
    '(state)',
  );

/** The records the chain and the pages are made from: published, and not left out. */
/**
 * The records' chunks as saved, for the page state's chunk sums (pipeline/chunk-sums.ts): only
 * the chunks whose stamp moved are read. None for a catalogue not as saved (a dry run's, one
 * rebuilt in memory); a chunk not as the root names it has no sums (read at the next ask).
 */
function chunkSource(
  view: RecordChunks | null,
  chunks: readonly StoredChunk[] | null | undefined,
  now: string,
): RecordChunkSource | undefined {
  if (view === null || chunks === null || chunks === undefined) return undefined;
  return {
    chunks,
    rows: (chunk) => {
      try {
        return view.rows(chunk);
      } catch {
        return null;
      }
    },
    now,
  };
}

function visibleOf(cat: Catalogue, leftOut: ReadonlyMap<string, Issue>, now: string): Catalogue {
  const records = visibleRows(cat.records, now, leftOut);
  return records === cat.records ? cat : { ...cat, records: new Map(records) };
}

export { ttlOf };
