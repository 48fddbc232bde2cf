import { walkFiles } from '../io/walk-files.js';
import { fingerprintOf } from '../normalize/fingerprint.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import {
  emptyCatalogue,
  firstArchived,
  recordEntryOf,
  type Catalogue,
  type RecordEntry,
} from './catalogue.js';
import { readRecord, salvageOwner } from './read-record.js';

/** A stat no file has: the stored article it belongs to is read (and hashed) on the next run. */
export const UNKNOWN_STAT = { size: -1, mtimeMs: 0, ctimeMs: 0, ino: 0 } as const;

/**
 * Rebuild the catalogue from the records themselves (after a crash, on first use of an existing
 * archive, or when the catalogue is stale). Inputs get no stat, so each is read and hashed once
 * by the next step; and `rebuilt`, so that each is normalized then, even if its bytes are its
 * record's: what the file says beyond its text is in no record (its warnings, a publication
 * date it declares that its record kept its own, InputEntry.declared), and a row without it
 * published a story renamed and edited under that date as another one.
 *
 * Two live records of one article (the same stored file: a record minted while the article's
 * own record was unreadable, and the original restored since) are both indexed; the first
 * archived keeps the article and the other goes to `superseded`, for the run to withdraw. Two
 * live records of two stored files that share an id are not one article: an id edited by hand
 * (or two front matters declaring one). Both stay tied to their own file; merging them gave the
 * second file's text to the first record, whose own article was lost under a revision. The
 * feeds, archive documents and pages leave the newer one out (pipeline/leave-out.ts). An unreadable record keeps its article: the stored file it names (read from what is
 * left of its text, else from `previous`, the last catalogue's rows) is tied to it, so that the
 * article waits for the record to be repaired instead of getting a second one.
 */
export function rebuildCatalogue(
  recordsDir: string,
  root: string,
  previous: () => ReadonlyMap<string, RecordEntry> = () => new Map(),
): Catalogue {
  const c = emptyCatalogue();
  for (const rel of listRecordFiles(recordsDir)) {
    const read = readRecord(recordsDir, rel, root);
    if ('issue' in read) {
      c.corrupt.set(rel, read.issue);
      continue;
    }
    const r = read.record;
    const entry = recordEntryOf(r, fingerprintOf(r));
    c.records.set(rel, entry);
    if (r.withdrawnAt !== null) continue;
    const rival = c.inputs.get(r.input.path)?.record;
    const other = rival ? c.records.get(rival) : undefined;
    if (rival && other) {
      const [winner, loser] = firstArchived(other, entry) ? [rival, rel] : [rel, rival];
      c.superseded.set(loser, winner);
      if (winner === rival) continue;
    }
    c.inputs.set(r.input.path, {
      stat: UNKNOWN_STAT,
      sha256: r.input.sha256,
      record: rel,
      // After a crash: the records were made by this feedkeeper (an upgrade whose first run
      // was killed leaves some of older rules, normalized again on their next edit).
      normalizer: NORMALIZER_VERSION,
      issues: [],
      rebuilt: true,
    });
  }
  if (c.corrupt.size > 0) {
    let hints: ReadonlyMap<string, RecordEntry> | undefined;
    for (const rel of c.corrupt.keys()) {
      const input = salvageOwner(recordsDir, rel).input ?? (hints ??= previous()).get(rel)?.input;
      if (input === undefined || input === null || c.inputs.has(input)) continue;
      c.inputs.set(input, {
        stat: UNKNOWN_STAT,
        sha256: '',
        record: rel,
        normalizer: NORMALIZER_VERSION,
        issues: [],
      });
    }
  }
  return c;
}

/**
 * The records' paths, relative to the records folder. Links are followed (to a record, to a
 * year or month folder kept elsewhere) and a name that is not a regular file is listed too, so
 * that readRecord() reports it (RECORD_CORRUPT) instead of its article being minted again.
 */
export const listRecordFiles = (recordsDir: string): string[] =>
  walkFiles(recordsDir, (name) => name.endsWith('.json') && !name.startsWith('.'), true);
