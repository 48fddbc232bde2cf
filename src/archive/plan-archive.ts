import { byPublishedDesc } from '../model/newest-first.js';
import { firstArchived, type RecordEntry } from './catalogue.js';

/**
 * The identity rules, as one pure function: which record each changed stored article belongs
 * to. A wrong answer is permanent (ids are minted once and kept forever) and a subscriber sees
 * it as a duplicate, a vanished or a re-announced item, so the rules are a table of cases in
 * tests/archive/plan-archive.test.ts, one row per rule. pipeline/archive-articles.ts reads the
 * files and the records, calls this, and applies the plan.
 *
 * Content comes before path, in this order, each step over every arrival before the next
 * (step 0 first: a file edited in place beside a copy of its old text keeps its record):
 * 1. The same id (front matter) or the same text (fingerprint) as a free record: that record,
 *    unless the article declares another publication date than the record's (below).
 *    A record is free when its stored article disappeared or changed in this run, or it was
 *    withdrawn. This is how a moved file, two swapped names, a file that comes back and a
 *    duplicate that outlives its original keep (or take over) the right record.
 * 2. The record this file held before, if nobody took it in step 1: an edit in place.
 * 3. The same text as a record another file holds: a duplicate (or, with a different text
 *    under the same id, ARTICLE_ID_TAKEN). Nothing is archived.
 * 4. A free record with a similar text (SIMILAR, below): moved and edited in one step, or
 *    deleted and back edited; never one whose id or declared publication date the article
 *    contradicts (a templated article, a daily bulletin that replaces yesterday's file,
 *    is another article: declared dates keep them apart).
 * 5. Otherwise a new record.
 * Free records nobody took are withdrawn: their text is in no stored article any more.
 */
export interface Arrival {
  /** The stored article's path (relative to the working directory). */
  readonly path: string;
  /** What readers see, hashed (normalize/fingerprint.ts). */
  readonly fingerprint: string;
  /** The id its front matter declares, if any. */
  readonly id: string | null;
  /** The publication date its front matter declares, if any. */
  readonly publishedAt: string | null;
  /** Its text as shingles (`shinglesOf`), for step 4. */
  readonly shingles: ReadonlySet<string>;
  /** The record this path held before this run, if any. */
  readonly own: string | null;
}

export interface PlanInput {
  readonly records: ReadonlyMap<string, RecordEntry>;
  /** Sorted by path, so the plan never depends on the order the disk lists files in. */
  readonly arrivals: readonly Arrival[];
  /** Records whose stored article disappeared or changed in this run. */
  readonly freed: ReadonlySet<string>;
  /** The text of the free records an arrival may be an edited version of (step 4). */
  readonly candidates: ReadonlyMap<string, ReadonlySet<string>>;
  /** `indexRecords(records)`, when the caller keeps it up to date across calls. */
  readonly index?: RecordIndex;
  /**
   * The run's clock (UTC whole seconds): a record published after it is still under embargo,
   * never seen by readers, and its date follows its article, however the article declares it.
   */
  readonly now?: string;
  /**
   * Up to when records were released to readers (the last publication's clock): a record
   * dated after it was never seen, even if `now` has passed its date. Defaults to `now`.
   */
  readonly released?: string;
  /**
   * By record: the publication date its file declared while the record kept its own (a date
   * given or edited after publication, DATE_PUBLISHED_KEPT; the catalogue's
   * InputEntry.declared). That date is already this record's article's: the file renamed, or
   * copied, under it is not another article.
   */
  readonly declaredKept?: { get(record: string): string | undefined };
}

/**
 * The records by fingerprint and by id. Two records can share an id (a record minted while the
 * article's own was unreadable, withdrawn when the original came back): the id then names the
 * live one, else the first archived.
 */
export interface RecordIndex {
  readonly byFingerprint: Map<string, string[]>;
  readonly byId: Map<string, string>;
}

/**
 * `only`: the texts and ids the run's arrivals have, when they are known before planning. The
 * planner looks up nothing else, and every record with one of them is indexed, so its entries
 * for those keys are the same as the whole index's: a run of one new article among 100,000
 * indexes a record or two instead of all (a tenth of the run). `holders`: the records that hold
 * a text or an id (the records' index by key, archive/key-index.ts), so that finding them needs
 * no pass over the rows either; they are indexed oldest first, the records table's own order.
 */
