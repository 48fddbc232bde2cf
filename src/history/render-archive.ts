import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import { syncDir } from '../io/atomic-write.js';
import { resultsInOrder, workerCount } from '../io/worker-pool.js';
import { PART_SIZE } from '../model/feed-history.js';
import { archiveOutputs } from '../model/outputs.js';
import { issue, type Issue } from '../model/issue.js';
import { FEED_BUG_HINT } from '../validate/checker.js';
import type { ArchiveRecord } from '../model/record.js';
import type { RunContext } from '../pipeline/context.js';
import { expectedChain } from '../validate/expected-history.js';
import { expectedChainOfChunks, type ChainChunks } from '../validate/expected-history-chunks.js';
import { archiveChain, archiveHistory, type ArchiveChain } from './archive-chain.js';
import {
  docUntouched,
  loadHistoryState,
  saveHistoryState,
  statDoc,
  type HistoryState,
} from './history-state.js';
import { renderArchiveDoc, type ArchiveDocDone, type ArchiveDocJob } from './render-archive-doc.js';
import { appendAll } from '../model/append-all.js';
import { digestOf, placeAll, withCopies, type Move } from '../publish/publish-files.js';

export interface ArchiveRender {
  readonly chain: ArchiveChain;
  readonly issues: Issue[];
  /** Documents rendered and proven this run. */
  readonly rendered: string[];
  /** Files (under out/) whose bytes changed, waiting in the staging folder. */
  readonly staged: string[];
}

/**
 * The chain at once (the subscription documents link it), and the documents' work under way:
 * `done` settles when every document due is rendered, proven and staged, or one is refused.
 * On the worker threads it goes on while the caller does other work; the caller must await
 * `done` (which stops the workers) before it returns or throws.
 */
export interface StartedArchive {
  readonly chain: ArchiveChain;
  readonly done: Promise<ArchiveRender>;
}

export const stagingOf = (stateDir: string): string => join(stateDir, 'staging-archive');

/**
 * Render and prove the archive documents that need it (their key changed, their files were
 * touched, or `full`), one document at a time so memory holds one month, and stage the files
 * whose bytes changed. Nothing reaches out/ until publishArchive(), which the run calls only
 * when every document and the subscription documents passed the gate.
 */
