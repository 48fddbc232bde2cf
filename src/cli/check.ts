import { parseArgs } from 'node:util';
import { check as runCheck } from '../api/check.js';
import { counted } from './counted.js';
import { EXIT } from './exit-codes.js';
import { COMMON_OPTIONS, verbosity, warn } from './output.js';
import { OUTPUTS } from '../model/outputs.js';
import { printJson } from './print-json.js';
import { formatIssues } from './print-report.js';

export const usage = `usage: feedkeeper check [options]

Prove the files in out/ against the archive records, as build does before it publishes
(well-formedness, spec rules, what a reader sees), and the pages and every .gz and .br copy
against the last publication, writing nothing. Exit code 0 if they are right, 1 if not (each
problem on stderr).

options:
  --json           print the result as JSON on stdout (docs/reference.md: "--json")
${COMMON_OPTIONS}

examples:
  feedkeeper check                   after copying out/ somewhere, or editing it by hand
  feedkeeper check -q && rsync -a out/ web:/srv/news/   publish elsewhere only what proves right`;

export async function check(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, config: { type: 'string' } },
  });
  const r = await runCheck({ config: values.config });
  // `issues` is the name schemaVersion 1 replaced with `problems`; kept for scripts written before.
  if (values.json) printJson({ ...r, issues: r.problems });
  else if (r.ok) {
    if (verbosity() !== 'quiet') console.log(provenMessage(r));
    // Warnings a build would print too (the articles folder's): on stderr, as a build's.
    if (r.problems.length > 0) warn(formatIssues(r.problems).join('\n'));
  } else
    warn(
      [`check: ${counted(r.problems.length, 'problem')}:`, ...formatIssues(r.problems)].join('\n'),
    );
  return r.ok ? EXIT.ok : EXIT.problems;
}

/** What a clean check says: the feeds, their entries, and the archive documents proven with them. */
export function provenMessage(r: {
  readonly files: readonly string[];
  readonly entries: number;
  readonly archiveDocuments: number;
}): string {
  // The subscription documents are always the three of the outputs table (model/outputs.ts).
  const feeds = `check: ${r.files.join(', ')} are well-formed, follow their specs and say exactly what the archive says (${counted(r.entries, 'entry', 'entries')})`;
  // `archiveDocuments` counts months (and parts of a month, `--json` keeps that meaning); each
  // is one document per format, and a reader counts the files: 9 for three months.
  const docs = r.archiveDocuments * OUTPUTS.length;
  if (docs === 0) return `${feeds}; there is no archive document of the RFC 5005 chain yet.`;
  return `${feeds}; so ${docs === 1 ? 'does the' : 'do the'} ${counted(docs, 'archive document')} of the RFC 5005 chain.`;
}