export function indexRecords(
  records: ReadonlyMap<string, RecordEntry>,
  only?: { readonly fingerprints: ReadonlySet<string>; readonly ids: ReadonlySet<string> },
  holders?: (kind: 'fingerprint' | 'id', key: string) => readonly string[],
): RecordIndex {
  const index: RecordIndex = { byFingerprint: new Map(), byId: new Map() };
  if (only !== undefined && only.fingerprints.size === 0 && only.ids.size === 0) return index;
  if (only !== undefined && holders !== undefined) {
    const found = new Map<string, RecordEntry>();
    const take = (path: string): void => {
      const r = records.get(path);
      if (r !== undefined) found.set(path, r);
    };
    for (const f of only.fingerprints) for (const path of holders('fingerprint', f)) take(path);
    for (const id of only.ids) for (const path of holders('id', id)) take(path);
    const oldestFirst = [...found].sort(([, a], [, b]) => byPublishedDesc(b, a));
    for (const [path, r] of oldestFirst) addToIndex(index, path, r, records);
    return index;
  }
  for (const [path, r] of records)
    if (only === undefined || only.fingerprints.has(r.fingerprint) || only.ids.has(r.id))
      addToIndex(index, path, r, records);
  return index;
}

/** The texts and ids the planner looks up for these arrivals (indexRecords' `only`). */
export function keysOf(
  arriving: Iterable<{ readonly fingerprint: string; readonly id: string | null }>,
): {
  fingerprints: Set<string>;
  ids: Set<string>;
} {
  const fingerprints = new Set<string>();
  const ids = new Set<string>();
  for (const x of arriving) {
    fingerprints.add(x.fingerprint);
    if (x.id !== null) ids.add(x.id);
  }
  return { fingerprints, ids };
}

export function addToIndex(
  index: RecordIndex,
  path: string,
  r: RecordEntry,
  records: ReadonlyMap<string, RecordEntry>,
): void {
  const same = index.byFingerprint.get(r.fingerprint);
  if (same === undefined) index.byFingerprint.set(r.fingerprint, [path]);
  else if (!same.includes(path)) same.push(path);
  const held = index.byId.get(r.id);
  const other = held === undefined || held === path ? undefined : records.get(held);
  if (other === undefined || keepsArticle(r, other)) index.byId.set(r.id, path);
}

/** Of two records with one id or one text, the one an article goes to: live, then first archived. */
const keepsArticle = (a: RecordEntry, b: RecordEntry): boolean =>
  a.withdrawn !== b.withdrawn ? !a.withdrawn : firstArchived(a, b);

export type How = 'own' | 'same text' | 'same id' | 'similar';

export type Action =
  | { readonly kind: 'keep'; readonly path: string; readonly record: string; readonly how: How }
  | { readonly kind: 'mint'; readonly path: string }
  | { readonly kind: 'duplicate'; readonly path: string; readonly of: string }
  | { readonly kind: 'id-taken'; readonly path: string; readonly owner: string }
  | { readonly kind: 'withdraw'; readonly record: string };

/**
 * How alike two texts must be for an edited file to keep its record: git's rename detection
 * takes 50% similarity, and so do we: the Dice coefficient of the two texts' word pairs
 * (`similarity`), at least 0.5. Rewording a sentence or two of a news article keeps it above;
 * another article on the same topic shares far fewer word pairs.
 */
export const SIMILAR = 0.5;

