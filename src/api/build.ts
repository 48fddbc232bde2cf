import { requireArticlesFolder } from '../config/articles-folder.js';
import { claimFolders } from '../pipeline/claim-folders.js';
import { hasErrors, type Issue } from '../model/issue.js';
import type { RunReport } from '../pipeline/report.js';
import { lockedRun } from '../schedule/locked-run.js';
import { openCliContext } from '../cli/open-context.js';
import { JSON_SCHEMA_VERSION } from './schema-version.js';

/** What `build()` takes; every field is optional. */
export interface BuildOptions {
  /** The configuration file: default $FEEDKEEPER_CONFIG, else ./feedkeeper.config.json. */
  readonly config?: string;
  /** Do everything but write: report what would change. */
  readonly dryRun?: boolean;
  /** Trust nothing derived: check every record, read every stored article, render everything. */
  readonly full?: boolean;
  /** The articles folder is empty on purpose: withdraw every record (run.ts, RunOptions). */
  readonly withdrawAll?: boolean;
  /** Seconds to wait for another run holding the lock (default 30). */
  readonly wait?: number;
  /** Told of each stored article read: (done, total). */
  readonly onProgress?: (done: number, total: number) => void;
}

/** A run that happened: the `--json` report of `feedkeeper build` (docs/reference.md, "--json"). */
export type BuildDone = Omit<RunReport, 'issues'> & {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly command: 'build';
  /** No error among the problems, and the feeds were published (or were already up to date). */
  readonly ok: boolean;
  readonly skipped: false;
  readonly problems: Issue[];
  /** Set when this run took over a stale lock, saying whose and why. */
  readonly takeover?: string;
};

/** Another run held the lock for longer than `wait`: nothing was read or written. */
export interface BuildSkipped {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly command: 'build';
  readonly ok: false;
  readonly skipped: true;
  readonly reason: string;
}

export type BuildResult = BuildDone | BuildSkipped;

/**
 * One build, as `feedkeeper build` runs it: archive, render, prove, publish, under the lock.
 * Throws ConfigError for a bad configuration, a missing articles folder or an out/ folder that
 * holds files feedkeeper did not create (nothing touched: pipeline/out-folder.ts),
 * and rethrows what stopped a run (the file system refusing a write): the run log has it too.
 */
export async function build(options: BuildOptions = {}): Promise<BuildResult> {
  const wait = options.wait ?? 30;
  if (!Number.isFinite(wait) || wait < 0)
    throw new RangeError(`wait takes a number of seconds, not ${wait}`);
  const { ctx: base, remember } = await openCliContext(options.config);
  requireArticlesFolder(base.config);
  claimFolders(base.config, { mark: false });
  const ctx = options.onProgress ? { ...base, progress: options.onProgress } : base;
  const run = await lockedRun(ctx, 'build', {
    dryRun: options.dryRun === true,
    full: options.full === true,
    withdrawAll: options.withdrawAll === true,
    waitMs: wait * 1000,
  });
  if (run.kind === 'skipped')
    return {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'build',
      ok: false,
      skipped: true,
      reason: run.log.error ?? 'the lock is held',
    };
  if (run.kind === 'failed') throw run.error;
  if (options.dryRun !== true) remember?.();
  const { issues, ...report } = run.report;
  const failed = report.feeds !== null && !report.feeds.published && !report.dryRun;
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'build',
    ok: !failed && !hasErrors(issues),
    skipped: false,
    ...(run.log.takeover === undefined ? {} : { takeover: run.log.takeover }),
    ...report,
    problems: issues,
  };
}
