import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import { sameBytes, syncDir, tempPathFor, writeFileAtomic } from '../io/atomic-write.js';
import { PART_SIZE } from '../model/feed-history.js';
import type { Issue } from '../model/issue.js';
import { archiveOutputs } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import type { RunContext } from '../pipeline/context.js';
import { loadEntries } from '../pipeline/select-entries.js';
import { buildFeedDocument } from '../render/feed-document.js';
import { renderOutputs } from '../render/render-outputs.js';
import { expectedChain } from '../validate/expected-history.js';
import { archiveChain, archiveHistory, urlsOf, type ArchiveChain } from './archive-chain.js';
import {
  docUntouched,
  loadHistoryState,
  saveHistoryState,
  statDoc,
  type HistoryState,
} from './history-state.js';
import { proveArchiveDoc } from './prove-archive.js';

export interface ArchiveRender {
  readonly chain: ArchiveChain;
  readonly issues: Issue[];
  /** Documents rendered and proven this run. */
  readonly rendered: string[];
  /** Files (under out/) whose bytes changed, waiting in the staging folder. */
  readonly staged: string[];
}

const stagingOf = (stateDir: string): string => join(stateDir, 'staging-archive');

/**
 * Render and prove the archive documents that need it (their key changed, their files were
 * touched, or `full`), one document at a time so memory holds one month, and stage the files
 * whose bytes changed. Nothing reaches out/ until publishArchive(), which the run calls only
 * when every document and the subscription documents passed the gate.
 */
export function renderArchive(
  ctx: RunContext,
  cat: Catalogue,
  opts: {
    fingerprint: string;
    full: boolean;
    dryRun: boolean;
    ttl: number | null;
    fresh?: ReadonlyMap<string, ArchiveRecord>;
    /** Records edited by hand (their dates unchanged): their documents are rendered again. */
    touched?: ReadonlySet<string>;
  },
): ArchiveRender {
  const { config, paths, root } = ctx.config;
  const base = config.site.baseUrl;
  const chain = archiveChain(cat.records, config.feed.size, opts.fingerprint);
  const oracle = expectedChain(cat.records, config.feed.size, base, PART_SIZE);
  const state = opts.full ? null : loadHistoryState(paths.state);
  const staging = stagingOf(paths.state);
  if (!opts.dryRun) rmSync(staging, { recursive: true, force: true });
  const out = (file: string): string => relative(root, join(paths.out, file));
  const result: ArchiveRender = { chain, issues: [], rendered: [], staged: [] };
  if (chain.docs.map((d) => d.name).join('\n') !== oracle.names.join('\n')) {
    result.issues.push(
      ...proveArchiveDoc(ctx.config, oracle, chain.docs[0]?.name ?? '(none)', null, []),
    );
  }
  chain.docs.forEach((d, i) => {
    if (result.issues.length > 0) return;
    if (
      state?.docs[d.name]?.key === d.key &&
      docUntouched(state, paths.out, d.name) &&
      !d.live.some((path) => opts.touched?.has(path))
    )
      return;
    const { records, issues } = loadEntries(d.live, paths.records, root, opts.fresh);
    if (issues.length > 0) {
      result.issues.push(...issues);
      return;
    }
    const doc = {
      ...buildFeedDocument(records, ctx.config, {
        version: ctx.version,
        ttl: opts.ttl,
        changedAt: d.changedAt,
      }),
      selfUrls: urlsOf(base, d.name),
      history: archiveHistory(chain, i, base),
    };
    const rendered = renderOutputs(doc, out, archiveOutputs(d.name));
    result.issues.push(...rendered.issues);
    if (rendered.issues.length > 0) return;
    result.issues.push(
      ...proveArchiveDoc(
        ctx.config,
        oracle,
        d.name,
        d.live,
        rendered.files,
        opts.dryRun ? opts.fresh : undefined,
      ),
    );
    result.rendered.push(d.name);
    if (opts.dryRun || result.issues.length > 0) return;
    for (const f of rendered.files) {
      if (sameBytes(join(paths.out, f.row.file), Buffer.from(f.text, 'utf8'))) continue;
      writeFileAtomic(join(staging, f.row.file), f.text, { syncDir: false });
      result.staged.push(f.row.file);
    }
  });
  // Refused: nothing of this run stays staged (the next run renders again).
  if (result.issues.length > 0) rmSync(staging, { recursive: true, force: true });
  return result;
}

/**
 * Move the staged archive documents into out/ (each by one rename: a reader sees the old file
 * or the new one), then record every document's key and file stats. Called before the
 * subscription documents are published, so their prev-archive link never points to a document
 * that is not there yet. Returns the files written (relative to the configuration root).
 */
export function publishArchive(ctx: RunContext, r: ArchiveRender): string[] {
  const { paths, root } = ctx.config;
  const staging = stagingOf(paths.state);
  const dirs = new Set<string>();
  for (const file of r.staged) {
    const to = join(paths.out, file);
    mkdirSync(dirname(to), { recursive: true });
    moveInto(join(staging, file), to);
    dirs.add(dirname(to));
  }
  for (const d of dirs) syncDir(d);
  rmSync(staging, { recursive: true, force: true });
  const state: HistoryState = {
    docs: Object.fromEntries(
      r.chain.docs.map((d) => [d.name, { key: d.key, files: statDoc(paths.out, d.name) }]),
    ),
  };
  const written = r.staged.map((f) => relative(root, join(paths.out, f)));
  if (saveHistoryState(paths.state, state))
    written.push(relative(root, join(paths.state, 'history.json')));
  return written;
}

function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // The state folder on another file system: copy beside the target, then rename.
    const tmp = tempPathFor(to);
    copyFileSync(from, tmp);
    renameSync(tmp, to);
  }
}
