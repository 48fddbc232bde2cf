import { ttlOf } from '../model/ttl.js';
import { join, relative } from 'node:path';
import { readGateRecord } from '../pipeline/read-gate-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { issue, type Issue } from '../model/issue.js';
import type { RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { FEED_BUG_HINT } from '../validate/checker.js';
import { expectedFeed } from '../validate/expected-feed.js';
import type { ExpectedChain } from '../validate/expected-history.js';
import { verifyOutputs } from '../validate/verify-outputs.js';

/**
 * The gate for one archive document, as proveOutputs is for the subscription documents: the
 * records it must list come from the verifier's own chain (validate/expected-history.ts), are
 * read again from disk, and each file is read back and compared with them, with its RFC 5005
 * flags and links. `listed` is what the render path chose: it must be the oracle's list.
 */
export function proveArchiveDoc(
  rc: ResolvedConfig,
  chain: ExpectedChain,
  name: string,
  listed: readonly string[] | null,
  files: readonly RenderedFile[],
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
): Issue[] {
  const { config, paths, root } = rc;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const want = chain.doc(name);
  const wrong =
    want === undefined
      ? `there is no archive document ${name} in the chain`
      : listed !== null && listed.join('\n') !== want.listed.join('\n')
        ? `it lists ${listed.length} records; the chain says ${want.listed.length}, or in another order`
        : null;
  if (wrong !== null || want === undefined)
    return files.map((f) =>
      issue(
        'FEED_SELECTION',
        'error',
        shown(f.row.file),
        `would list the wrong records: ${wrong ?? name}.`,
        `An archive document lists the live records of its month (or part of a month), newest first. ${FEED_BUG_HINT}`,
        'entries',
      ),
    );
  const records: ArchiveRecord[] = [];
  const issues: Issue[] = [];
  for (const path of want.listed) {
    const pending = unwritten?.get(path);
    const read = pending ? { record: pending } : readGateRecord(paths.records, path, root);
    if ('record' in read) records.push(read.record);
    else issues.push(read.issue);
  }
  if (issues.length > 0) return issues;
  return verifyOutputs({
    files,
    expected: expectedFeed(config.site, records, want.updated, ttlOf(config.schedule.cron)),
    baseUrl: config.site.baseUrl,
    shown,
    history: want.history,
  });
}
