import type { RecordEntry } from '../archive/catalogue.js';
import { lastChange } from '../archive/last-change.js';
import type { ChunkSummary } from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { byPublishedDesc } from '../model/newest-first.js';
import { clockBehind, type ClockBehind } from './clock-behind.js';
import { instantProblem } from '../normalize/feed-values.js';
import { scheduledOf, type Scheduled } from './embargo.js';

/**
 * The head of the feeds and their dates from the records' chunks (archive/record-view.ts),
 * reading the newest chunks only (docs/development.md, "Steps 3 to 5 after step 2", step 3):
 * each function here says which chunks can decide the answer, from the root's summaries, and
 * hands their rows to the function of every row it stands for (select-entries.ts,
 * last-change.ts, embargo.ts, clock-behind.ts), which decides as it always did. So the rule is
 * written once, a fault in it is one fault on both paths (tests/gate injects them there), and
 * tests/pipeline/feed-head.test.ts proves each choice of chunks against the function of every
 * row on seeded random tables.
 *
 * What the root says of a chunk is enough: its rows are a contiguous run of the order
 * (record-chunks.ts: publishedAt, then id descending, the exact reverse of the feeds' order),
 * so its `last` key holds its newest publishedAt, and only chunks whose `last[0]` is after the
 * clock hold rows under embargo; its `newest` is the newest updatedAt, withdrawnAt or
 * restoredAt of its rows, the most any of them can give the feed date.
 */

type Rows = Map<string, RecordEntry>;

/** The rows of `chunks`, in order, as one map (what the functions of every row take). */
function rowsOf(view: RecordChunks, chunks: Iterable<ChunkSummary>): Rows {
  const out: Rows = new Map();
  for (const chunk of chunks) for (const [path, r] of view.rows(chunk)) out.set(path, r);
  return out;
}

/**
 * The rows `selectEntries(…, size, now, leftOut)` needs to choose the feeds' newest `size`:
 * chunks read newest first until `size` rows pass (live, not under embargo at `now`, not left
 * out) and the next older chunk ends strictly before the last of them (byPublishedDesc), so
 * that no row left unread could take a place, not even on a tie. With nothing withdrawn,
 * embargoed or left out among the newest, that is one or two chunks; a row left out later
 * (choose-entries.ts asks again) reads on from there. The rows come in the table's order, so
 * rows that tie (one date, one id: only records sharing an id, which the judge leaves out but
 * one) are met in the order a whole load of the table meets them.
 */
export function headRows(
  view: RecordChunks,
  size: number,
  now: string | undefined,
  leftOut: { has(path: string): boolean },
): Rows {
  const chunks = view.chunks;
  let from = chunks.length;
  /** The passing rows found so far, newest first: the `size`-th is the last that gets in. */
  let passed = 0;
  let lastIn: RecordEntry | undefined;
  while (from > 0) {
    const next = chunks[from - 1]!;
    if (
      size <= 0 ||
      (lastIn !== undefined &&
        byPublishedDesc({ publishedAt: next.last[0], id: next.last[1] }, lastIn) > 0)
    )
      break;
    from--;
    const rows = view.rows(next);
    for (let i = rows.length - 1; i >= 0 && passed < size; i--) {
      const [path, r] = rows[i]!;
      if (r.withdrawn || (now !== undefined && r.publishedAt > now) || leftOut.has(path)) continue;
      if (++passed === size) lastIn = r;
    }
  }
  return rowsOf(view, chunks.slice(from));
}

/**
 * The feed date, `lastChange(datedRows(rows, leftOut), now)` over every row: the chunks read
 * by their `newest`, latest first, until the date found is at or after the next one's `newest`
 * (none of its rows can be later). Usually the chunk the last article went to, and one more
 * for each chunk whose latest change is a record still under embargo or left out.
 */
export function feedDate(
  view: RecordChunks,
  leftOut: { has(path: string): boolean },
  now: string,
): string | null {
  let date: string | null = null;
  const byNewest = [...view.chunks].sort((a, b) =>
    a.newest < b.newest ? 1 : a.newest > b.newest ? -1 : 0,
  );
  for (const chunk of byNewest) {
    if (date !== null && chunk.newest <= date) break;
    const found = lastChange(datedRows(view.rows(chunk), leftOut), now);
    if (found !== null && (date === null || found > date)) date = found;
  }
  return date;
}

/** The chunks that may hold a row dated after `now`: none, usually. */
const datedAfter = (view: RecordChunks, now: string): ChunkSummary[] =>
  view.chunks.filter((c) => c.last[0] > now);

/** `scheduledOf(rows, now)` over every row: the rows under embargo are in datedAfter() alone. */
export const scheduledIn = (view: RecordChunks, now: string): Scheduled[] =>
  scheduledOf(rowsOf(view, datedAfter(view, now)), now);

/**
 * `clockBehind(rows, published, now)` over every row. It counts the records the last
 * publication listed that are dated after `now` and at or before its clock: they are in the
 * chunks whose range meets that span, none when the clock is not behind (every run but those
 * after a clock went back).
 */
export function clockBehindIn(
  view: RecordChunks,
  published: Parameters<typeof clockBehind>[1],
  now: string,
): ClockBehind | null {
  const clock = published?.clock;
  const chunks =
    clock === undefined || clock <= now
      ? []
      : view.chunks.filter((c) => c.last[0] > now && c.first[0] <= clock);
  return clockBehind(rowsOf(view, chunks), published, now);
}

/**
 * The index rows the feed date is taken from: not those left out, nor one whose date the feeds
 * cannot carry (a record of year 10000 made by an older version would date every feed so).
 */
export function* datedRows(
  rows: Iterable<readonly [string, RecordEntry]>,
  leftOut: { has(path: string): boolean },
): Generator<RecordEntry> {
  for (const [path, row] of rows)
    if (!leftOut.has(path) && instantProblem(Date.parse(row.updatedAt)) === null) yield row;
}
