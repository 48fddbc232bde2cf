import type { Catalogue } from '../archive/catalogue.js';
import type { RecordChunks } from '../archive/record-view.js';
import type { Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { headRows } from './feed-head.js';
import { selectEntries } from './select-entries.js';
import { Unpublishable } from './unpublishable.js';

/**
 * The entries the feeds list, and the records left out of them. One record that cannot be
 * rendered (unreadable, a value the feeds cannot carry, an id another record has:
 * unpublishable.ts) must not stop the site's publication (issue 10: "blocked must never
 * outlive its cause"): it is left out, reported with its code and path, and the next newest
 * record takes its place. The gate (prove-outputs.ts) checks each left-out record again on its
 * own path, so a record left out for no reason is still refused.
 */
export interface Chosen {
  /** Record paths the feeds list, newest first. */
  readonly listed: string[];
  /** The listed records, in the same order. */
  readonly records: ArchiveRecord[];
  /**
   * Left out, and why: every record among the newest that cannot be rendered, and every live
   * record whose catalogue row has the id of one archived before it.
   */
  readonly leftOut: ReadonlyMap<string, Issue>;
  /** What to report: why each record was left out. */
  readonly issues: Issue[];
  /**
   * The judge that chose them, for the records the rest of the run reads (render-feeds.ts): its
   * pass over every row to find shared ids is made once.
   */
  readonly judge: Unpublishable;
}

export function chooseEntries(
  cat: Catalogue,
  size: number,
  recordsDir: string,
  root: string,
  /** A dry run's records, which are not on disk. */
  fresh?: ReadonlyMap<string, ArchiveRecord>,
  /** The clock (UTC whole seconds): records published after it are under embargo. */
  now?: string,
  /** What the judge does with a record its catalogue row is behind (unpublishable.ts). */
  behind: 'throw' | 'report' = 'throw',
  /**
   * The same rows as saved in chunks (archive/record-view.ts): the newest chunks are read,
   * not every row (feed-head.ts). null: every row of `cat` (a catalogue not as saved).
   */
  view: RecordChunks | null = null,
): Chosen {
  const judge = new Unpublishable(cat, recordsDir, root, fresh, new Map(), behind);
  const read = new Map<string, ArchiveRecord>();
  for (;;) {
    const listed = selectEntries(
      view === null ? cat : { records: headRows(view, size, now, judge.leftOut) },
      size,
      now,
      judge.leftOut,
    );
    let found = false;
    // Oldest first: of two records with one id, the older keeps it (readers have seen it).
    for (const path of [...listed].reverse()) {
      if (read.has(path) || judge.leftOut.has(path)) continue;
      const r = judge.judge(path);
      if (r === null) found = true;
      else read.set(path, r);
    }
    // None new: done (each round leaves out one more record at least, so this ends; a
    // selection that lists a record left out is refused by the gate).
    if (!found)
      return {
        listed,
        records: listed.map((p) => read.get(p)).filter((r) => r !== undefined),
        leftOut: judge.leftOut,
        issues: [...judge.issues],
        judge,
      };
  }
}
