import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  appendRows,
  readTable,
  saveTable,
  type SavedTable,
  type TablePaths,
} from '../io/journaled-table.js';
import { syncDir } from '../io/atomic-write.js';
import { flushFiles } from '../io/flush-files.js';
import { ChangeMap, changedKeys } from '../model/change-map.js';
import type { RecordEntry } from './catalogue.js';
import { BUCKETS } from './input-buckets.js';
import {
  KeyIndex,
  keyIndexOf,
  RecordRows,
  type KeyBucketLoader,
  type KeyRoot,
} from './key-index.js';

/**
 * The records' index by key (archive/key-index.ts) on disk, in the state folder: `keys.json`
 * (+ `keys.journal`), the root, and `keys/xx.json` (+ `xx.journal`) per bucket (xx: the bucket
 * in hex), each a journaled table (io/journaled-table.ts) like the inputs' buckets. A bucket's
 * row: `[kind:key, path, …]`. The root's header names the records table's stamp and generation
 * it indexes and the ids two records or more hold; its rows, `[xx, stamp]`, the stamp of each
 * bucket's files. Saved after the records table (catalogue-file.ts, saveCatalogue), before the
 * inputs' root, so that:
 * - a root that names another records stamp or generation (a run killed between the two saves,
 *   an older state folder) is not used: the index is made again from the rows;
 * - a bucket whose files are not at the stamp the root names (killed between a bucket and the
 *   root, a file restored by hand) is not trusted either: the same.
 * Derived data: a rebuild of the catalogue (`build --full`, a killed run) writes it all anew.
 */
// 2: the `path:` rows (key-index.ts, pathKey); a root of version 1 is not used (made again).
const VERSION = 2;

/** The index's files, as the catalogue's files name them (catalogue-file.ts, CatalogueFiles). */
export interface KeyFiles {
  /** The root, `keys.json`. */
  readonly keys: string;
  readonly keysJournal: string;
  /** The buckets' folder, `keys/`. */
  readonly keysDir: string;
}

const rootTable = (files: KeyFiles): TablePaths => ({
  snapshot: files.keys,
  journal: files.keysJournal,
});

const hex = (bucket: number): string => bucket.toString(16).padStart(2, '0');

export const keyBucketTable = (files: KeyFiles, bucket: number): TablePaths => ({
  snapshot: join(files.keysDir, `${hex(bucket)}.json`),
  journal: join(files.keysDir, `${hex(bucket)}.journal`),
});

interface RootState {
  version?: number;
  generation?: string | null;
  records?: string;
  shared?: string[];
}
type RootRow = [bucket: string, stamp: string];
type BucketRow = [key: string, ...paths: string[]];

/**
 * The root, if it indexes the records table at `recordsStamp` of `generation`; null otherwise
 * (missing, unreadable, of another version, or of another state of the records).
 */
export function readKeyRoot(
  files: KeyFiles,
  recordsStamp: string,
  generation: string | null,
): KeyRoot | null {
  const stamps = new Array<string>(BUCKETS).fill('');
  try {
    const { state, saved } = readTable<RootState, RootRow>(
      rootTable(files),
      ([b, stamp]) => {
        const n = Number.parseInt(b, 16);
        if (b.length === 2 && n >= 0 && n < BUCKETS) stamps[n] = stamp;
      },
      (b) => {
        stamps[Number.parseInt(b, 16)] = '';
      },
    );
    if (
      state.version !== VERSION ||
      generation === null ||
      state.generation !== generation ||
      state.records !== recordsStamp ||
      !Array.isArray(state.shared)
    )
      return null;
    return { stamps, shared: state.shared, saved, records: recordsStamp, generation };
  } catch {
    return null;
  }
}

