import type { ArchiveSummary, DatedRecord } from './report.js';

/** What one archive stage did, counted as it goes. */
export class Summary {
  added: string[] = [];
  revised: string[] = [];
  withdrawn: string[] = [];
  /** Withdrawn records whose stored article came back (edited or not). */
  restored: string[] = [];
  /** Records under embargo, never released, whose publication date moved (or was lifted). */
  rescheduled: string[] = [];
  /** Records under embargo, never released, whose text changed: their only version replaced. */
  amended: string[] = [];
  /** Stored articles whose declared update is ahead of the clock (in no order until done()). */
  updatesAhead: { path: string; updatedAt: string }[] = [];
  unchanged = 0;
  rejected = 0;
  duplicates = 0;
  drafts: string[] = [];
  dated: DatedRecord[] = [];
  /**
   * Records the outputs must show again though none was written: an unreadable record restored
   * (or deleted) by hand, which was in no output while it could not be read.
   */
  repaired = false;
  done(): ArchiveSummary {
    return {
      added: this.added,
      revised: this.revised,
      withdrawn: this.withdrawn,
      restored: this.restored,
      rescheduled: this.rescheduled,
      amended: this.amended,
      updatesAhead: this.updatesAhead.sort((a, b) =>
        a.updatedAt < b.updatedAt ? -1 : a.updatedAt > b.updatedAt ? 1 : a.path < b.path ? -1 : 1,
      ),
      unchanged: this.unchanged,
      rejected: this.rejected,
      duplicates: this.duplicates,
      drafts: this.drafts,
      dated: this.dated,
      recordsChanged:
        this.repaired ||
        this.added.length +
          this.revised.length +
          this.withdrawn.length +
          this.restored.length +
          this.rescheduled.length +
          this.amended.length >
          0,
    };
  }
}

/**
 * Why the feeds are rendered when records changed: what changed, counted ("the archive changed:
 * 1 restored"), so a restore is not mistaken for a publication left over from an earlier run.
 */
export function archiveChangeReason(a: ArchiveSummary): string | null {
  const counts = (
    [
      ['added', a.added],
      ['revised', a.revised],
      ['withdrawn', a.withdrawn],
      ['restored', a.restored],
      ['rescheduled', a.rescheduled],
      ['amended', a.amended],
    ] as const
  )
    .filter(([, list]) => list.length > 0)
    .map(([name, list]) => `${list.length} ${name}`);
  return counts.length === 0 ? null : `the archive changed: ${counts.join(', ')}`;
}
