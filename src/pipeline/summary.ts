import type { ArchiveSummary, DatedRecord } from './report.js';

/** What one archive stage did, counted as it goes. */
export class Summary {
  added: string[] = [];
  revised: string[] = [];
  withdrawn: string[] = [];
  unchanged = 0;
  rejected = 0;
  duplicates = 0;
  drafts: string[] = [];
  dated: DatedRecord[] = [];
  /**
   * Records the outputs must show again though none was written: an unreadable record restored
   * (or deleted) by hand, which was in no output while it could not be read.
   */
  restored = false;
  done(): ArchiveSummary {
    return {
      added: this.added,
      revised: this.revised,
      withdrawn: this.withdrawn,
      unchanged: this.unchanged,
      rejected: this.rejected,
      duplicates: this.duplicates,
      drafts: this.drafts,
      dated: this.dated,
      recordsChanged:
        this.restored || this.added.length + this.revised.length + this.withdrawn.length > 0,
    };
  }
}