export function planArchive(input: PlanInput): Action[] {
  const { records, arrivals, freed, candidates } = input;
  // Only the arrivals' texts and ids are looked up: a run with none (the common case after the
  // articles were planned one by one) indexes nothing.
  const { byFingerprint, byId } = input.index ?? indexRecords(records, keysOf(arrivals));
  const claimed = new Map<string, string>(); // record → the arrival that holds it now
  const decided = new Map<string, Action>(); // arrival path → its action
  const isFree = (rec: string): boolean =>
    !claimed.has(rec) && (freed.has(rec) || records.get(rec)?.withdrawn === true);
  // A withdrawn record comes back for a file that has no record of its own (deleted, then back):
  // a file that has one keeps it, even if its text goes back to a withdrawn record's (such as
  // one withdrawn because its article's first record was restored: RECORD_SUPERSEDED).
  const mayTake = (a: Arrival, rec: string): boolean =>
    isFree(rec) && (a.own === null || !records.has(a.own) || freed.has(rec));
  const claim = (a: Arrival, record: string, how: How): void => {
    claimed.set(record, a.path);
    decided.set(a.path, { kind: 'keep', path: a.path, record, how });
  };
  const pending = (): Arrival[] => arrivals.filter((a) => !decided.has(a.path));
  const first = (best: string | null, rec: string): string => {
    const [x, y] = [best === null ? undefined : records.get(best), records.get(rec)];
    return best !== null && (y === undefined || (x !== undefined && firstArchived(x, y)))
      ? best
      : rec;
  };
  /** Who holds a record that is not free: the arrival that took it, or its own file. */
  const holder = (rec: string): string => claimed.get(rec) ?? records.get(rec)?.input ?? rec;

  // A declared date (front matter, file name) that is not the record's: another article (a
  // daily bulletin replacing yesterday's file, a template), never that record, except:
  // - the file's own, or the record its file name held (its date edited after publication, in
  //   place or while the file was a draft or away, keeps its record);
  // - one never released (nobody saw it: renaming `2026-12-25-x.md` to `2026-12-24-x.md`
  //   moves the embargo; it minted a second record), or withdrawn before its embargo ended
  //   (deleted while under embargo, written again with a new one after the old time passed:
  //   never published, so it keeps its slug and id rather than come out as `-2`);
  // - one whose file name another arrival of this run now has (names shuffled, as in a swap of
  //   two dated files: each record follows its text; given its old name's new text instead,
  //   each id held the other story);
  // - one whose date nobody declared (first seen, a modification time), given a date that has
  //   come: `story.md` renamed `2026-10-15-story.md` is the same story with a date in its
  //   name; with a text only similar, only under that name with the date put in front (a
  //   bulletin replacing an undated one is another article). A date still to come is an
  //   embargo: a story not out yet, never one readers have.
  // - one whose file already declared that date, which the record did not take (published
  //   before it was given or edited: DATE_PUBLISHED_KEPT): the same article, renamed or
  //   edited since (`declaredKept`), and a copy of it is a duplicate. Compared with the
  //   record's date alone, a story dated after publication, then renamed and edited in one
  //   step, was published again.
  // A record that does not know where its date came from (minted before records kept it) is
  // taken as declared: the rule as it was. These exemptions are for a free record (steps 1,
  // 4): a record another file holds (step 3) is that file's article, and the same text under
  // another declared date is another article, even while that record is under embargo.
  const arrivingAt = new Set(arrivals.map((a) => a.path));
  const released = input.released ?? input.now;
  const dateCame = (a: Arrival): boolean =>
    input.now === undefined || (a.publishedAt ?? '') <= input.now;
  const dateGiven = (a: Arrival, r: RecordEntry): boolean => !declaredDate(r) && dateCame(a);
  const keptBefore = (a: Arrival, rec: string): boolean =>
    a.publishedAt !== null && a.publishedAt === input.declaredKept?.get(rec);
  const datesDiffer = (a: Arrival, rec: string, how: 'same text' | 'similar'): boolean => {
    const r = records.get(rec);
    if (r === undefined) return a.publishedAt !== null;
    if (a.publishedAt === null || a.publishedAt === r.publishedAt || keptBefore(a, rec))
      return false;
    return !(
      rec === a.own ||
      r.input === a.path ||
      (released !== undefined && r.publishedAt > released) ||
      withdrawnUnseen(r) ||
      (arrivingAt.has(r.input) && r.input !== a.path) ||
      (dateGiven(a, r) &&
        (how === 'same text' || nameWithoutDate(a.path) === nameWithoutDate(r.input)))
    );
  };
  const heldDatesDiffer = (a: Arrival, rec: string): boolean => {
    const r = records.get(rec);
    if (r === undefined) return a.publishedAt !== null;
    return (
      a.publishedAt !== null &&
      a.publishedAt !== r.publishedAt &&
      !keptBefore(a, rec) &&
      !dateGiven(a, r)
    );
  };
  // 0. A file edited in place keeps its record against a copy of the record's text made in
  //    the same run (a backup kept before the edit): the copy took it in step 1 (the same
  //    text, a free record) and the edited file was published as a second article. Its new
  //    text must still be similar (step 4), as when no copy is there.
  for (const a of arrivals) {
    const r = a.own === null ? undefined : records.get(a.own);
    const before = a.own === null ? undefined : candidates.get(a.own);
    if (
      a.own === null ||
      r === undefined ||
      before === undefined ||
      r.fingerprint === a.fingerprint
    )
      continue;
    if (claimed.has(a.own) || (a.id !== null && a.id !== r.id)) continue;
    const copied = arrivals.some((b) => b !== a && b.fingerprint === r.fingerprint);
    if (copied && similarity(a.shingles, before) >= SIMILAR) claim(a, a.own, 'own');
  }
  // 1. Same id, or same text, as a free record (or as the one this file held).
  for (const a of pending()) {
    const byItsId = a.id === null ? undefined : byId.get(a.id);
    if (byItsId !== undefined) {
      if (mayTake(a, byItsId) || (byItsId === a.own && !claimed.has(byItsId)))
        claim(a, byItsId, 'same id');
      continue; // held by another file: step 3 says which problem it is
    }
    // The record it held, if it has the same text; else the first archived of the free ones.
    const open = (byFingerprint.get(a.fingerprint) ?? []).filter(
      (rec) =>
        (mayTake(a, rec) && !datesDiffer(a, rec, 'same text')) ||
        (rec === a.own && !claimed.has(rec)),
    );
    const same = open.includes(a.own ?? '') ? a.own : open.reduce<string | null>(first, null);
    if (same !== null) claim(a, same, 'same text');
  }
  // 2. The record it held before: an edit in place.
  for (const a of pending())
    if (a.own !== null && records.has(a.own) && !claimed.has(a.own)) claim(a, a.own, 'own');
  // 3. Held by another file: a duplicate, or an id that is taken.
  for (const a of pending()) {
    const byItsId = a.id === null ? undefined : byId.get(a.id);
    const taken =
      byItsId ?? byFingerprint.get(a.fingerprint)?.find((rec) => !heldDatesDiffer(a, rec));
    if (taken === undefined) continue;
    const sameText = records.get(taken)?.fingerprint === a.fingerprint;
    decided.set(
      a.path,
      sameText
        ? { kind: 'duplicate', path: a.path, of: holder(taken) }
        : { kind: 'id-taken', path: a.path, owner: holder(taken) },
    );
  }
  // 4. A free record with a similar text: the most similar one.
  for (const a of pending()) {
    let best: { record: string; score: number } | undefined;
    for (const [rec, shingles] of [...candidates].sort(([x], [y]) => (x < y ? -1 : 1))) {
      const r = records.get(rec);
      if (!isFree(rec) || r === undefined) continue;
      // Under another declared date, another article, but for the exemptions above.
      if ((a.id !== null && a.id !== r.id) || datesDiffer(a, rec, 'similar')) continue;
      const score = similarity(a.shingles, shingles);
      if (score >= SIMILAR && (best === undefined || score > best.score))
        best = { record: rec, score };
    }
    if (best !== undefined) claim(a, best.record, 'similar');
  }
  // 5. A new article, unless an arrival before it in this run is the same one.
  // Text and declared date, or declared id → the arrival (two files of one text and two
  // declared dates are two articles).
  const minted = new Map<string, Arrival>();
  const textKey = (a: Arrival): string => `${a.fingerprint}\n${a.publishedAt ?? ''}`;
  // An arrival that kept a record above with a text no record had (an edit in place, a similar
  // text) is the same one too: an edit and a copy of the edited file in one run published the
  // story twice, where the copy one run later was ARTICLE_DUPLICATE.
  for (const a of arrivals) {
    const d = decided.get(a.path);
    if (d?.kind === 'keep' && !minted.has(textKey(a))) minted.set(textKey(a), a);
  }
  for (const a of pending()) {
    const first = minted.get(textKey(a)) ?? (a.id === null ? undefined : minted.get(a.id));
    if (first === undefined) {
      decided.set(a.path, { kind: 'mint', path: a.path });
      minted.set(textKey(a), a);
      if (a.id !== null) minted.set(a.id, a);
    } else if (first.fingerprint === a.fingerprint)
      decided.set(a.path, { kind: 'duplicate', path: a.path, of: first.path });
    else decided.set(a.path, { kind: 'id-taken', path: a.path, owner: first.path });
  }

  const withdrawn = [...freed]
    .filter((rec) => !claimed.has(rec) && records.get(rec)?.withdrawn === false)
    .sort()
    .map((record): Action => ({ kind: 'withdraw', record }));
  return [...arrivals.map((a) => decided.get(a.path) as Action), ...withdrawn];
}

