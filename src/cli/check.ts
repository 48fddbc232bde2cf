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
import {
  isPublishInterrupted,
  loadPublishState,
  type PublishedFile,
} from '../pipeline/publish-state.js';
import { sha256Of } from '../publish/publish-files.js';
import { proveOutputs } from '../pipeline/prove-outputs.js';
import { selectEntries } from '../pipeline/select-entries.js';
import { formatUtcSecond } from '../normalize/dates.js';
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
  const catFiles = catalogueFiles(paths.state, paths.records);
  let cat = loadCatalogue(catFiles);
  if (cat === null || !loadRecordIndex(catFiles, cat)) cat = rebuildCatalogue(paths.records, root);

  const files: RenderedFile[] = [];
  const issues: Issue[] = [];
  const published = loadPublishState(paths.state);
  const interrupted = isPublishInterrupted(paths.state);
  for (const row of OUTPUTS) {
    let bytes: Buffer;
    try {
      bytes = readFileSync(join(paths.out, row.file));
    } catch {
      issues.push(missing(shown(row.file)));
      continue;
    }
    files.push({ row, text: bytes.toString('utf8') });
    const last = published?.files[row.file];
    if (typeof last?.sha256 === 'string' && sha256Of(bytes) !== last.sha256)
      issues.push(notAsPublished(shown(row.file), bytes.length, last, interrupted));
  }
  const now = formatUtcSecond(ctx.now().getTime()); // embargoes end by the clock
  const proven = proveOutputs(
    ctx.config,
    cat,
    selectEntries(cat, ctx.config.config.feed.size, now),
    files,
    undefined,
    now,
  );
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

/**
 * out/ holds bytes build never published (a file cut short, edited, or left by a publication a
 * kill interrupted): the published sha256 is in `<state>/published.json`.
 */
const notAsPublished = (
  file: string,
  size: number,
  last: PublishedFile,
  interrupted: boolean,
): Issue =>
  issue(
    'FEED_NOT_AS_PUBLISHED',
    'error',
    file,
    interrupted
      ? `is not the file build last published: a publication was interrupted between its renames (a kill), so out/ may hold files of two runs.`
      : `is not the file build last published (${size} bytes here, ${last.size} published, sha256 ${last.sha256.slice(0, 12)}…): it was cut short or changed after publishing.`,
    'Run feedkeeper build: it completes or repeats the publication and puts the proven bytes back.',
    '(file)',
  );
