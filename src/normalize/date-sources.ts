import { issue, type Issue } from '../model/issue.js';
import type { DateSource, NormalizedArticle } from '../model/record.js';
import { dateProblem, formatUtcSecond, toUtcSecond } from './dates.js';
import { EARLIEST, instantProblem } from './feed-values.js';

/**
 * Where an article's publication and update dates come from, in the order the site chooses
 * (`dates.sources`, README "Configuration"), as Hugo's `[":filename", ":default", ":fileModTime"]`:
 * - `frontMatter`: `date:` (publication) and `updated:` (update);
 * - `fileName`: a `YYYY-MM-DD` at the start of the file name, as Jekyll names posts
 *   (`2019-01-01-title.md`, `2019-01-01_title.txt`): midnight UTC that day; a file name holds one
 *   date, the publication's, so it gives no update date;
 * - `fileMtime`: the file's modification time (a copy or a checkout resets it: off by default);
 * - `firstSeen`: the time the article is first archived, the last resort, always present.
 * Pure: the caller brings the path, the mtime and the run's clock.
 */
export { DATE_SOURCES, type DateSource } from '../model/record.js';

export const DEFAULT_DATE_SOURCES: readonly DateSource[] = ['frontMatter', 'fileName', 'firstSeen'];

export interface DateFacts {
  /** The stored article's path (its last segment is the file name). */
  readonly path: string;
  readonly mtimeMs: number;
  /** The run's clock, UTC whole seconds: a modification time is never later than it. */
  readonly now: string;
}

/** Which source gave each date: what `build --json` reports for every new record. */
export interface DateOrigin {
  readonly publishedFrom: DateSource;
  readonly updatedFrom: DateSource;
  /**
   * A front-matter update passed over because it is ahead of the clock (DATE_UPDATED_AHEAD):
   * the first run at or after it takes it, and the service wakes up for it.
   */
  readonly updateAhead?: string;
}

export interface ResolvedDates {
  /** The article with `publishedAt` / `updatedAt` from the first source that has one (null: firstSeen). */
  readonly article: NormalizedArticle;
  /**
   * The publication date the newsroom wrote down (front matter or file name), if that source
   * is the one used: the identity planner keeps articles with different declared dates apart;
   * a modification time declares nothing (every edit moves it).
   */
  readonly declared: string | null;
  readonly origin: DateOrigin;
  readonly issues: readonly Issue[];
}

const FILE_NAME_DATE = /^(\d{4}-\d{2}-\d{2})(?!\d)/;

/** Whether a file name starts with a date, good or not (fileNameDate, fileNameDateProblem). */
export const namesDate = (path: string): boolean =>
  FILE_NAME_DATE.test(path.slice(path.lastIndexOf('/') + 1));

/** The date a file name starts with (Jekyll's `YYYY-MM-DD-title`), midnight UTC, or null. */
export function fileNameDate(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const m = FILE_NAME_DATE.exec(name);
  return m?.[1] === undefined ? null : toUtcSecond(m[1]);
}

/**
 * Why the date a file name starts with cannot be used (2019-02-30, not on the calendar; 1969-07-20,
 * before what feeds can carry), or null if it names none or a good one. Such a name was once
 * passed over without a word, and the article silently took the next source's date.
 */
export function fileNameDateProblem(path: string): string | null {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const m = FILE_NAME_DATE.exec(name);
  if (m?.[1] === undefined || toUtcSecond(m[1]) !== null) return null;
  const why = dateProblem(m[1]); // names the value when it is a date out of range
  return why.startsWith(`${m[1]} `) ? why : `${m[1]} is not a day of the calendar`;
}

/** A year ahead: later than that is more likely a typo (2062 for 2026) than an embargo. */
export const FAR_AHEAD_MS = 366 * 24 * 3600 * 1000;

/** Whether `publishedAt` is more than FAR_AHEAD_MS after `now` (both ISO instants). */
export const farAhead = (publishedAt: string, now: string): boolean =>
  Date.parse(publishedAt) - Date.parse(now) > FAR_AHEAD_MS;

