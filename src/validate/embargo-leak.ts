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
  /**
   * What an output listing it holds: its id as an element's text (RSS guid, Atom id) or as a
   * JSON string (JSON Feed). Not its URL: a live article may link to a story coming out later,
   * and that link must not stop the publication.
   */
  readonly needles: readonly string[];
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
      out.push({
        record,
        publishedAt: r.publishedAt,
        needles: [`>${r.id}<`, `"${r.id}"`],
      });
  return out;
}

/**
 * The problem with an output that shows a record under embargo: its text holds the record's id,
 * or it is that record's own page (`pageOf`). null when it shows none.
 */
export function embargoLeak(
  file: string,
  text: string,
  embargoed: readonly Embargoed[],
  pageOf?: string,
): Issue | null {
  for (const e of embargoed)
    if (e.record === pageOf || e.needles.some((n) => text.includes(n)))
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