/**
 * Withdrawn before its publication date (its file deleted, or made a draft, while under
 * embargo): never published (pipeline/embargo.ts `wasPublished`), so nobody has its date.
 */
export const withdrawnUnseen = (r: {
  readonly publishedAt: string;
  readonly withdrawnAt: string | null;
}): boolean => r.withdrawnAt !== null && r.publishedAt > r.withdrawnAt;

/**
 * Whether the newsroom wrote a record's publication date down (front matter, file name). One
 * that does not know (minted before records kept it) counts as declared: the planner's rule as
 * it was, which keeps two articles apart rather than merge them.
 */
export const declaredDate = (r: { readonly publishedFrom?: string }): boolean =>
  r.publishedFrom === undefined ||
  r.publishedFrom === 'frontMatter' ||
  r.publishedFrom === 'fileName';

/**
 * A file's name without its folder, its extension and a leading `YYYY-MM-DD` with its
 * separator (Jekyll's `2026-10-15-title.md`): `story` for `news/2026-10-15-story.md`.
 */
export function nameWithoutDate(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.[^.]*$/, '').replace(/^\d{4}-\d{2}-\d{2}[-_]?/, '');
}

/** A text's word pairs (its words, when it has only one), lower-cased, for `similarity`. */
export function shinglesOf(text: string): Set<string> {
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length < 2) return new Set(words);
  const pairs = new Set<string>();
  for (let i = 1; i < words.length; i++) pairs.add(`${words[i - 1]} ${words[i]}`);
  return pairs;
}

/** The Dice coefficient: 2·|A ∩ B| / (|A| + |B|), from 0 (nothing shared) to 1 (the same). */
export function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const x of a) if (b.has(x)) shared++;
  return (2 * shared) / (a.size + b.size);
}
