import { parseArgs } from 'node:util';
import { build as runBuild } from '../api/build.js';
import { EXIT } from './exit-codes.js';
import { COMMON_OPTIONS, verbosity, warn } from './output.js';
import { printJson } from './print-json.js';
import { formatIssues, formatQuiet, formatReport } from './print-report.js';
import { startProgress } from './progress.js';

export const usage = `usage: feedkeeper build [options]

Archive new and changed stored articles, then render, check and publish the feeds. Problems
go to stderr, each with its code, file and a hint; the exit code says how it went (0 done,
1 problems, 2 bad configuration or command line, 75 another run holds the lock).

options:
  --dry-run        do everything but write: report what would change (writes, deletes and
                   locks nothing)
  --full           trust nothing derived: check every record, read every stored article again
                   and render every output (after a hand edit of a record, or a restore)
  --withdraw-all   the articles folder is empty on purpose: withdraw every record (without it,
                   a run that finds no stored article while records are published refuses)
  --wait SECONDS   how long to wait for another run holding the lock (default 30)
  --json           print the report as JSON on stdout (docs/reference.md: "--json")
${COMMON_OPTIONS}

examples:
  feedkeeper build                   publish what changed since the last run
  feedkeeper build --dry-run         see what a run would change, changing nothing
  feedkeeper build -q                for cron: prints nothing unless something changed or is wrong
  feedkeeper build --json | jq -r '.problems[] | "\\(.code) \\(.file)"'`;

export async function build(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean' },
      'dry-run': { type: 'boolean' },
      full: { type: 'boolean' },
      'withdraw-all': { type: 'boolean' },
      wait: { type: 'string' },
      config: { type: 'string' },
    },
  });
  const wait = Number(values.wait ?? '30');
  if (!Number.isFinite(wait) || wait < 0)
    throw new UsageError(`--wait takes a number of seconds, not "${values.wait}"`);
  const level = verbosity();
  const progress = startProgress('build', values.json !== true && level !== 'quiet');
  const started = Date.now();
  let r;
  try {
    r = await runBuild({
      config: values.config,
      dryRun: values['dry-run'] === true,
      full: values.full === true,
      withdrawAll: values['withdraw-all'] === true,
      wait,
      onProgress: (done, total) => progress.articles(done, total),
    });
  } finally {
    progress.stop();
  }
  if (r.skipped) {
    if (values.json) printJson({ ...r });
    else
      warn(
        `feedkeeper build: skipped: ${r.reason}; waited ${wait} s. Nothing was read or written. Try again later, or raise --wait.`,
      );
    return EXIT.busy;
  }
  if (r.takeover !== undefined) warn(`feedkeeper build: warning: ${r.takeover}`);
  // `issues` is the name schemaVersion 1 replaced with `problems`; kept for scripts written before.
  if (values.json) printJson({ ...r, issues: r.problems });
  else {
    const report = { ...r, issues: r.problems };
    if (level === 'verbose') {
      const { cliContext } = await import('./context.js');
      console.log(`config: ${cliContext(values.config).config.file ?? '(none)'}`);
    }
    const text =
      level === 'quiet'
        ? formatQuiet(report)
        : formatReport(report, level === 'verbose' ? Infinity : undefined);
    if (text !== null) console.log(text);
    if (level === 'verbose') console.log(`took ${Date.now() - started} ms.`);
    if (r.problems.length > 0) warn(formatIssues(r.problems).join('\n'));
  }
  return r.ok ? EXIT.ok : EXIT.problems;
}

export class UsageError extends Error {
  override name = 'UsageError';
}
