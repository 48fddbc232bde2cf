import { printJson } from './print-json.js';
import { parseArgs } from 'node:util';
import { hasErrors } from '../model/issue.js';
import { lockedRun } from '../schedule/locked-run.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { formatReport } from './print-report.js';

export const usage = `feedkeeper build [--json] [--dry-run] [--full] [--wait SECONDS] [--config FILE]
  Archive new and changed stored articles, then render, check and publish the feeds.
  --dry-run  do everything but write: report what would change (writes and deletes nothing)
  --full     trust nothing derived: check every record, read every stored article again and
             render every output (after a hand edit of a record, or a restore)
  --wait     how long to wait for another run to finish (default 30)`;

export async function build(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      full: { type: 'boolean' },
      wait: { type: 'string' },
      config: { type: 'string' },
    },
  });
  const waitSeconds = Number(values.wait ?? '30');
  if (!Number.isFinite(waitSeconds) || waitSeconds < 0)
    throw new UsageError(`--wait takes a number of seconds, not "${values.wait}"`);
  const ctx = cliContext(values.config);
  const run = await lockedRun(ctx, 'build', {
    dryRun: values['dry-run'] === true,
    full: values.full === true,
    waitMs: waitSeconds * 1000,
  });
  if (run.log.takeover !== undefined)
    console.error(`feedkeeper build: warning: ${run.log.takeover}`);
  if (run.kind === 'skipped') {
    const msg = `feedkeeper build: skipped: ${run.log.error ?? 'the lock is held'}; waited ${waitSeconds} s. Nothing was read or written. Try again later, or raise --wait.`;
    if (values.json) console.log(JSON.stringify({ skipped: true, reason: run.log.error }));
    else console.error(msg);
    return EXIT.busy;
  }
  if (run.kind === 'failed') throw run.error;
  const r = run.report;
  if (values.json) printJson(r);
  else console.log(formatReport(r));
  const failed = r.feeds !== null && !r.feeds.published && !r.dryRun;
  return failed || hasErrors(r.issues) ? EXIT.problems : EXIT.ok;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
