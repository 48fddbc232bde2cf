import { join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Issue } from '../model/issue.js';
import type { RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { expectedFeed, listedRecords } from '../validate/expected-feed.js';
import { verifyOutputs } from '../validate/verify-outputs.js';

/**
 * The gate's I/O: which records the feeds must list (chosen by the verifier's own selection
 * from the catalogue's index rows, not by pipeline/select-entries.ts), those record files read
 * again from disk (never the copies the renderer used), then the pure verifier. `build` calls
 * it on what it rendered, `check` on what is in out/.
 */
export function proveOutputs(
  rc: ResolvedConfig,
  catalogue: Catalogue,
  files: readonly RenderedFile[],
  /** A dry run wrote no record: it proves against the records it would have written. */
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
): { issues: Issue[]; entries: number } {
  const { config, paths, root } = rc;
  const records: ArchiveRecord[] = [];
  const issues: Issue[] = [];
  for (const path of listedRecords(catalogue.records, config.feed.size)) {
    const pending = unwritten?.get(path);
    const read = pending ? { record: pending } : readRecord(paths.records, path, root);
    if ('record' in read) records.push(read.record);
    else issues.push(read.issue);
  }
  if (issues.length > 0) return { issues, entries: records.length };
  const verified = verifyOutputs({
    files,
    expected: expectedFeed(config.site, records),
    baseUrl: config.site.baseUrl,
    shown: (file) => relative(root, join(paths.out, file)),
  });
  return { issues: verified, entries: records.length };
}
