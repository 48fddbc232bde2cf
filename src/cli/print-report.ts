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
        `feeds: ${f.entries} entr${f.entries === 1 ? 'y' : 'ies'} (${f.reason}); ${f.written.length > 0 ? `wrote ${f.written.join(', ')}` : 'every file already up to date'}`,
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
  const lines = paths.slice(0, SHOWN).map((p) => `  ${label} ${escapeControls(p)}`);
  if (paths.length > SHOWN)
    lines.push(`  ${label} … and ${paths.length - SHOWN} more (--json lists them all)`);
  return lines;
}

export function formatIssues(issues: readonly Issue[]): string[] {
  const e = escapeControls;
  return issues.flatMap((i) => [
    `${i.severity} ${e(i.code)} ${e(i.file)}${i.element ? ` (${e(i.element)})` : ''}: ${e(i.message)}`,
    `  hint: ${e(i.hint)}`,
  ]);
}

/**
 * Control characters as JSON writes them (`\n`, `\t`, `\u001b`): a file name holding a new
 * line (or an escape sequence) must not forge a line of the report, nor drive the terminal.
 * C1 controls and the Unicode line and paragraph separators too.
 */
export const escapeControls = (text: string): string =>
  text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, (c) =>
    c < ' '
      ? JSON.stringify(c).slice(1, -1)
      : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
