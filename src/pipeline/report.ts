import type { Issue } from '../model/issue.js';
import type { DateSource } from '../normalize/date-sources.js';

/** A record added in this run, with where its dates came from (`dates.sources`). */
export interface DatedRecord {
  readonly record: string;
  readonly publishedAt: string;
  readonly publishedFrom: DateSource;
  readonly updatedAt: string;
  readonly updatedFrom: DateSource;
}

/** A record archived but not yet published: its embargo ends at `publishedAt`. */
export interface ScheduledRecord {
  readonly record: string;
  readonly id: string;
  readonly publishedAt: string;
}

/** What one run did, printed by the CLI and appended to the run log. */
export interface ArchiveSummary {
  readonly added: string[];
  readonly revised: string[];
  readonly withdrawn: string[];
  /**
   * Withdrawn records whose stored article came back, edited or not (an edit is kept as a
   * revision, but the record is counted here, not under `revised`): each gets a `restoredAt`.
   */
  readonly restored: string[];
  /**
   * Records under embargo that no publication has released, whose publication date moved with
   * their stored article (an embargo moved, or lifted: published at once). Not `revised`: no
   * reader saw the record, and it gets no revision (pipeline/embargo.ts, mergeArriving).
   */
  readonly rescheduled: string[];
  /**
   * Records under embargo that no publication has released, whose text was edited (and whose
   * date did not move: that is `rescheduled`). Not `revised`: the edit replaces the version
   * nobody saw, and the record keeps no revision of it.
   */
  readonly amended: string[];
  /**
   * Stored articles whose front-matter update is ahead of the clock (DATE_UPDATED_AHEAD), the
   * next due first: the first run at or after `updatedAt` takes it (archive/merge-record.ts,
   * takeDeclaredUpdate), and `feedkeeper schedule` wakes up for it.
   */
  readonly updatesAhead: readonly { readonly path: string; readonly updatedAt: string }[];
  readonly unchanged: number;
  readonly rejected: number;
  readonly duplicates: number;
  /** Stored articles with `draft: true`: not archived (pipeline/drafts.ts). */
  readonly drafts: string[];
  /** The records added in this run and where their dates came from. */
  readonly dated: DatedRecord[];
  /** Whether any record changed: the feeds must then be rendered again. */
  readonly recordsChanged: boolean;
}

export interface FeedSummary {
  /** Why the feeds were (or were not) rendered this run. */
  readonly rendered: boolean;
  readonly reason: string;
  readonly entries: number;
  readonly written: string[];
  readonly unchanged: string[];
  /**
   * How many pages (article, month and front pages) this run rendered, whether or not their
   * bytes changed: what a run cost beyond the feeds (absent when nothing was rendered).
   */
  readonly pagesRendered?: number;
  readonly published: boolean;
  /**
   * Records the last publication held under embargo that this run publishes (or, dry, would):
   * their time came, or their embargo was lifted. An embargo's release changes no record (its
   * date was archived with it), so the archive counts alone read like a run that only rendered
   * again; this says what readers got.
   */
  readonly released: readonly string[];
  /** Records under embargo, next due first (pipeline/embargo.ts); as of the last publication. */
  readonly scheduled: readonly ScheduledRecord[];
}

export interface RunReport {
  readonly archive: ArchiveSummary;
  readonly feeds: FeedSummary | null;
  /** Every file this run wrote (records, feeds, state), relative to the configuration root. */
  readonly written: string[];
  readonly issues: Issue[];
  readonly dryRun: boolean;
  /** Set when the run first completed a publication a kill had cut between two renames. */
  readonly repaired?: string;
}