export function startArchive(
  ctx: RunContext,
  cat: Catalogue,
  /** docsDue() of `cat` with these options (the caller asked it first, to judge the records). */
  planned: DocsDue,
  opts: {
    fingerprint: string;
    full: boolean;
    dryRun: boolean;
    ttl: number | null;
    fresh?: ReadonlyMap<string, ArchiveRecord>;
    /** Records edited by hand (their dates unchanged): their documents are rendered again. */
    touched?: ReadonlySet<string>;
    /**
     * The records table as saved, when there is one: the documents' oracle reads the chunks of
     * the documents proven, not every row (validate/expected-history-chunks.ts); `cat` is then
     * the same rows made visible.
     */
    chunks?: ChainChunks;
  },
): StartedArchive {
  const { config, paths } = ctx.config;
  const base = config.site.baseUrl;
  const { chain } = planned;
  const oracle =
    opts.chunks === undefined
      ? expectedChain(cat.records, config.feed.size, base, PART_SIZE)
      : expectedChainOfChunks(
          opts.chunks.view,
          opts.chunks.now,
          opts.chunks.leftOut,
          config.feed.size,
          base,
          PART_SIZE,
        );
  const staging = stagingOf(paths.state);
  if (!opts.dryRun) rmSync(staging, { recursive: true, force: true });
  const result: ArchiveRender = { chain, issues: [], rendered: [], staged: [] };
  const wrongChain = chainMismatch(
    chain.docs.map((d) => d.name),
    oracle.names,
    (name) => relative(ctx.config.root, join(paths.out, 'archive', name)),
  );
  if (wrongChain !== null) result.issues.push(wrongChain);
  const due = result.issues.length > 0 ? [] : planned.due;
  // From the chunks, every due document's expectation is taken now, on this thread: a chunk not
  // as the root names it throws RecordChunkError here, before any job is sent (the run then
  // rebuilds, render-feeds.ts), not from inside the workers' queue.
  const wants =
    opts.chunks === undefined ? null : new Map(due.map(({ d }) => [d.name, oracle.doc(d.name)]));
  // Each document is planned here as late as it is sent: the gate's list of one month is
  // sorted once (expected-history.ts), and a dry run's records go with their document only.
  function* jobs(): Generator<ArchiveDocJob> {
    for (const { d, i } of due)
      yield {
        rc: ctx.config,
        version: ctx.version,
        ttl: opts.ttl,
        dryRun: opts.dryRun,
        staging,
        name: d.name,
        live: d.live,
        changedAt: d.changedAt,
        history: archiveHistory(chain, i, base),
        want: wants === null ? oracle.doc(d.name) : wants.get(d.name),
        ...(opts.fresh && opts.fresh.size > 0 ? { fresh: freshOf(opts.fresh, d.live) } : {}),
      };
  }
  // In chain order, stopping at the first refused (the documents after it are not taken, and
  // nothing of this run stays staged).
  const take = (r: ArchiveDocDone, name: string): boolean => {
    appendAll(result.issues, r.issues);
    if (r.rendered) result.rendered.push(name);
    for (const f of r.staged) result.staged.push(f);
    return result.issues.length === 0;
  };
  const finish = (): ArchiveRender => {
    // Refused: nothing of this run stays staged (the next run renders again).
    if (result.issues.length > 0) rmSync(staging, { recursive: true, force: true });
    return result;
  };
  const threads = due.length >= ARCHIVE_WORKERS_FROM ? workerCount(import.meta.url) : 0;
  if (threads === 0) {
    let i = 0;
    for (const job of jobs()) if (!take(renderArchiveDoc(job), due[i++]?.d.name ?? '')) break;
    return { chain, done: Promise.resolve(finish()) };
  }
  // Many documents (a cold build: 100 for 10,000 articles): every one is sent now to the
  // worker threads, which render them while this thread renders the pages; the results are
  // taken in chain order, so the issues and staged files are those of the loop above.
  const results = resultsInOrder<ArchiveDocJob, ArchiveDocDone>(
    new URL('./archive-worker.js', import.meta.url),
    jobs(),
    { workers: threads, ahead: due.length, perWorker: due.length },
  );
  const first = results.next(); // starts the workers and sends every job
  const done = (async (): Promise<ArchiveRender> => {
    try {
      let i = 0;
      for (let r = await first; r.done !== true; r = await results.next())
        if (!take(r.value, due[i++]?.d.name ?? '')) break;
    } finally {
      await results.return(); // the workers stopped before anything is removed or published
    }
    return finish();
  })();
  return { chain, done };
}

/**
 * The chain, and the documents a run renders: those whose key changed, whose files were
 * touched, or that list a record edited by hand (all with `full`). From the index rows alone:
 * render-feeds.ts asks it first, to judge the records those documents will read.
 */
export interface DocsDue {
  readonly chain: ArchiveChain;
  readonly due: readonly { d: ArchiveChain['docs'][number]; i: number }[];
  /**
   * Documents in out/ that are no longer in the chain (their part's records were all withdrawn,
   * or left out): removed once the feeds that linked them are replaced (names).
   */
  readonly gone: readonly string[];
}

export function docsDue(
  ctx: RunContext,
  cat: Catalogue,
  opts: { fingerprint: string; full: boolean; touched?: ReadonlySet<string> },
): DocsDue {
  const { config, paths } = ctx.config;
  const chain = archiveChain(cat.records, config.feed.size, opts.fingerprint);
  const saved = loadHistoryState(paths.state);
  const state = opts.full ? null : saved;
  const due = chain.docs
    .map((d, i) => ({ d, i }))
    .filter(
      ({ d }) =>
        !(
          state?.docs[d.name]?.key === d.key &&
          docUntouched(state, paths.out, d.name) &&
          !d.live.some((path) => opts.touched?.has(path))
        ),
    );
  // The documents the last publication had and the parts without a live record (the state may
  // be older than out/: a copy, or a lost state), those still in out/.
  const inChain = new Set(chain.docs.map((d) => d.name));
  const gone = [...new Set([...Object.keys(saved?.docs ?? {}), ...chain.emptied])].filter(
    (name) =>
      !inChain.has(name) && archiveOutputs(name).some((o) => existsSync(join(paths.out, o.file))),
  );
  return { chain, due, gone };
}

