import type { Issue } from '../model/issue.js';
import type { RunReport } from '../pipeline/report.js';

/** The human report of a run: counts, what was written, then each problem on its own lines. */
export function formatReport(r: RunReport): string {
  const a = r.archive;
  const lines = [
    `archive: ${a.added.length} added, ${a.revised.length} revised, ${a.withdrawn.length} withdrawn, ${a.unchanged} unchanged, ${a.rejected} rejected, ${a.duplicates} duplicate${a.duplicates === 1 ? '' : 's'}`,
  ];
  lines.push(
    ...listed('added    ', a.added),
    ...listed('revised  ', a.revised),
    ...listed('withdrawn', a.withdrawn),
  );
  const f = r.feeds;
  if (f) {
    if (!f.rendered) lines.push(`feeds: unchanged (${f.reason})`);
    else if (r.dryRun)
      lines.push(`feeds: ${f.entries} entries rendered and validated (${f.reason})`);
    else if (!f.published) lines.push(`feeds: NOT published: ${f.reason}`);
    else
      lines.push(
        `feeds: ${f.entries} entr${f.entries === 1 ? 'y' : 'ies'} (${f.reason}); ${f.written.length > 0 ? `wrote ${shownNames(f.written)}` : 'every file already up to date'}`,
      );
  }
  lines.push(
    r.written.length === 0
      ? r.dryRun
        ? 'dry run: no file written.'
        : 'no file written.'
      : `${r.written.length} file${r.written.length === 1 ? '' : 's'} written.`,
  );
  if (r.issues.length > 0) lines.push('', ...formatIssues(r.issues));
  return lines.join('\n');
}

/** At most SHOWN paths per kind: a cold build adds thousands (`--json` lists them all). */
const SHOWN = 20;

function listed(label: string, paths: readonly string[]): string[] {
  const lines = paths.slice(0, SHOWN).map((p) => `  ${label} ${p}`);
  if (paths.length > SHOWN)
    lines.push(`  ${label} … and ${paths.length - SHOWN} more (--json lists them all)`);
  return lines;
}

export function formatIssues(issues: readonly Issue[]): string[] {
  return issues.flatMap((i) => [
    `${i.severity} ${i.code} ${i.file}${i.element ? ` (${i.element})` : ''}: ${i.message}`,
    `  hint: ${i.hint}`,
  ]);
}

/** A cold build writes a page per article: name the first few, count the rest (all in --json). */
const shownNames = (names: readonly string[]): string =>
  names.length <= 12
    ? names.join(', ')
    : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;
