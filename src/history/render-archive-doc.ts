import { join, relative } from 'node:path';
import type { ResolvedConfig } from '../config/load-config.js';
import { sameBytes, stagedFor, writeFileAtomic } from '../io/atomic-write.js';
import type { FeedHistory } from '../model/feed-history.js';
import type { Issue } from '../model/issue.js';
import { archiveOutputs } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { loadEntries } from '../pipeline/select-entries.js';
import { buildFeedDocument } from '../render/feed-document.js';
import { renderOutputs } from '../render/render-outputs.js';
import type { ExpectedArchiveDoc, ExpectedChain } from '../validate/expected-history.js';
import { urlsOf } from './archive-chain.js';
import { proveArchiveDoc } from './prove-archive.js';

/**
 * Everything one archive document needs to be rendered, proven and staged, as plain data: the
 * same on this thread and on a worker thread (history/archive-worker.ts), where it arrives by
 * structured clone. The render path's plan (from archive-chain.ts) and the gate's (`want`, from
 * the verifier's own chain, validate/expected-history.ts) travel side by side, still separate.
 */
export interface ArchiveDocJob {
  readonly rc: ResolvedConfig;
  readonly version: string;
  readonly ttl: number | null;
  readonly dryRun: boolean;
  /** The staging folder the files whose bytes changed are written to. */
  readonly staging: string;
  readonly name: string;
  readonly live: readonly string[];
  readonly changedAt: string;
  readonly history: FeedHistory;
  /** What the gate expects of this document; undefined if its chain has no such document. */
  readonly want: ExpectedArchiveDoc | undefined;
  /** Records of this run not on disk (a dry run's), by path: taken instead of reading files. */
  readonly fresh?: ReadonlyMap<string, ArchiveRecord>;
}

export interface ArchiveDocDone {
  readonly issues: Issue[];
  /** Rendered and proven (its files then staged unless a dry run or refused). */
  readonly rendered: boolean;
  /** Its files (under out/) whose bytes changed, written to the staging folder. */
  readonly staged: string[];
}

/**
 * One archive document: its records read, rendered in every format, proven against the
 * records read again on the gate's path (prove-archive.ts), and the files whose bytes changed
 * written to the staging folder. Nothing is staged when any check failed.
 */
export function renderArchiveDoc(job: ArchiveDocJob): ArchiveDocDone {
  const { paths, root, config } = job.rc;
  const out = (file: string): string => relative(root, join(paths.out, file));
  const { records, issues } = loadEntries(job.live, paths.records, root, job.fresh);
  if (issues.length > 0) return { issues, rendered: false, staged: [] };
  const doc = {
    ...buildFeedDocument(records, job.rc, {
      version: job.version,
      ttl: job.ttl,
      changedAt: job.changedAt,
    }),
    selfUrls: urlsOf(config.site.baseUrl, job.name),
    history: job.history,
  };
  const rendered = renderOutputs(doc, out, archiveOutputs(job.name));
  if (rendered.issues.length > 0) return { issues: rendered.issues, rendered: false, staged: [] };
  const proved = proveArchiveDoc(
    job.rc,
    oneDocChain(job.want),
    job.name,
    job.live,
    rendered.files,
    job.dryRun ? job.fresh : undefined,
  );
  const staged: string[] = [];
  if (job.dryRun || proved.length > 0) return { issues: proved, rendered: true, staged };
  for (const f of rendered.files) {
    // Encoded once: a part of 100 long articles is about 0.7 MB of two-byte text, and
    // encoding it twice was a tenth of a worker's time in a cold build.
    const bytes = Buffer.from(f.text, 'utf8');
    if (sameBytes(join(paths.out, f.row.file), bytes)) continue;
    try {
      writeFileAtomic(join(job.staging, f.row.file), bytes, { syncDir: false });
    } catch (error) {
      throw stagedFor(error, join(paths.out, f.row.file), job.staging);
    }
    staged.push(f.row.file);
  }
  return { issues: proved, rendered: true, staged };
}

/** The gate's chain reduced to the one document a job carries (the rest is not asked for). */
const oneDocChain = (want: ExpectedArchiveDoc | undefined): ExpectedChain => ({
  subscription: {
    complete: false,
    archive: false,
    current: null,
    prevArchive: null,
    nextArchive: null,
  },
  names: want === undefined ? [] : [want.name],
  parts: want === undefined ? [] : [want.name],
  liveIn: new Map(),
  doc: (name) => (want?.name === name ? want : undefined),
  part: (name) => (want?.name === name ? want : undefined),
});