/** The files of archive documents (names), under out/. */
export const docFiles = (names: readonly string[]): string[] =>
  names.flatMap((name) => archiveOutputs(name).map((o) => o.file));

/**
 * The documents the run planned are not the gate's chain (validate/expected-history.ts): each
 * document's links name its neighbours, so one too many, or one missing, sends readers to a
 * file that is not there or past entries. Nothing is rendered then.
 */
export function chainMismatch(
  planned: readonly string[],
  expected: readonly string[],
  shown: (name: string) => string,
): Issue | null {
  if (planned.join('\n') === expected.join('\n')) return null;
  const want = new Set(expected);
  const have = new Set(planned);
  const extra = planned.find((n) => !want.has(n));
  const lacking = expected.find((n) => !have.has(n));
  const [name, what] =
    extra !== undefined
      ? [
          extra,
          "is planned as an archive document, but the gate's chain has none there (a part of withdrawn records alone has none)",
        ]
      : lacking !== undefined
        ? [lacking, "is an archive document of the gate's chain, but the run did not plan it"]
        : [
            planned[0] ?? '',
            "starts archive documents planned in another order than the gate's chain",
          ];
  return issue(
    'HISTORY_LINK',
    'error',
    `${shown(name)}/`,
    `${what}, so the chain's prev-archive and next-archive links would be wrong.`,
    `RFC 5005: readers walk the archive by these links, so a wrong one hides entries. ${FEED_BUG_HINT}`,
    '(chain)',
  );
}

/** From this many documents to render, they are rendered on worker threads. */
export const ARCHIVE_WORKERS_FROM = 4;

const freshOf = (
  fresh: ReadonlyMap<string, ArchiveRecord>,
  live: readonly string[],
): Map<string, ArchiveRecord> => {
  const mine = new Map<string, ArchiveRecord>();
  for (const path of live) {
    const r = fresh.get(path);
    if (r !== undefined) mine.set(path, r);
  }
  return mine;
};

/**
 * Move the staged archive documents into out/ (each by one rename: a reader sees the old file
 * or the new one), then record every document's key and file stats. Called before the
 * subscription documents are published, so their prev-archive link never points to a document
 * that is not there yet. Returns the files written (relative to the configuration root).
 */
export function publishArchive(
  ctx: RunContext,
  r: ArchiveRender,
  /** The staged files' gzip and Brotli copies, each renamed right after its file. */
  copies: readonly Move[] = [],
): string[] {
  const { paths, root } = ctx.config;
  const staging = stagingOf(paths.state);
  const dirs = new Set<string>();
  // Each staged copy is proven on its way in (a copy across file systems is read back).
  placeAll(
    withCopies(
      r.staged.map((file) => {
        const to = join(paths.out, file);
        dirs.add(dirname(to));
        return {
          from: join(staging, file),
          to,
          digest: digestOf(readFileSync(join(staging, file))),
        };
      }),
      copies,
    ),
  );
  for (const d of dirs) syncDir(d);
  rmSync(staging, { recursive: true, force: true });
  const state: HistoryState = {
    docs: Object.fromEntries(
      r.chain.docs.map((d) => [
        d.name,
        {
          key: d.key,
          files: statDoc(paths.out, d.name),
          ...(d.from === undefined ? {} : { from: d.from }),
        },
      ]),
    ),
  };
  const written = r.staged.map((f) => relative(root, join(paths.out, f)));
  if (saveHistoryState(paths.state, state))
    written.push(relative(root, join(paths.state, 'history.json')));
  return written;
}
