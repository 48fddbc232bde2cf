import type { ArchiveRecord, Block } from '../model/record.js';
import { appendAll } from '../model/append-all.js';
import { escapeControls } from '../model/escape-controls.js';
import { wordDiff } from './word-diff.js';
import { releaseOf } from '../pipeline/release.js';

/** `feedkeeper archive show`: a record as a person reads it (pure). */
export function formatRecord(
  r: ArchiveRecord,
  shownPath: string,
  now?: string,
  /** Up to when a publication released records (publish-state.ts, releasedUpTo); default `now`. */
  released?: string,
): string {
  const release = now === undefined ? 'published' : releaseOf(r.publishedAt, now, released ?? now);
  // A value from a file name (the input's path) or a record edited by hand may hold a new line
  // or a carriage return: escaped, it cannot forge a line of the listing (a fake "status").
  const row = (k: string, v: string): string => `  ${k.padEnd(10)}${escapeControls(v)}`;
  return [
    escapeControls(r.title),
    row('id', r.id),
    row('file', shownPath),
    row('url', r.url),
    row(
      'status',
      r.withdrawnAt !== null
        ? r.publishedAt > r.withdrawnAt
          ? `withdrawn ${r.withdrawnAt}, under embargo: never published`
          : `withdrawn ${r.withdrawnAt}`
        : release === 'scheduled'
          ? `scheduled: under embargo until ${r.publishedAt}`
          : release === 'due'
            ? `scheduled: due since ${r.publishedAt}, not released yet (the last publication was at ${released ?? ''}): the next build (feedkeeper build, or feedkeeper schedule) publishes it`
            : r.restoredAt !== undefined
              ? `published (restored ${r.restoredAt})`
              : 'published',
    ),
    // The date it is (or was to be) published under: for one never published, not a fact.
    row(
      r.withdrawnAt !== null && r.publishedAt > r.withdrawnAt ? 'dated' : 'published',
      r.publishedAt,
    ),
    row('updated', r.updatedAt),
    row('language', r.language),
    ...(r.section === null ? [] : [row('section', r.section)]),
    ...(r.tags.length === 0 ? [] : [row('tags', r.tags.join(', '))]),
    ...(r.authors.length === 0 ? [] : [row('authors', r.authors.map((a) => a.name).join(', '))]),
    row(
      'source',
      r.source === null ? '(none)' : `${r.source.name}${r.source.url ? ` <${r.source.url}>` : ''}`,
    ),
    row('words', String(r.wordCount)),
    row('revisions', String(r.revisions.length)),
    row(
      'input',
      `${r.input.path} (${r.input.bytes} bytes, sha256 ${r.input.sha256.slice(0, 12)}…)`,
    ),
    '',
    r.summary,
    '',
    bodyText(r.body),
  ].join('\n');
}

export const bodyText = (body: readonly Block[]): string =>
  body.map((b) => (b.type === 'heading' ? `## ${b.text}` : b.text)).join('\n\n');

interface Version {
  readonly title: string;
  readonly summary: string;
  readonly body: readonly Block[];
  readonly updatedAt: string;
  readonly url: string;
  readonly section: string | null;
  readonly tags: readonly string[];
}

/** A withdrawal or a restore, shown among the versions at its time. */
interface Event {
  readonly at: string;
  /** Shown before a version of the same second (a restore with an edit mints both at once). */
  readonly beforeSameSecond: boolean;
  readonly lines: readonly string[];
}

/**
 * What the record says of its withdrawal and restore: only the last of each (`withdrawnAt`,
 * `restoredAt`), so an earlier withdrawal a restore ended is said to have been, without a time.
 */
function eventsOf(r: ArchiveRecord): Event[] {
  const events: Event[] = [];
  if (r.restoredAt !== undefined)
    events.push({
      at: r.restoredAt,
      beforeSameSecond: true,
      lines: [
        `restored: ${r.restoredAt}`,
        '  its stored article came back after a withdrawal, so the feeds and pages list it again (the record keeps its last restore only, not when it was withdrawn before it)',
      ],
    });
  if (r.withdrawnAt !== null)
    events.push({
      at: r.withdrawnAt,
      beforeSameSecond: false,
      lines: [
        `withdrawn: ${r.withdrawnAt}`,
        '  its stored article was gone, so the feeds and pages stopped listing it (the record stays)',
      ],
    });
  return events.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
}

/**
 * `feedkeeper archive history`: every version, oldest first, each after the first with a word
 * diff of what changed ([-removed-]{+added+}), field by field; a withdrawal and a restore among
 * them at their time (they change no field, so no diff showed them).
 */
export function formatHistory(r: ArchiveRecord): string {
  const versions: Version[] = [...r.revisions, r];
  const lines = [
    `${r.title}`,
    `  ${r.id}`,
    `  ${versions.length} version${versions.length === 1 ? '' : 's'}`,
  ];
  const events = eventsOf(r);
  const showEventsBefore = (at: string | null): void => {
    while (
      events[0] !== undefined &&
      (at === null || events[0].at < at || (events[0].at === at && events[0].beforeSameSecond))
    )
      appendAll(lines, ['', ...events.shift()!.lines]);
  };
  versions.forEach((v, i) => {
    showEventsBefore(v.updatedAt);
    const label = i === versions.length - 1 ? 'current' : `revision ${i + 1}`;
    lines.push(
      '',
      `${label}: ${v.updatedAt}${i === 0 ? firstDate(v.updatedAt, r.publishedAt) : ''}`,
    );
    const prev = versions[i - 1];
    if (prev === undefined) {
      lines.push(`  title: ${v.title}`);
      return;
    }
    const fields: [string, string, string][] = [
      ['title', prev.title, v.title],
      ['url', prev.url, v.url],
      ['section', prev.section ?? '', v.section ?? ''],
      ['tags', prev.tags.join(', '), v.tags.join(', ')],
      ['summary', prev.summary, v.summary],
      ['body', bodyText(prev.body), bodyText(v.body)],
    ];
    const changed = fields.filter(([, a, b]) => a !== b);
    if (changed.length === 0) lines.push('  (no visible change)');
    for (const [name, a, b] of changed) lines.push(`  ${name}: ${indent(wordDiff(a, b))}`);
  });
  showEventsBefore(null);
  // Line by line: the diffs' own line breaks stay, any other control (a bidirectional one in a
  // title shows the rest of the line backwards) is written as JSON writes it, as in `show`.
  return lines.join('\n').split('\n').map(escapeControls).join('\n');
}

/**
 * What the first version's date is. A record keeps no archiving time: its first version is
 * dated by the article (a back-dated report, an embargo, a front-matter update), so calling
 * that date "first archived" stated a false fact (found by an outside try: an October date for
 * a record archived in December, an embargo hours ahead). Said as what it is.
 */
const firstDate = (updatedAt: string, publishedAt: string): string =>
  updatedAt === publishedAt
    ? ' (publication date)'
    : ` (update date; publication date ${publishedAt})`;

const indent = (text: string): string => text.replace(/\n(?=[^\n])/g, '\n    ');
