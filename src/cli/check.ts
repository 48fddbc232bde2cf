import { parseArgs } from 'node:util';
import { check as runCheck } from '../api/check.js';
import { EXIT } from './exit-codes.js';
import { COMMON_OPTIONS, verbosity, warn } from './output.js';
import { printJson } from './print-json.js';
import { formatIssues } from './print-report.js';

export const usage = `usage: feedkeeper check [options]

Prove the files in out/ against the archive records, as build does before it publishes
(well-formedness, spec rules, what a reader sees), writing nothing. Exit code 0 if they are
right, 1 if not (each problem on stderr).

options:
  --json           print the result as JSON on stdout (README: "--json")
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
    if (verbosity() !== 'quiet')
      console.log(
        `check: ${r.files.join(', ')} are well-formed, follow their specs and say exactly what the archive says (${r.entries} entr${r.entries === 1 ? 'y' : 'ies'}); so do the ${r.archiveDocuments} archive documents of the RFC 5005 chain.`,
      );
  } else
    warn(
      [
        `check: ${r.problems.length} problem${r.problems.length === 1 ? '' : 's'}:`,
        ...formatIssues(r.problems),
      ].join('\n'),
    );
  return r.ok ? EXIT.ok : EXIT.problems;
}
