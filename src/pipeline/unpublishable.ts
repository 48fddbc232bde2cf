import { join, relative } from 'node:path';
import { firstArchived, recordEntryOf, type Catalogue } from '../archive/catalogue.js';
import { fingerprintOf } from '../normalize/fingerprint.js';
import { keyIndexOf, type KeyIndex } from '../archive/key-index.js';
import { readRecord } from '../archive/read-record.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { recordValueProblems } from '../normalize/feed-values.js';
import { behindIssue, CatalogueBehindError, rowBehind } from './catalogue-behind.js';

/**
 * One rule for every output (the subscription documents, the RFC 5005 archive documents, the
 * pages): a record that cannot be published is left out of all of them, reported with its code
 * and path on every run, and the rest of the site publishes (issue 10: "blocked must never
 * outlive its cause"). Cannot be published: it does not read (`RECORD_CORRUPT`, or
 * `RECORD_FOREIGN`), it holds a value the feeds cannot carry (`RECORD_UNPUBLISHABLE`), or it is
 * live with an id a record archived before it holds (`RECORD_ID_DUPLICATE`: one id, one entry,
 * in the whole chain, RFC 4287 section 4.2.6). Its own article page is not rendered either; the
 * page published before it broke, if any, stays as it was (nothing can be rendered from it, and
 * a link readers followed keeps working) and is rendered again once it is repaired.
 *
 * Judged on what a run reads anyway: the newest records (choose-entries.ts) and the records of
 * every archive document and page the run renders (render-feeds.ts); a record of a document
 * that is not rendered again is not read, so a hand edit there shows at its next render, or at
 * `build --full`, which renders everything.
 */
export class Unpublishable {
  /** Left out, and why. */
  readonly leftOut: Map<string, Issue>;
  /** The problems found here, in the order found (those already in `leftOut` are not). */
  readonly issues: Issue[] = [];
  /** Each id live records share → the record that keeps it (the first archived). */
  private readonly keepers = new Map<string, string>();
  /** The records' index by key. */
  private readonly keys: KeyIndex;
  /** Left out before the shared ids were judged: not holders of their ids. */
  private readonly excluded: ReadonlySet<string>;
  /** Ids read from records judged publishable in this run (an id edited by hand). */
  private readonly claimed = new Map<string, string>();

  constructor(
    private readonly cat: Catalogue,
    private readonly recordsDir: string,
    private readonly root: string,
    /** A dry run's records, which are not on disk. */
    private readonly fresh?: ReadonlyMap<string, ArchiveRecord>,
    /** Left out already (by an earlier judge of this run). */
    leftOut: ReadonlyMap<string, Issue> = new Map(),
    /**
     * A record its catalogue row is behind (catalogue-behind.ts): build throws, to start again
     * with the catalogue rebuilt; `check`, which writes nothing, reports it and leaves it out.
     */
    private readonly behind: 'throw' | 'report' = 'throw',
  ) {
    this.leftOut = new Map(leftOut);
    // Corrupt records the archive stage found (it reports them too: runOnce drops the repeat).
    for (const [path, i] of cat.corrupt) if (cat.records.has(path)) this.add(path, i);
    // Live rows sharing an id (both files' ids as read by `build --full`, which rebuilds the
    // catalogue from the records): the first archived keeps it, readers have seen it. The ids
    // two records or more hold are kept by the records' index by key (archive/key-index.ts):
    // usually none, and no pass over the rows.
    this.keys = keyIndexOf(cat.records);
    this.excluded = new Set(this.leftOut.keys());
    const shared = new Map<string, string[]>();
    for (const id of this.keys.sharedIds()) {
      const paths = this.liveHolders(id);
      if (paths.length >= 2) shared.set(id, paths);
    }
    for (const [id, paths] of inFirstRowOrder(cat, shared)) {
      let keeper = paths[0] ?? '';
      for (const p of paths) if (this.olderThan(p, keeper)) keeper = p;
      this.keepers.set(id, keeper);
      for (const p of paths)
        if (p !== keeper && !this.readBehind(p))
          this.add(p, idDuplicate(this.shown(p), id, this.shown(keeper)));
    }
  }

  /** The live records that hold `id` and were not left out before the shared ids were judged. */
  private liveHolders(id: string): string[] {
    return this.keys
      .holders('id', id)
      .filter((p) => this.cat.records.get(p)?.withdrawn === false && !this.excluded.has(p));
  }

  /** The live record that keeps `id`: the first archived of those that share it. */
  private holderOf(id: string, path: string): string | undefined {
    const kept = this.keepers.get(id);
    if (kept !== undefined) return kept;
    // The record judged, live, holding by its row an id the index says no two rows share: it
    // is the id's only live holder, so the index's bucket is not read (one bucket file per
    // record judged was 40 ms of a one-new run at 10,000 articles).
    const row = this.cat.records.get(path);
    if (
      row?.id === id &&
      row.withdrawn === false &&
      !this.excluded.has(path) &&
      !this.keys.sharedIds().has(id)
    )
      return path;
    return this.liveHolders(id)[0];
  }

