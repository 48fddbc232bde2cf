import { join, relative } from 'node:path';
import { readRegular, unreadableBecause } from '../io/read-regular.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { gateRecordOf } from '../validate/gate-record.js';
import { readRecord } from '../archive/read-record.js';

/**
 * One record file read for the gate (validate/gate-record.ts says why not through
 * archive/read-record.ts). A file that does not read or parse is reported in the words the
 * renderer's reading has for it (RECORD_CORRUPT, RECORD_FOREIGN), so a run that meets it on both
 * paths reports it once; only the values the gate compares with are its own.
 */
export function readGateRecord(
  recordsDir: string,
  rel: string,
  root: string,
): { record: ArchiveRecord } | { issue: Issue } {
  const abs = join(recordsDir, rel);
  let got: { record: ArchiveRecord } | { why: string };
  try {
    got = gateRecordOf(readRegular(abs, true).toString('utf8'));
  } catch (error) {
    got = { why: unreadableBecause(abs, error) };
  }
  if ('record' in got) return got;
  const theirs = readRecord(recordsDir, rel, root);
  return 'issue' in theirs ? theirs : { issue: corrupt(relative(root, abs), got.why) };
}

const corrupt = (file: string, why: string): Issue =>
  issue(
    'RECORD_CORRUPT',
    'error',
    file,
    `${why} when read again to prove the outputs, though the renderer read it: nothing was published.`,
    'If the file changed during the run, run feedkeeper build again; otherwise this is a bug in feedkeeper (src/archive/read-record.ts accepts what the gate does not): report it with this message.',
  );
