import type { RecordEntry } from '../archive/catalogue.js';
import { mergeRecord, type Merge } from '../archive/merge-record.js';
import { withdrawnUnseen } from '../archive/plan-archive.js';
import type { ArchiveRecord, DateSource, InputRef, NormalizedArticle } from '../model/record.js';
import type { PublishState } from './publish-state.js';
import { isScheduled } from './release.js';

/**
 * Embargoes: a record whose publication date is after the run's clock is archived but not
 * published. The renderer's selection (select-entries.ts) and the gate's expectation
 * (validate/expected-feed.ts) both leave it out, the feed date ignores it (it would otherwise be
 * frozen at a future date), and the publish state remembers the scheduled records, so that the
 * first run at or after the next due time renders although no record changed (`releaseReason`)
 * and the `schedule` service can wake up for it (schedule/service.ts).
 *
 * Identity: an embargoed record is minted like any other (slug, path by the month of its
 * publication date), but its tag URI carries the day it was first archived, not the embargo
 * day (RFC 4151 section 2.1: the date is one on which the tagging entity owned the host, which a
 * future date cannot promise); so the id does not depend on the embargo date, and until the
 * record is released its date still follows the stored article (`mergeArriving`): nobody has
 * seen it, so nothing readers hold can go stale. From its release on it is minted for good.
 */
export interface Scheduled {
  /** The record's path below the records folder. */
  readonly record: string;
  readonly id: string;
  readonly publishedAt: string;
}

// The judgement itself is in release.ts, a module of its own: `status` and the report printer
// load it without the archive code this one brings.
export { isScheduled, releaseOf, type Release } from './release.js';

/**
 * Whether readers ever saw the record: it is out of embargo at `now`, or, withdrawn, it was
 * withdrawn after its embargo ended. One withdrawn before (its file deleted, or made a draft,
 * while under embargo) was never published, and nothing of it ever is.
 */
export const wasPublished = (
  r: {
    readonly publishedAt: string;
    readonly withdrawn: boolean;
    readonly withdrawnAt: string | null;
  },
  now: string,
): boolean =>
  !isScheduled(r.publishedAt, now) &&
  (!r.withdrawn || r.withdrawnAt === null || !isScheduled(r.publishedAt, r.withdrawnAt));

/**
 * The rows readers can see at `now`: published (wasPublished) and not left out as unrenderable.
 * What the archive chain, the pages and the subscription documents' history links are made
 * from, by the renderer (render-feeds.ts) and by the gate (prove-outputs.ts, `check`) alike: a
 * month or a month's part that holds only records under embargo is no archive document yet.
 * The same map when every row is visible (one pass, no copy of 100,000 rows).
 */
export function visibleRows<R extends Parameters<typeof wasPublished>[0]>(
  rows: ReadonlyMap<string, R>,
  now: string,
  leftOut: { readonly size: number; has(path: string): boolean },
): ReadonlyMap<string, R> {
  if (leftOut.size === 0 && !someUnpublished(rows.values(), now)) return rows;
  return new Map([...rows].filter(([path, r]) => wasPublished(r, now) && !leftOut.has(path)));
}

/** Whether any record was not published at `now` (one pass, no array of 100,000 rows). */
export function someUnpublished(
  records: Iterable<Parameters<typeof wasPublished>[0]>,
  now: string,
): boolean {
  for (const r of records) if (!wasPublished(r, now)) return true;
  return false;
}

/** The records still under embargo at `now`, the next due first (then by path). */
export function scheduledOf(records: ReadonlyMap<string, RecordEntry>, now: string): Scheduled[] {
  const out: Scheduled[] = [];
  for (const [record, r] of records)
    if (!r.withdrawn && isScheduled(r.publishedAt, now))
      out.push({ record, id: r.id, publishedAt: r.publishedAt });
  return out.sort((a, b) =>
    a.publishedAt < b.publishedAt
      ? -1
      : a.publishedAt > b.publishedAt
        ? 1
        : a.record < b.record
          ? -1
          : 1,
  );
}

/** The earliest due time of a list from `scheduledOf`, or null. */
export const nextDueOf = (scheduled: readonly Scheduled[] | undefined): string | null =>
  scheduled?.[0]?.publishedAt ?? null;

/**
 * Why a run with no changed record must render anyway: an embargo recorded at the last
 * publication has ended. Null when nothing has come due.
 */
export function releaseReason(state: PublishState | null, now: string): string | null {
  const due = (state?.scheduled ?? []).filter((s) => !isScheduled(s.publishedAt, now));
  if (due.length === 0) return null;
  const first = due[0] as Scheduled;
  return due.length === 1
    ? `the embargo on ${first.record} ended at ${first.publishedAt}`
    : `the embargoes on ${due.length} records ended (first ${first.record} at ${first.publishedAt})`;
}

/**
 * Whether no reader has seen the record: never released by a publication (dated after
 * `released`, even if the clock has passed its date since), or withdrawn before its embargo
 * ended. Its date still follows its article, and an edit of it is no revision.
 */
export const neverReleased = (
  r: { readonly publishedAt: string; readonly withdrawnAt: string | null },
  released: string,
): boolean => isScheduled(r.publishedAt, released) || withdrawnUnseen(r);

/**
 * `mergeRecord`, except for a record still under embargo: its publication date follows the
 * stored article's (a moved embargo, or one lifted by removing the date: published at once),
 * an edit before release does not make it look updated after its release, and the text it
 * replaces is kept as no revision: nobody saw it, so the history would show an unpublished
 * draft as a published version, at the same instant as the version released (found by an
 * outside try). The record holds the version released, as a draft never archived would.
 */
export function mergeArriving(
  existing: ArchiveRecord,
  a: NormalizedArticle,
  input: InputRef,
  clock: {
    readonly now: string;
    /** Up to when records were released (publish-state.ts, releasedUpTo): after it, unseen. */
    readonly released: string;
  },
  /** Which source gave `a.publishedAt` (normalize/date-sources.ts), when known. */
  publishedFrom?: DateSource,
): Merge {
  const { now } = clock;
  const merged = mergeRecord(existing, a, input, now);
  // Never released, even if its date has passed since (no build ran at its time, or it was
  // withdrawn before it): its date still follows the article. A moved embargo went out at its
  // old time otherwise.
  if (!neverReleased(existing, clock.released)) return merged;
  const publishedAt = a.publishedAt ?? now;
  const updatedAt = a.updatedAt !== null && a.updatedAt > publishedAt ? a.updatedAt : publishedAt;
  // The date's source follows the date; a record minted before sources were kept gets one only
  // when its date moves (otherwise its bytes stay as they were).
  const from =
    publishedFrom !== undefined &&
    (existing.publishedFrom !== undefined || publishedAt !== existing.publishedAt)
      ? { publishedFrom }
      : {};
  if (
    merged.kind === 'unchanged' &&
    publishedAt === existing.publishedAt &&
    updatedAt === existing.updatedAt &&
    (from.publishedFrom ?? existing.publishedFrom) === existing.publishedFrom
  )
    return merged;
  return {
    kind: merged.kind === 'unchanged' ? 'input-only' : merged.kind,
    record: { ...merged.record, publishedAt, ...from, updatedAt, revisions: existing.revisions },
  };
}
