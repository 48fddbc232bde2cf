import type { Catalogue, InputEntry } from '../archive/catalogue.js';
import { mintRecord, takeDeclaredUpdate, withdrawRecord } from '../archive/merge-record.js';
import type { Action } from '../archive/plan-archive.js';
import { allocateSlug, recordPathFor, tagUri } from '../archive/record-path.js';
import { issue, type Issue } from '../model/issue.js';
import { newIdProblem } from '../normalize/feed-values.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import { isScheduled, mergeArriving, neverReleased } from './embargo.js';
import type { Arriving } from './examine-article.js';
import type { PagesHeld } from './pages-held.js';
import type { RecordStore } from './record-store.js';
import type { Summary } from './summary.js';

/** Carry out the identity planner's actions (archive/plan-archive.ts): the records it writes. */
export async function applyPlan(
  actions: readonly Action[],
  arrived: ReadonlyMap<string, Arriving>,
  world: {
    readonly store: RecordStore;
    readonly catalogue: Catalogue;
    readonly summary: Summary;
    readonly issues: Issue[];
    /** The page files records' URLs hold: a minted slug never takes one (pages-held.ts). */
    readonly pages: PagesHeld;
    readonly mint: {
      readonly now: string;
      /** Records dated after it were never released (publish-state.ts, releasedUpTo). */
      readonly released: string;
      readonly host: string;
      readonly baseUrl: string;
    };
  },
): Promise<void> {
  const { store, catalogue: c, summary: s, issues, pages, mint } = world;
  // The page files the arrivals of this call name, by arrival: one later in path order than an
  // article minted before it is not saved yet. Those refused (a duplicate, an id taken) hold
  // nothing.
  let arriving: Map<string, string> | null = null;
  const arrivingPages = (): Map<string, string> => {
    if (arriving !== null) return arriving;
    const refused = new Set(
      actions.flatMap((x) => (x.kind === 'duplicate' || x.kind === 'id-taken' ? [x.path] : [])),
    );
    arriving = new Map();
    for (const [path, x] of arrived) {
      const file = refused.has(path) ? null : pages.fileOf(x.article.url);
      if (file !== null && !arriving.has(file)) arriving.set(file, path);
    }
    return arriving;
  };
  for (const action of actions) {
    if (action.kind === 'withdraw') {
      const existing = await store.load(action.record);
      const entry = c.records.get(action.record);
      if (existing === null || entry === undefined) continue;
      await store.save(action.record, withdrawRecord(existing, mint.now), entry.fingerprint);
      s.withdrawn.push(action.record);
      continue;
    }
    const x = arrived.get(action.path);
    if (x === undefined) continue;
    const a = x.article;
    const keep = (record: string | null, extra: Issue[] = [], declared?: string): void =>
      setInput(c, action.path, {
        stat: x.stat,
        sha256: x.input.sha256,
        record,
        normalizer: NORMALIZER_VERSION,
        issues: [...x.warnings, ...extra],
        ...(declared === undefined ? {} : { declared }),
      });
    const path = action.path;
    const idTaken = (owner: string): void => {
      const taken = issue(
        'ARTICLE_ID_TAKEN',
        'error',
        path,
        `declares id ${a.id ?? ''}, which ${owner} already uses.`,
        'Give each article its own id in front matter, or remove the id line to let feedkeeper mint one.',
      );
      issues.push(taken);
      keep(null, [taken]);
      s.rejected++;
    };
    if (action.kind === 'keep') {
      const existing = await store.load(action.record);
      if (existing === null) {
        s.rejected++; // its record is corrupt: leave both the record and the catalogue entry
        continue;
      }
      const arriving = mergeArriving(existing, a, x.input, mint, x.origin?.publishedFrom);
      // A front-matter update the last run passed over as ahead of its clock, now come: taken
      // (merge-record.ts, takeDeclaredUpdate). Read from the row the last run left, before
      // keep() below replaces it; the file was read again for it (onTheClock).
      const merged =
        a.updatedAt !== null &&
        x.origin?.updatedFrom === 'frontMatter' &&
        !x.warnings.some((i) => i.code === 'DATE_UPDATED_AHEAD') &&
        c.inputs.get(path)?.issues.some((i) => i.code === 'DATE_UPDATED_AHEAD') === true
          ? takeDeclaredUpdate(existing, arriving, a.updatedAt)
          : arriving;
      if (merged.kind !== 'unchanged')
        await store.save(action.record, merged.record, a.fingerprint);
      pages.note(action.record, merged.record.url);
      // An embargo moved or lifted changes what the feeds will carry, and when: reported, so
      // that a dry run says so and the run's reason is the change, not "an earlier run did not
      // publish" (found by an outside try). As what it is, not as a revision: a record nobody
      // saw gets none (mergeArriving), and `archive show` said "revisions 0" after a build
      // said "revised" (found by an outside try).
      const moved = merged.record.publishedAt !== existing.publishedAt;
      const unseen = neverReleased(existing, mint.released);
      if (merged.kind === 'restored') s.restored.push(action.record);
      else if (unseen && moved) s.rescheduled.push(action.record);
      else if (unseen && merged.kind === 'revised') s.amended.push(action.record);
      else if (merged.kind === 'revised') s.revised.push(action.record);
      else s.unchanged++;
      const { kept, declared } = keptByRecord(path, x, action.record, merged.record, mint.released);
      for (const i of kept) issues.push(i);
      keep(action.record, kept, declared);
    } else if (action.kind === 'mint') {
      // The planner matches ids against the records of the run before; an article minted
      // earlier in this run may hold the id this one declares, or the id this one would be
      // minted (a declared id equal to another article's minted id): never two records, one id.
      const holder = a.id === null ? undefined : store.ids.get(a.id);
      if (holder !== undefined) {
        idTaken(c.records.get(holder)?.input ?? holder);
        continue;
      }
      // Here, not in the front matter's schema: an article whose record already holds such an
      // id (archived before this rule) declares it and keeps its record (a `keep` above).
      const odd = a.id === null ? null : newIdProblem(a.id);
      if (odd !== null) {
        const refused = issue(
          'FRONT_MATTER_INVALID',
          'error',
          path,
          `has an invalid front matter value for "id": ${odd}; the article is not archived.`,
          'Write another id in front matter (tag:<host>,<YYYY-MM-DD>:<name>, RFC 4151), or remove the id line to let feedkeeper mint one.',
        );
        issues.push(refused);
        keep(null, [refused]);
        s.rejected++;
        continue;
      }
      // Never over a file that is there, whatever the catalogue says (store.occupied). The
      // minted id's date is the publication day, or today for an embargo (merge-record.ts).
      // Nor a slug whose page another article's front-matter url names (attackA #4): the
      // render gives the file to one of them only, and the other's feed link opened that one.
      const publishedAt = a.publishedAt ?? mint.now;
      const tagDate = publishedAt < mint.now ? publishedAt : mint.now;
      const heldByOther = (file: string): boolean => {
        const by = pages.holder(file) ?? arrivingPages().get(file);
        return by !== undefined && by !== path;
      };
      const slug = allocateSlug(
        a.slugBase,
        (x) =>
          store.slugs.has(x) ||
          store.occupied(recordPathFor(publishedAt, x)) ||
          store.ids.has(tagUri(mint.host, tagDate, x)) ||
          heldByOther(`articles/${x}.html`),
      );
      const record = mintRecord(a, x.input, {
        ...mint,
        slug,
        ...(x.origin !== undefined ? { publishedFrom: x.origin.publishedFrom } : {}),
      });
      const rel = recordPathFor(record.publishedAt, slug);
      await store.save(rel, record, a.fingerprint);
      pages.note(rel, record.url);
      s.added.push(rel);
      if (x.origin !== undefined)
        s.dated.push({
          record: rel,
          publishedAt: record.publishedAt,
          publishedFrom: x.origin.publishedFrom,
          updatedAt: record.updatedAt,
          updatedFrom: x.origin.updatedFrom,
        });
      keep(rel);
    } else if (action.kind === 'duplicate') {
      // A copy of the text the other file had before its edit in this run (a backup).
      const edited = arrived.get(action.of)?.article.fingerprint;
      const dup = issue(
        'ARTICLE_DUPLICATE',
        'warning',
        action.path,
        edited !== undefined && edited !== a.fingerprint
          ? `has the title and text ${action.of} had before this run's edit of it (a copy of the published version); it is not archived again.`
          : `has the same title and text as ${action.of}; it is not archived again.`,
        `Delete one of the two files; ${action.of} stays the article's source (if you delete ${action.of}, this file takes over its record).`,
      );
      issues.push(dup);
      keep(null, [dup]);
      s.duplicates++;
    } else idTaken(action.owner);
  }
}

