import type { RecordEntry } from '../archive/catalogue.js';
import type { RecordChunks } from '../archive/record-view.js';
import { issue, type Issue } from '../model/issue.js';
import { FEED_BUG_HINT } from './checker.js';

/**
 * The last line against an embargo published early: whatever the renderer and the rest of the
 * gate decided, no output of a run may carry a record still under embargo at the run's clock.
 * Deliberately its own code: the records under embargo are found here by comparing dates, not
 * by the `visibleRows()` / `wasPublished()` the renderer and the chain oracle share, so a fault
 * there (which the outside fault-injection try used to publish a story 19 days early, with exit 0)
 * cannot hide itself. Costs nothing when no record is under embargo.
 */
export interface Embargoed {
  readonly record: string;
  readonly publishedAt: string;
  readonly id: string;
}

/** The live records under embargo at `now` (UTC, whole seconds: a string comparison). */
export function embargoedAt(
  records: ReadonlyMap<
    string,
    {
      readonly id: string;
      readonly publishedAt: string;
      readonly withdrawn: boolean;
    }
  >,
  now: string,
): Embargoed[] {
  const out: Embargoed[] = [];
  for (const [record, r] of records)
    if (!r.withdrawn && r.publishedAt > now)
      out.push({ record, publishedAt: r.publishedAt, id: r.id });
  return out;
}

/**
 * embargoedAt() over a records table saved in chunks (archive/record-view.ts), reading only the
 * chunks the root says hold a row dated after `now` (its last key's date: the chunks are runs
 * of the table in date order), usually none. Its own reading of the root, not the one the
 * renderer's selection makes (pipeline/feed-head.ts).
 */
export function embargoedIn(records: RecordChunks, now: string): Embargoed[] {
  const after = new Map<string, RecordEntry>();
  for (const chunk of records.chunks)
    if (chunk.last[0] > now) for (const [record, r] of records.rows(chunk)) after.set(record, r);
  return embargoedAt(after, now);
}

/**
 * Whether a feed or archive document lists the record with this id as an entry: its id as an
 * RSS `<guid>`, as the `<id>` of an Atom `<entry>` (the feed's own `<id>` comes before the
 * first entry), or as a JSON Feed item's `"id"` (the feed object has no such key). Not the id
 * anywhere in the text: an id may be an address every output carries (a front matter's
 * `id: https://news.example.org/` is the site's link) or a URL another article cites (its
 * `Source:` line), and a live article linking to a story coming out later must not stop
 * every publication until then (found by an outside try).
 */
export function listsEntry(text: string, id: string): boolean {
  if (text.includes(`>${id}</guid>`)) return true;
  const entries = text.indexOf('<entry');
  if (entries >= 0 && text.includes(`<id>${id}</id>`, entries)) return true;
  const json = JSON.stringify(id);
  return text.includes(`"id":${json}`) || text.includes(`"id": ${json}`);
}

/**
 * The problem with an output that shows a record under embargo: it lists the record as an
 * entry (listsEntry()), or it is that record's own page (`pageOf`). null when it shows none.
 */
export function embargoLeak(
  file: string,
  text: string,
  embargoed: readonly Embargoed[],
  pageOf?: string,
): Issue | null {
  for (const e of embargoed)
    if (e.record === pageOf || listsEntry(text, e.id))
      return issue(
        'EMBARGO_LEAK',
        'error',
        file,
        `shows ${e.record}, which is under embargo until ${e.publishedAt}: it must not be published before then.`,
        FEED_BUG_HINT,
        '(embargo)',
      );
  return null;
}
