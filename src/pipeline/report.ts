import type { Issue } from '../model/issue.js';

/** What one run did, printed by the CLI and appended to the run log. */
export interface ArchiveSummary {
  readonly added: string[];
  readonly revised: string[];
  readonly withdrawn: string[];
  readonly unchanged: number;
  readonly rejected: number;
  readonly duplicates: number;
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
  readonly published: boolean;
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