/**
 * What a file kept by its record declares that the record did not take: its date
 * (DATE_PUBLISHED_KEPT) and its id (ARTICLE_ID_KEPT), said on every run while they differ, and
 * the date, for the row (InputEntry.declared): the planner's next question about this record
 * (plan-archive.ts, `declaredKept`). Also what a row rebuilt from the records learns from its
 * unchanged file (archive-articles.ts).
 */
export function keptByRecord(
  path: string,
  x: Arriving,
  record: string,
  r: { readonly publishedAt: string; readonly id: string },
  released: string,
): { kept: Issue[]; declared?: string } {
  const date = dateKept(path, x, record, r.publishedAt, released);
  const kept = [date, idKept(path, x.article.id, record, r.id)].filter(
    (i): i is Issue => i !== null,
  );
  const declared = x.declared ?? undefined;
  return date === null || declared === undefined ? { kept } : { kept, declared };
}

/**
 * A published record keeps its date (readers have the item under it), whatever date its article
 * declares later: an edited `date:`, or a file renamed to start with a date. Said, not silent,
 * on every run while the two differ.
 */
function dateKept(
  path: string,
  x: Arriving,
  record: string,
  publishedAt: string,
  now: string,
): Issue | null {
  const declared = x.declared ?? null;
  if (declared === null || declared === publishedAt || isScheduled(publishedAt, now)) return null;
  const byName = x.origin?.publishedFrom === 'fileName';
  return issue(
    'DATE_PUBLISHED_KEPT',
    'warning',
    path,
    `declares the publication date ${declared} (${byName ? 'its file name' : 'front matter date'}), but its record ${record} was published on ${publishedAt}: a published date never changes (readers already have the item under it), so the record keeps it.`,
    byName
      ? 'Nothing to do if this is the same story. To silence this, take the date out of the file name.'
      : `Nothing to do if this is the same story. To silence this, set the front matter back to date: ${publishedAt}.`,
  );
}

/**
 * An id never changes: an article whose front matter declares an id no record has, kept by its
 * record (an edit in place, its text), keeps the record's id. Said, not silent: the newsroom
 * may think the feeds now carry the new one.
 */
function idKept(path: string, declared: string | null, record: string, id: string): Issue | null {
  if (declared === null || declared === id) return null;
  return issue(
    'ARTICLE_ID_KEPT',
    'warning',
    path,
    `declares id ${declared}, but its record ${record} has id ${id}: an id never changes (feed readers would show the story again as a new item), so the record keeps it.`,
    `Nothing to do if this is the same story. To silence this, set the front matter back to id: ${id}, or remove the id line.`,
  );
}

/** The catalogue row of a stored article. */
export function setInput(c: Catalogue, path: string, entry: InputEntry): void {
  c.inputs.set(path, entry);
}
