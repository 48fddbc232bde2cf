import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  rebuildCatalogue,
} from '../archive/catalogue-file.js';
import { formatIssues } from './print-report.js';
import { issue, type Issue } from '../model/issue.js';
import { OUTPUTS, type RenderedFile } from '../model/outputs.js';
import { proveOutputs } from '../pipeline/prove-outputs.js';
import { chooseEntries } from '../pipeline/choose-entries.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';

export const usage = `feedkeeper check [--json] [--config FILE]
  Prove the files in out/ against the archive records, as build does before it publishes
  (well-formedness, spec rules, what a reader sees), writing nothing. Exit code 0 if they are
  right, 1 if not.`;

export async function check(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, config: { type: 'string' } },
  });
  const ctx = cliContext(values.config);
  const { paths, root } = ctx.config;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const catFiles = catalogueFiles(paths.state);
  let cat = loadCatalogue(catFiles);
  if (cat === null || !loadRecordIndex(catFiles, cat)) cat = rebuildCatalogue(paths.records, root);

  const files: RenderedFile[] = [];
  const issues: Issue[] = [];
  for (const row of OUTPUTS) {
    try {
      files.push({ row, text: readFileSync(join(paths.out, row.file), 'utf8') });
    } catch {
      issues.push(missing(shown(row.file)));
    }
  }
  // The records build leaves out of the feeds (unreadable, or a value feeds cannot carry) are
  // left out here too, and reported: the feeds are right without them.
  const chosen = chooseEntries(cat, ctx.config.config.feed.size, paths.records, root);
  issues.push(...chosen.issues);
  const proven = proveOutputs(ctx.config, cat, chosen.listed, files, undefined, chosen.leftOut);
  issues.push(...proven.issues);

  if (values.json)
    console.log(
      JSON.stringify({ ok: issues.length === 0, entries: proven.entries, issues }, null, 2),
    );
  else if (issues.length === 0)
    console.log(
      `check: ${OUTPUTS.map((o) => shown(o.file)).join(', ')} are well-formed, follow their specs and say exactly what the archive says (${proven.entries} entries).`,
    );
  else
    console.log(
      [
        `check: ${issues.length} problem${issues.length === 1 ? '' : 's'}:`,
        ...formatIssues(issues),
      ].join('\n'),
    );
  return issues.length === 0 ? EXIT.ok : EXIT.problems;
}

const missing = (file: string): Issue =>
  issue(
    'FEED_MISSING',
    'error',
    file,
    'is missing.',
    'Run feedkeeper build to publish the feeds.',
    '(file)',
  );
