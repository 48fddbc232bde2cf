import { isDeepStrictEqual } from 'node:util';
import { SCHEMA_VERSION } from '../model/record-version.js';
import type {
  ArchiveRecord,
  DateSource,
  InputRef,
  NormalizedArticle,
  Revision,
} from '../model/record.js';
import { uniqueTags } from '../model/unique-tags.js';
import { contentOf } from './content-of.js';
import { tagUri } from './record-path.js';

/**
 * Pure rules of identity over time. A record's id, slug and publishedAt are minted once and
 * never change; an edit to what readers see makes a revision (new updatedAt, the earlier
 * version kept in full); any other change to the stored bytes only updates `input`.
 */
export interface MintContext {
  readonly now: string;
  readonly host: string;
  readonly baseUrl: string;
  readonly slug: string;
  /** Which source gave the article's publication date (normalize/date-sources.ts), if known. */
  readonly publishedFrom?: DateSource;
}

export function mintRecord(a: NormalizedArticle, input: InputRef, ctx: MintContext): ArchiveRecord {
  const publishedAt = a.publishedAt ?? ctx.now;
  return {
    schemaVersion: SCHEMA_VERSION,
    // An embargoed record's tag URI carries the day it was archived (pipeline/embargo.ts).
    id: a.id ?? tagUri(ctx.host, publishedAt < ctx.now ? publishedAt : ctx.now, ctx.slug),
    slug: ctx.slug,
    ...contentOf(a, a.url ?? `${ctx.baseUrl}/articles/${ctx.slug}.html`),
    publishedAt,
    ...(ctx.publishedFrom !== undefined ? { publishedFrom: ctx.publishedFrom } : {}),
    updatedAt: a.updatedAt !== null && a.updatedAt > publishedAt ? a.updatedAt : publishedAt,
    withdrawnAt: null,
    wordCount: a.wordCount,
    input,
    revisions: [],
  };
}

export type Merge =
  | { readonly kind: 'revised'; readonly record: ArchiveRecord }
  /** A withdrawn record whose article came back (edited or not): `restoredAt` is minted. */
  | { readonly kind: 'restored'; readonly record: ArchiveRecord }
  | { readonly kind: 'input-only'; readonly record: ArchiveRecord }
  | { readonly kind: 'unchanged'; readonly record: ArchiveRecord };

/** The stored article behind `existing` changed (or came back): what does the record become? */
export function mergeRecord(
  existing: ArchiveRecord,
  a: NormalizedArticle,
  input: InputRef,
  now: string,
): Merge {
  const next = contentOf(a, a.url ?? existing.url);
  // A restore is a change of its own, at its own moment: clearing withdrawnAt alone would take
  // the feed date back to before the withdrawal (RSS lastBuildDate, Atom updated), which a
  // subscriber must never see. The item's own dates stay: the article is the one readers had.
  const back =
    existing.withdrawnAt === null
      ? {}
      : { withdrawnAt: null, restoredAt: laterOf(now, existing.withdrawnAt) };
  const restored = existing.withdrawnAt !== null;
  // Compared as readers see it: a record archived with a tag twice (before tags were made
  // unique) is not revised, nor its update date moved, only because its article is read again
  // (an update still ahead, a restore) and now gives that tag once (model/unique-tags.ts).
  const seen = contentOf(existing, existing.url);
  if (isDeepStrictEqual(next, { ...seen, tags: uniqueTags(seen.tags) })) {
    if (!restored && isDeepStrictEqual(input, existing.input))
      return { kind: 'unchanged', record: existing };
    return { kind: restored ? 'restored' : 'input-only', record: { ...existing, input, ...back } };
  }
  const updatedAt =
    a.updatedAt !== null && a.updatedAt > existing.updatedAt
      ? a.updatedAt
      : laterOf(now, existing.updatedAt);
  const earlier = revisionOf(existing);
  return {
    kind: restored ? 'restored' : 'revised',
    record: {
      ...existing,
      ...next,
      updatedAt,
      ...back,
      wordCount: a.wordCount,
      input,
      revisions: [...existing.revisions, earlier],
    },
  };
}

/** A record's current version, as `revisions` keeps it once another follows. */
const revisionOf = (r: ArchiveRecord): Revision => ({
  ...contentOf(r, r.url),
  updatedAt: r.updatedAt,
  wordCount: r.wordCount,
  input: r.input,
});

/**
 * A declared update whose time has come: front matter `updated:` was after the clock, so it
 * was passed over (DATE_UPDATED_AHEAD: a typo must not pin the feed date in the future), and
 * the first run at or after it takes it, as the first run after an embargo releases it. The
 * record's update date becomes the declared one, as a revision even when the text is the same
 * (edited before then, the edit was published and dated when it was made): the newsroom
 * declared an update at that time, so the feeds show the item updated then, and `archive
 * history` shows the version with its date ("no visible change"). Only later than the
 * record's own update date: an edit made after it was already dated with it (mergeRecord).
 */
export function takeDeclaredUpdate(
  existing: ArchiveRecord,
  merged: Merge,
  updatedAt: string,
): Merge {
  if (updatedAt <= merged.record.updatedAt) return merged;
  if (merged.kind === 'revised' || merged.kind === 'restored')
    return { kind: merged.kind, record: { ...merged.record, updatedAt } };
  return {
    kind: 'revised',
    record: {
      ...merged.record,
      updatedAt,
      revisions: [...existing.revisions, revisionOf(existing)],
    },
  };
}

/** The stored article is gone: the record stays (nothing is lost) but leaves the feeds. */
export const withdrawRecord = (r: ArchiveRecord, now: string): ArchiveRecord =>
  r.withdrawnAt === null ? { ...r, withdrawnAt: now } : r;

// An edit within the same second as the last update still needs a later updatedAt, or readers
// that key on it would not notice: never go backwards, step one second forwards if equal.
function laterOf(now: string, previous: string): string {
  if (now > previous) return now;
  return new Date(Date.parse(previous) + 1000).toISOString().replace('.000Z', 'Z');
}
