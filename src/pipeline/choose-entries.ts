import { join, relative } from 'node:path';
import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { instantProblem, recordValueProblems } from '../normalize/feed-values.js';
import { selectEntries } from './select-entries.js';

/**
 * The entries the feeds list, and the records left out of them. One record that cannot be
 * rendered (unreadable, a value the feeds cannot carry, an id another listed record has) must
 * not stop the site's publication (issue 10: "blocked must never outlive its cause"): it is left
 * out, reported with its code and path, and the next newest record takes its place. The gate
 * (prove-outputs.ts) checks each left-out record again on its own path, so a record left out
 * for no reason is still refused.
 */
export interface Chosen {
  /** Record paths the feeds list, newest first. */
  readonly listed: string[];
  /** The listed records, in the same order. */
  readonly records: ArchiveRecord[];
  /** Left out, and why: every record among the newest that cannot be rendered. */
  readonly leftOut: ReadonlyMap<string, Issue>;
  /** What to report: why each record was left out. */
  readonly issues: Issue[];
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
): Chosen {
  const leftOut = new Map<string, Issue>();
  const issues: Issue[] = [];
  // Corrupt records the archive stage found (it reports them too: runOnce drops the repeat).
  for (const [path, i] of cat.corrupt)
    if (cat.records.has(path)) {
      leftOut.set(path, i);
      issues.push(i);
    }
  const read = new Map<string, ArchiveRecord>();
  const shown = (path: string): string => relative(root, join(recordsDir, path));
  for (;;) {
    const listed = selectEntries(cat, size, now, leftOut);
    const found = new Map<string, Issue>();
    const ids = new Map<string, string>();
    // Oldest first: of two records with one id, the older keeps it (readers have seen it).
    for (const path of [...listed].reverse()) {
      if (leftOut.has(path)) continue;
      const r = read.get(path) ?? fresh?.get(path) ?? readOne(recordsDir, path, root, found);
      if (r === null) continue;
      read.set(path, r);
      const wrong = recordValueProblems(r);
      const holder = ids.get(r.id);
      if (wrong.length > 0) found.set(path, unpublishable(shown(path), wrong));
      else if (holder !== undefined) found.set(path, idDuplicate(shown(path), r.id, shown(holder)));
      else ids.set(r.id, path);
    }
    // None new: done. (Or the selection keeps listing a record left out: the gate refuses it.)
    if (found.size === 0 || listed.some((p) => leftOut.has(p)))
      return {
        listed,
        records: listed.map((p) => read.get(p)).filter((r) => r !== undefined),
        leftOut,
        issues,
      };
    for (const [path, i] of found) {
      leftOut.set(path, i);
      issues.push(i);
    }
  }
}

function readOne(
  recordsDir: string,
  path: string,
  root: string,
  found: Map<string, Issue>,
): ArchiveRecord | null {
  const r = readRecord(recordsDir, path, root);
  if ('record' in r) return r.record;
  found.set(path, r.issue);
  return null;
}

const unpublishable = (file: string, wrong: readonly string[]): Issue =>
  issue(
    'RECORD_UNPUBLISHABLE',
    'error',
    file,
    `holds a value the feeds cannot carry (${wrong.join('; ')}); it is left out of the feeds, and the other entries are published.`,
    'Fix the value in the record by hand (docs/reference.md, "Values the feeds can carry"), or restore it from a backup, then run feedkeeper build: the record is checked again on every run.',
  );

const idDuplicate = (file: string, id: string, older: string): Issue =>
  issue(
    'RECORD_ID_DUPLICATE',
    'error',
    file,
    `has the id ${id}, which the older record ${older} has too; it is left out of the feeds (one id, one entry), and the other entries are published.`,
    `Give one of the two records another id by hand (ids are minted once: edit the "id" field of the one readers have not seen), then run feedkeeper build.`,
  );

/**
 * The index rows the feed date is taken from: not those left out, nor one whose date the feeds
 * cannot carry (a record of year 10000 made by an older version would date every feed so).
 */
export function* datedRows(
  rows: ReadonlyMap<string, RecordEntry>,
  leftOut: { has(path: string): boolean },
): Generator<RecordEntry> {
  for (const [path, row] of rows)
    if (!leftOut.has(path) && instantProblem(Date.parse(row.updatedAt)) === null) yield row;
}