export function resolveDates(
  a: NormalizedArticle,
  facts: DateFacts,
  sources: readonly DateSource[] = DEFAULT_DATE_SOURCES,
): ResolvedDates {
  // A modification time before 1970 (a file restored from an old archive, `touch -d 1960`)
  // is no date the feeds can carry: it minted a record that could never be published. It is
  // passed over, with a warning, like a file name's date out of range.
  const mtimeProblem = facts.mtimeMs < EARLIEST ? instantProblem(facts.mtimeMs) : null;
  const mtime =
    mtimeProblem === null ? formatUtcSecond(Math.min(facts.mtimeMs, Date.parse(facts.now))) : null;
  const published = (s: DateSource): string | null =>
    s === 'frontMatter'
      ? a.publishedAt
      : s === 'fileName'
        ? fileNameDate(facts.path)
        : s === 'fileMtime'
          ? mtime
          : null;
  const order = sources.includes('firstSeen') ? sources : [...sources, 'firstSeen' as const];
  const pick = (of: (s: DateSource) => string | null): [DateSource, string | null] => {
    for (const s of order) {
      const v = of(s);
      if (v !== null) return [s, v];
    }
    return ['firstSeen', null];
  };
  const [publishedFrom, publishedAt] = pick(published);
  // An update after the clock and after the publication (2036 for 2026) has not happened: taken
  // as it was, it was published at once and pinned every feed's date there for ten years (the
  // feed date never goes back). Passed over, with a warning, until its time (the file is read
  // again on every run meanwhile: pipeline/archive-articles.ts, onTheClock), and taken by the
  // first run at or after it, as an embargo is released (archive/merge-record.ts,
  // takeDeclaredUpdate); an edit after it is dated with it.
  const updatedAhead =
    a.updatedAt !== null &&
    a.updatedAt > facts.now &&
    (publishedAt === null || a.updatedAt > publishedAt)
      ? a.updatedAt
      : null;
  const updated = (s: DateSource): string | null =>
    s === 'frontMatter'
      ? updatedAhead === null
        ? a.updatedAt
        : null
      : s === 'fileMtime'
        ? mtime
        : null;
  const [updatedFrom, updatedAt] = pick(updated);
  const issues: Issue[] = [];
  // The file name was asked (no earlier source had a date) and its date could not be used.
  const nameProblem =
    order.indexOf('fileName') >= 0 && order.indexOf(publishedFrom) > order.indexOf('fileName')
      ? fileNameDateProblem(facts.path)
      : null;
  if (nameProblem !== null)
    issues.push(
      issue(
        'DATE_IN_NAME_IGNORED',
        'warning',
        facts.path,
        `starts with a date that was not used (${nameProblem}); it is dated from its ${describe(publishedFrom)} instead.`,
        'Fix the date in the file name (YYYY-MM-DD, from 1970-01-01 on), or set the date in front matter (date: 2026-11-25).',
      ),
    );
  if (
    mtimeProblem !== null &&
    order.indexOf('fileMtime') >= 0 &&
    order.indexOf(publishedFrom) > order.indexOf('fileMtime')
  )
    issues.push(
      issue(
        'DATE_MTIME_IGNORED',
        'warning',
        facts.path,
        `has a modification time that was not used (${new Date(facts.mtimeMs).toISOString()}: ${mtimeProblem}); it is dated from its ${describe(publishedFrom)} instead.`,
        'Set the date in front matter (date: 2026-11-25) or in the file name, or give the file a modification time from 1970 on (touch).',
      ),
    );
  if (updatedAhead !== null)
    issues.push(
      issue(
        'DATE_UPDATED_AHEAD',
        'warning',
        facts.path,
        `declares an update on ${updatedAhead} (front matter updated), after the clock and after its publication: that update has not happened yet, so the article is dated without it until then. The first run at or after ${updatedAhead} takes it: the record's update date becomes ${updatedAhead}, as a revision even if the text is the same, so the feeds show the item updated then.`,
        'If that is a typo (2036 for 2026), fix the date. If the update is planned, nothing to do: an edit of the text before then is published at once, dated when it is made, and the update date follows at its time.',
      ),
    );
  // An update before the publication cannot be (2026-11-20 for 2026-12-20?): the record's
  // update date is its publication date then (archive/merge-record.ts), which was done without
  // a word (found by an outside try).
  const updatedBefore =
    updatedFrom === 'frontMatter' &&
    updatedAt !== null &&
    publishedAt !== null &&
    updatedAt < publishedAt;
  if (updatedBefore)
    issues.push(
      issue(
        'DATE_UPDATED_BEFORE',
        'warning',
        facts.path,
        `declares an update on ${updatedAt} (front matter updated), before its publication on ${publishedAt} (from its ${describe(publishedFrom)}): an article is not updated before it is published, so that date is not used.`,
        'If that is a typo, fix the date; if the article was not updated, remove the updated: line.',
      ),
    );
  // A front-matter `date:` after the clock is an embargo. With frontMatter left out of
  // dates.sources (or after a source that has a date), it was dropped without a word and the
  // story published at once: an embargo leaked, which cannot be undone (found by an outside
  // try). Refused until the configuration or the file says otherwise; a date already past
  // loses nothing that cannot be corrected, so it is left to the site's choice.
  const frontMatterAhead =
    a.publishedAt !== null &&
    a.publishedAt > facts.now &&
    publishedFrom !== 'frontMatter' &&
    (publishedAt === null || publishedAt < a.publishedAt)
      ? a.publishedAt
      : null;
  if (frontMatterAhead !== null)
    issues.push(
      issue(
        'DATE_SOURCE_UNUSED',
        'error',
        facts.path,
        `declares the publication date ${frontMatterAhead} (front matter date), after the clock, but dates.sources ${order.includes('frontMatter') ? `takes its ${describe(publishedFrom)} first` : 'does not list frontMatter'}: it would be published ${publishedAt === null ? 'at once' : `on ${publishedAt}`}, before that date; it was not archived.`,
        `If the date is an embargo, add "frontMatter" to dates.sources in feedkeeper.config.json (first, to let it win); if it is not, remove the date: line from the article.`,
      ),
    );
  if (publishedAt !== null && farAhead(publishedAt, facts.now))
    issues.push(
      issue(
        'DATE_FAR_AHEAD',
        'warning',
        facts.path,
        `is dated ${publishedAt} (from its ${describe(publishedFrom)}), more than a year ahead: it is archived but not published until then.`,
        'If that is a typo (2062 for 2026), fix the date; if the embargo is meant, nothing to do.',
      ),
    );
  return {
    article: { ...a, publishedAt, updatedAt },
    declared: publishedFrom === 'frontMatter' || publishedFrom === 'fileName' ? publishedAt : null,
    origin: {
      publishedFrom,
      updatedFrom: updatedAt === null || updatedBefore ? publishedFrom : updatedFrom,
      ...(updatedAhead === null ? {} : { updateAhead: updatedAhead }),
    },
    issues,
  };
}

const describe = (s: DateSource): string =>
  s === 'frontMatter'
    ? 'front matter'
    : s === 'fileName'
      ? 'file name'
      : s === 'fileMtime'
        ? 'modification time'
        : 'first archive time';
