import { ttlOf } from '../model/ttl.js';
import { join, relative } from 'node:path';
import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
import { readGateRecord } from './read-gate-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { issue, type Issue } from '../model/issue.js';
import type { RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { FEED_BUG_HINT } from '../validate/checker.js';
import {
  expectedFeed,
  feedDateOf,
  selectionProblems,
  type IndexRow,
} from '../validate/expected-feed.js';
import { expectedChainOfChunks, leftOutKeys } from '../validate/expected-history-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { verifyOutputs } from '../validate/verify-outputs.js';
import { expectedChain } from '../validate/expected-history.js';
import { PART_SIZE } from '../model/feed-history.js';
import { siteSince } from './site-since.js';
import { instantProblem, recordValueProblems } from '../normalize/feed-values.js';
import { appendAll } from '../model/append-all.js';
import { visibleRows } from './embargo.js';

/**
 * The gate's I/O: the list of records the feeds must show, proven against the catalogue's index
 * rows by the verifier's own check (validate/expected-feed.ts), those record files read again
 * from disk (never the copies the renderer used), then the pure verifier. `build` calls it on
 * what it rendered, `check` on what is in out/.
 */
export function proveOutputs(
  rc: ResolvedConfig,
  catalogue: Catalogue,
  /** The record paths the feeds must list, newest first (pipeline/select-entries.ts). */
  listed: readonly string[],
  files: readonly RenderedFile[],
  /** A dry run wrote no record: it proves against the records it would have written. */
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
  /** The clock (UTC whole seconds): records published after it are under embargo. */
  now?: string,
  /** Records left out as unrenderable (pipeline/choose-entries.ts): each is checked again. */
  leftOut: {
    keys(): Iterable<string>;
    has(path: string): boolean;
    readonly size: number;
  } = new Map(),
  /**
   * The records table as saved (archive/record-view-file.ts savedRecordChunks), when `now` is
   * set: the feed date and the chain's history are taken from the chunks that can decide them,
   * not from every row (docs/development.md, step 5). null: from every row.
   */
  view: RecordChunks | null = null,
): { issues: Issue[]; entries: number } {
  const { config, paths, root } = rc;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const load = (path: string): { record: ArchiveRecord } | { issue: Issue } => {
    const pending = unwritten?.get(path);
    return pending ? { record: pending } : readGateRecord(paths.records, path, root);
  };
  const wrong = selectionProblems(
    view === null ? catalogue.records : selectionRows(view, listed, config.feed.size),
    listed,
    config.feed.size,
    now,
    leftOut,
  );
  appendAll(wrong, leftOutProblems(load, listed, leftOut, catalogue.records));
  if (wrong.length > 0)
    return {
      issues: files.map((f) =>
        issue(
          'FEED_SELECTION',
          'error',
          shown(f.row.file),
          `would list the wrong records: ${wrong.slice(0, 3).join('; ')}.`,
          `The feeds list the newest feed.size records that are neither withdrawn nor under embargo, newest first. ${FEED_BUG_HINT}`,
          'entries',
        ),
      ),
      entries: listed.length,
    };
  const records: ArchiveRecord[] = [];
  const issues: Issue[] = [];
  for (const path of listed) {
    const read = load(path);
    if (!('record' in read)) issues.push(read.issue);
    else {
      records.push(read.record);
      // As read here: a value the feeds cannot carry (a source.url with `|` from a record made
      // before the Sursa: line's URL rule) is published faithfully, and every format agrees.
      const bad = recordValueProblems(read.record);
      if (bad.length > 0)
        issues.push(listedUnpublishable(relative(root, join(paths.records, path)), bad));
    }
  }
  if (issues.length > 0) return { issues, entries: records.length };
  const verified = verifyOutputs({
    files,
    expected: expectedFeed(
      config.site,
      records,
      (view === null || now === undefined
        ? feedDateOf(datedRows(catalogue.records, leftOut), now)
        : feedDateOfChunks(view, leftOut, now)) ||
        Date.parse(siteSince(rc) ?? '1970-01-01T00:00:00Z'),
      ttlOf(config.schedule.cron),
    ),
    baseUrl: config.site.baseUrl,
    shown,
    // RFC 5005: complete, or prev-archive to the newest archive document, of the chain
    // readers can see: a month that holds only records under embargo has no document yet.
    history: (view === null || now === undefined
      ? expectedChain(
          now === undefined ? catalogue.records : visibleRows(catalogue.records, now, leftOut),
          config.feed.size,
          config.site.baseUrl,
          PART_SIZE,
        )
      : expectedChainOfChunks(
          view,
          now,
          leftOutKeys(leftOut, catalogue.records),
          config.feed.size,
          config.site.baseUrl,
          PART_SIZE,
        )
    ).subscription,
  });
  return { issues: verified, entries: records.length };
}

/** The rows the feed date is taken from: not those left out, nor one of a date feeds cannot carry. */
export function* datedRows(
  rows: Iterable<readonly [string, IndexRow]>,
  leftOut: { has(path: string): boolean },
): Generator<IndexRow> {
  for (const [path, row] of rows)
    if (!leftOut.has(path) && instantProblem(Date.parse(row.updatedAt)) === null) yield row;
}

/**
 * feedDateOf(datedRows(every row), now) from the chunks: read by the root's `newest` (the
 * latest updatedAt, withdrawnAt or restoredAt of a chunk's rows), latest first, until the date
 * found is at or after the next one's `newest`: none of its rows could date the feeds later.
 */
export function feedDateOfChunks(
  view: RecordChunks,
  leftOut: { has(path: string): boolean },
  now: string,
): number {
  let date = 0;
  const byNewest = [...view.chunks].sort((a, b) =>
    a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0,
  );
  for (const chunk of byNewest) {
    if (date > 0 && Date.parse(chunk.newest) <= date) break;
    date = Math.max(date, feedDateOf(datedRows(view.rows(chunk), leftOut), now));
  }
  return date;
}

/**
 * The rows selectionProblems() must see, from the chunks: the listed ones, and every row that
 * could be newer than the last listed (an unlisted one there is a selection fault). Chunks are
 * runs of the table in ascending [publishedAt, id descending] order (archive/record-chunks.ts),
 * read here newest first: once every listed row is found, every chunk from the last listed
 * row's on has been read, and the chunks before it hold no row newer than it. A feed with
 * free places is wrong if any visible row is left unlisted: every chunk is read then (an
 * archive smaller than the feed); so is every chunk when a listed row is in none (a faulty
 * selection, which may name any row, or none).
 */
export function selectionRows(
  view: RecordChunks,
  listed: readonly string[],
  size: number,
): Map<string, RecordEntry> {
  const rows = new Map<string, RecordEntry>();
  const missing = new Set(listed);
  for (let i = view.chunks.length - 1; i >= 0 && (missing.size > 0 || listed.length < size); i--)
    for (const [path, row] of view.rows(view.chunks[i]!)) {
      rows.set(path, row);
      missing.delete(path);
    }
  return rows;
}

/**
 * A record may be left out only if it cannot be rendered: it does not read, it holds a value
 * the feeds cannot carry, or another record that is published has its id (a listed record as
 * read, or any live record by its catalogue row). Read again here (never the copy the
 * selection used), so a selection that drops a good record is refused.
 */
function leftOutProblems(
  load: (path: string) => { record: ArchiveRecord } | { issue: Issue },
  listed: readonly string[],
  leftOut: { keys(): Iterable<string>; has(path: string): boolean },
  rows: ReadonlyMap<string, RecordEntry>,
): string[] {
  const problems: string[] = [];
  let ids: Map<string, Set<string>> | undefined;
  for (const path of leftOut.keys()) {
    const read = load(path);
    if (!('record' in read) || recordValueProblems(read.record).length > 0) continue;
    if (ids === undefined) {
      ids = new Map();
      const hold = (id: string, p: string): void => {
        const set = ids?.get(id) ?? new Set<string>();
        set.add(p);
        ids?.set(id, set);
      };
      for (const [p, row] of rows) if (!row.withdrawn && !leftOut.has(p)) hold(row.id, p);
      for (const p of listed) {
        const r = load(p);
        if ('record' in r) hold(r.record.id, p);
      }
    }
    const holders = ids.get(read.record.id);
    if (holders === undefined || [...holders].every((p) => p === path))
      problems.push(`${read.record.id} was left out, but it reads and every value checks`);
  }
  return problems;
}

const listedUnpublishable = (file: string, wrong: readonly string[]): Issue =>
  issue(
    'RECORD_UNPUBLISHABLE',
    'error',
    file,
    `holds a value the feeds cannot carry (${wrong.join('; ')}), yet the feeds would list it: nothing was published.`,
    `Fix the value in the record by hand (docs/reference.md, "Values the feeds can carry") and run feedkeeper build. A record with such a value is left out of the feeds before they are rendered, so its being listed is also a bug in feedkeeper: ${FEED_BUG_HINT}`,
  );