  /**
   * Read one record and judge it: the record, or null when it is left out (then in `leftOut`
   * and `issues`). One left out already is not read again.
   */
  judge(path: string): ArchiveRecord | null {
    if (this.leftOut.has(path)) return null;
    const fresh = this.fresh?.get(path);
    const read = fresh ? { record: fresh } : readRecord(this.recordsDir, path, this.root);
    if ('issue' in read) {
      this.add(path, read.issue);
      return null;
    }
    const r = read.record;
    if (!fresh && this.isBehind(path, r)) return null;
    const wrong = recordValueProblems(r);
    if (wrong.length > 0) {
      this.add(path, unpublishable(this.shown(path), wrong));
      return null;
    }
    if (r.withdrawnAt !== null) return r;
    // Its id as read (a hand edit the catalogue does not know yet): another record's, or one
    // another record read in this run took first.
    const holder = this.holderOf(r.id, path) ?? this.claimed.get(r.id);
    if (holder !== undefined && holder !== path) {
      this.add(path, idDuplicate(this.shown(path), r.id, this.shown(holder)));
      return null;
    }
    this.claimed.set(r.id, path);
    return r;
  }

  /**
   * Whether the record's catalogue row is behind it (catalogue-behind.ts): then build sets the
   * row from the record and throws, to render again; `check` reports it and leaves it out.
   */
  private isBehind(path: string, r: ArchiveRecord): boolean {
    const row = this.cat.records.get(path);
    const behind = row === undefined ? null : rowBehind(row, r);
    if (behind === null) return false;
    if (this.behind === 'throw') {
      this.cat.records.set(path, recordEntryOf(r, fingerprintOf(r)));
      throw new CatalogueBehindError(this.shown(path), behind, this.cat);
    }
    this.add(path, behindIssue(this.shown(path), behind));
    return true;
  }

  /**
   * Whether a row that shares its id is behind its record: the record is read (only those
   * whose rows share an id, few). An id given back by hand after RECORD_ID_DUPLICATE was
   * otherwise left out on the row's word, and the gate, which reads the record, refused every
   * publication ("left out, but it reads and every value checks").
   */
  private readBehind(path: string): boolean {
    if (this.fresh?.has(path) === true) return false;
    const read = readRecord(this.recordsDir, path, this.root);
    return 'record' in read && this.isBehind(path, read.record);
  }

  private olderThan(a: string, b: string): boolean {
    const x = this.cat.records.get(a);
    const y = this.cat.records.get(b);
    return x !== undefined && y !== undefined && a !== b && firstArchived(x, y);
  }

  private add(path: string, i: Issue): void {
    if (this.leftOut.has(path)) return;
    this.leftOut.set(path, i);
    this.issues.push(i);
  }

  private shown(path: string): string {
    return relative(this.root, join(this.recordsDir, path));
  }
}

/**
 * The shared ids and their holders in the order of the records' rows (the order they are
 * reported in): one pass over the rows, made only when an id is shared (a broken archive).
 */
function inFirstRowOrder(
  cat: Catalogue,
  shared: ReadonlyMap<string, readonly string[]>,
): [string, string[]][] {
  if (shared.size === 0) return [];
  const wanted = new Set<string>();
  for (const paths of shared.values()) for (const p of paths) wanted.add(p);
  const at = new Map<string, number>();
  let i = 0;
  for (const path of cat.records.keys()) if (wanted.has(path)) at.set(path, i++);
  const order = (p: string): number => at.get(p) ?? 0;
  const out: [string, string[]][] = [...shared].map(([id, paths]) => [
    id,
    [...paths].sort((a, b) => order(a) - order(b)),
  ]);
  return out.sort(([, a], [, b]) => order(a[0]!) - order(b[0]!));
}

const unpublishable = (file: string, wrong: readonly string[]): Issue =>
  issue(
    'RECORD_UNPUBLISHABLE',
    'error',
    file,
    `holds a value the feeds cannot carry (${wrong.join('; ')}); it is left out of the feeds, the archive documents and the pages, and the rest is published.`,
    'Fix the value in the record by hand (docs/reference.md, "Values the feeds can carry"), or restore it from a backup, then run feedkeeper build: the record is checked again on every run.',
  );

const idDuplicate = (file: string, id: string, older: string): Issue =>
  issue(
    'RECORD_ID_DUPLICATE',
    'error',
    file,
    `has the id ${id}, which the older record ${older} has too; it is left out of the feeds, the archive documents and the pages (one id, one entry), both files are kept as they are, and the rest is published.`,
    `Ids are minted once: give this record back its own id (restore it from your backup or version control; a minted id is tag:<host>,<YYYY-MM-DD of publishedAt>:<slug>), then run feedkeeper build.`,
  );
