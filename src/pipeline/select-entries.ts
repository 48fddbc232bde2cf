import type { Catalogue } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { byPublishedDesc } from '../render/feed-document.js';

/** The records the feeds list: the newest `size` not withdrawn, from the catalogue alone. */
export function selectEntries(cat: Catalogue, size: number): string[] {
  return [...cat.records]
    .filter(([, r]) => !r.withdrawn)
    .map(([path, r]) => ({ path, id: r.id, publishedAt: r.publishedAt }))
    .sort(byPublishedDesc)
    .slice(0, size)
    .map((s) => s.path);
}

/** Read the selected records (only those: never the whole archive). */
export function loadEntries(
  paths: readonly string[],
  recordsDir: string,
  root: string,
  fresh?: ReadonlyMap<string, ArchiveRecord>,
): { records: ArchiveRecord[]; issues: Issue[] } {
  const records: ArchiveRecord[] = [];
  const issues: Issue[] = [];
  for (const path of paths) {
    const known = fresh?.get(path);
    if (known) {
      records.push(known);
      continue;
    }
    const read = readRecord(recordsDir, path, root);
    if ('record' in read) records.push(read.record);
    else issues.push(read.issue);
  }
  return { records, issues };
}