/** Reads one bucket's files, trusted only at the stamp the root names. */
const loaderOf =
  (files: KeyFiles): KeyBucketLoader =>
  (bucket, stamp) => {
    const rows = new ChangeMap<string, readonly string[]>();
    try {
      const { state, saved } = readTable<{ version?: number }, BucketRow>(
        keyBucketTable(files, bucket),
        ([key, ...paths]) => rows.put(key, paths),
        (key) => rows.delete(key),
      );
      if (state.version !== VERSION || saved.stamp !== stamp) return null;
      return { rows, saved };
    } catch {
      return null;
    }
  };

/**
 * Give `records` (read whole from the records table at `recordsStamp`) the index saved for
 * them, or one made from them when first asked if none was saved for this state of the records.
 */
export function attachKeyIndex(
  files: KeyFiles,
  records: Map<string, RecordEntry>,
  recordsStamp: string,
  generation: string | null,
): void {
  if (!(records instanceof RecordRows)) return;
  const root = readKeyRoot(files, recordsStamp, generation);
  records.index =
    root === null ? KeyIndex.of(records) : KeyIndex.opened(records, root, loaderOf(files));
}

/**
 * Save the index of `records` after the records table was saved at `recordsStamp`: the buckets
 * that changed (a journal line each, or a snapshot), then the root (a journal line, or a
 * snapshot when there is none to extend). An index made in memory (a rebuilt catalogue, a root
 * that was not trusted) writes every bucket anew and removes the files of the empty ones.
 * Writes nothing when nothing changed and the root already names this state of the records.
 */
export function saveKeyIndex(
  files: KeyFiles,
  records: ReadonlyMap<string, RecordEntry>,
  generation: string | null,
  recordsStamp: string,
  wrote: string[],
): void {
  const index = keyIndexOf(records);
  const fresh = index.fresh;
  const root = index.root;
  const set: RootRow[] = [];
  // An index written whole (256 snapshots) is made durable by one flush, not a fsync per file
  // (twice the time of a 500-article catalogue's save otherwise), before the root names them.
  const unsynced: string[] = [];
  for (const { bucket, rows, saved } of [...index.readBuckets()]) {
    const paths = keyBucketTable(files, bucket);
    const changed = changedKeys(rows)?.size ?? 0;
    let now = saved;
    if (rows.size === 0) {
      now = null;
      if (fresh || index.stamp(bucket) !== '')
        for (const f of [paths.snapshot, paths.journal])
          if (existsSync(f)) {
            rmSync(f, { force: true });
            wrote.push(f);
          }
    } else if (fresh || changed > 0 || saved === null) {
      now = saveTable(
        paths,
        fresh ? null : saved,
        { version: VERSION, bucket },
        rows,
        rowOf,
        wrote,
        undefined,
        !fresh,
      );
      if (fresh) unsynced.push(paths.snapshot);
    }
    const stamp = now?.stamp ?? '';
    if (fresh || stamp !== index.stamp(bucket)) set.push([hex(bucket), stamp]);
    index.savedBucket(bucket, now);
  }
  if (unsynced.length > 0) {
    flushFiles(files.keysDir, unsynced);
    syncDir(files.keysDir);
  }
  const shared = [...index.sharedIds()].sort();
  const state = { version: VERSION, generation, records: recordsStamp, shared };
  let saved: SavedTable | null = null;
  if (root !== null && !fresh) {
    if (
      set.length === 0 &&
      root.records === recordsStamp &&
      root.generation === generation &&
      sameList(root.shared, shared)
    )
      saved = root.saved;
    else saved = appendRows(rootTable(files), root.saved, state, set, [], wrote);
  }
  if (saved === null) {
    const all = new Map<string, RootRow>();
    for (let b = 0; b < BUCKETS; b++) all.set(hex(b), [hex(b), index.stamp(b)]);
    saved = saveTable(rootTable(files), null, state, all, (_, row) => row, wrote);
  }
  index.savedRoot({ saved, records: recordsStamp, generation });
  if (fresh) index.release(loaderOf(files));
}

const rowOf = (key: string, paths: readonly string[]): BucketRow => [key, ...paths];

const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);
