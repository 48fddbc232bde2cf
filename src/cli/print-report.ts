import type { Issue } from '../model/issue.js';
import type { RunReport } from '../pipeline/report.js';
import { newsroomLines } from './print-newsroom.js';
import { appendAll } from '../model/append-all.js';
import { escapeControls } from '../model/escape-controls.js';

/**
 * The human report of a run: counts and what was written (stdout). Problems are printed apart,
 * on stderr (formatIssues). `shown` caps the paths listed of each kind (--verbose: all).
 */
export function formatReport(r: RunReport, shown = SHOWN): string {
  const a = r.archive;
  const lines = [
    `archive: ${a.added.length} added, ${a.revised.length} revised, ${a.withdrawn.length} withdrawn, ${restoredCount(a)}${a.unchanged} unchanged, ${a.rejected} rejected, ${a.duplicates} duplicate${a.duplicates === 1 ? '' : 's'}`,
  ];
  appendAll(lines, listed('added    ', a.added, shown));
  appendAll(lines, listed('revised  ', a.revised, shown));
  appendAll(lines, listed('withdrawn', a.withdrawn, shown));
  appendAll(lines, listed('restored ', a.restored, shown));
  appendAll(lines, listed('rescheduled', a.rescheduled, shown));
  appendAll(lines, listed('amended  ', a.amended, shown));
  appendAll(lines, newsroomLines(r));
  if (r.repaired !== undefined) lines.push(`repaired: ${r.repaired}`);
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
  return lines.join('\n');
}

/** At most SHOWN paths per kind: a cold build adds thousands (`--json` lists them all). */
const SHOWN = 20;

function listed(label: string, paths: readonly string[], shown: number): string[] {
  const lines = paths.slice(0, shown).map((p) => `  ${label} ${escapeControls(p)}`);
  if (paths.length > shown)
    lines.push(
      `  ${label} … and ${paths.length - shown} more (--verbose or --json lists them all)`,
    );
  return lines;
}

/**
 * --quiet: one line saying what changed, or null when no record and no feed changed (the
 * catalogue's own bookkeeping, e.g. after a stored article was touched, is not news).
 */
export function formatQuiet(r: RunReport): string | null {
  const a = r.archive;
  const f = r.feeds;
  const changed =
    a.added.length +
    a.revised.length +
    a.withdrawn.length +
    a.restored.length +
    a.rescheduled.length +
    a.amended.length;
  if (changed === 0 && (f === null || f.written.length === 0)) return null;
  const feeds =
    f === null || !f.rendered
      ? 'feeds unchanged'
      : !f.published && !r.dryRun
        ? 'feeds NOT published'
        : `feeds: ${f.entries} entr${f.entries === 1 ? 'y' : 'ies'}`;
  return `archive: ${a.added.length} added, ${a.revised.length} revised, ${a.withdrawn.length} withdrawn, ${restoredCount(a)}${a.rejected} rejected; ${feeds}; ${r.written.length} file${r.written.length === 1 ? '' : 's'} written.`;
}

/**
 * "N restored, " only when a record came back, "N rescheduled, " when an embargo moved and "N
 * amended, " when a record under embargo was edited: they are rare, and the line scripts have
 * read since the first release keeps its shape otherwise (`--json` always has the lists).
 */
export const restoredCount = (a: {
  readonly restored: readonly unknown[];
  readonly rescheduled?: readonly unknown[];
  readonly amended?: readonly unknown[];
}): string =>
  (
    [
      ['restored', a.restored.length],
      ['rescheduled', a.rescheduled?.length ?? 0],
      ['amended', a.amended?.length ?? 0],
    ] as const
  )
    .filter(([, n]) => n > 0)
    .map(([name, n]) => `${n} ${name}, `)
    .join('');

export function formatIssues(issues: readonly Issue[]): string[] {
  const e = escapeControls;
  return issues.flatMap((i) => [
    `${i.severity} ${e(i.code)} ${e(i.file)}${elementShown(i.element)}: ${e(i.message)}`,
    `  hint: ${e(i.hint)}`,
  ]);
}

/** A cold build writes a page per article: name the first few, count the rest (all in --json). */
const shownNames = (names: readonly string[]): string =>
  names.length <= 12
    ? names.join(', ')
    : `${names.slice(0, 10).join(', ')} and ${names.length - 10} more`;

/**
 * Where in the file, in parentheses: `(link[@rel=prev-archive])`; an element that is already a
 * parenthesized word (`(file)`, `(document)`) is shown as it is, not as `((file))`.
 */
function elementShown(element: string | undefined): string {
  if (!element) return '';
  const shown = escapeControls(element);
  return /^\(.*\)$/.test(shown) ? ` ${shown}` : ` (${shown})`;
}
