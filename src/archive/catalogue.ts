import type { ArticleStat } from '../ingest/list-articles.js';
import type { Issue } from '../model/issue.js';
import type { SavedTable } from '../io/journaled-table.js';
import type { ArchiveRecord, DateSource } from '../model/record.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import type { Listing } from '../ingest/listing.js';
import type { ListingBuckets } from './input-buckets.js';
import { InputTable } from './input-table.js';
import { RecordRows } from './key-index.js';
import type { ChunkSummary } from './record-chunks.js';

/**
 * The catalogue: what the last run knew, so that a run with nothing to do reads no article and
 * no record. It is derived data (rebuilt from the records when missing, corrupt, or left dirty
 * by a killed run); the records stay the source of truth.
 */
export interface InputEntry {
  readonly stat: ArticleStat;
  readonly sha256: string;
  /** The normalization rules its record was made with (normalize/normalizer-version.ts). */
  readonly normalizer: number;
  /** Record path (relative to the records folder) this input feeds, or null if it feeds none. */
  readonly record: string | null;
  /** Why it feeds none: its issues, reported again on every run until the file is fixed. */
  readonly issues: readonly Issue[];
  /**
   * The publication date the file declares (front matter, file name) when its record keeps
   * another (DATE_PUBLISHED_KEPT: a date given or edited after publication); absent otherwise.
   * The identity planner takes the file's next version under that date, renamed or copied, as
   * the same article (archive/plan-archive.ts, `declaredKept`): the record's date alone made
   * it another one, published again.
   */
  readonly declared?: string;
  /**
   * Made by a rebuild from the records (archive/rebuild-catalogue.ts): the row knows its
   * record's hash of the file and nothing else the file says (its warnings, a date it declares
   * that its record did not take: `declared`). Its next examination normalizes the file even
   * if those bytes are there, when it can declare something (pipeline/examine-article.ts,
   * mayDeclare), and makes the row an unbroken history would have (archive-articles.ts). Never saved: a run killed before it
   * saves leaves the catalogue dirty, and the next run rebuilds it again.
   */
  readonly rebuilt?: true;
}

export interface RecordEntry {
  readonly id: string;
  readonly slug: string;
  readonly publishedAt: string;
  /** The record's publishedFrom: absent when the record does not know it (model/record.ts). */
  readonly publishedFrom?: DateSource;
  readonly updatedAt: string;
  readonly withdrawn: boolean;
  /** When it was withdrawn (null when it is not, or for a row of catalogue version 1). */
  readonly withdrawnAt: string | null;
  /** When it last came back after a withdrawal (the record's restoredAt); absent if never. */
  readonly restoredAt?: string;
  readonly fingerprint: string;
  readonly input: string;
  /**
   * What `feedkeeper archive list` shows and filters on, so it reads no record file. Absent in
   * rows written before it existed (the list reads those records instead).
   */
  readonly meta?: RecordMeta;
}

export interface RecordMeta {
  readonly title: string;
  readonly section: string | null;
  readonly tags: readonly string[];
  readonly language: string;
}

export interface Catalogue {
  /** When the inputs were last stat-ed (ms since epoch): younger mtimes are not trusted. */
  scannedAt: number;
  /**
   * Read a bucket at a time (archive/input-table.ts); records: a RecordRows when made by
   * emptyCatalogue() (a ChangeMap that keeps their index by key in step: archive/key-index.ts).
   * A save appends only their changed rows.
   */
  readonly inputs: InputTable;
  readonly records: Map<string, RecordEntry>;
  /** Record files that failed to read: their slugs are never reused, their files never touched. */
  readonly corrupt: Map<string, Issue>;
  /**
   * The generation of the records folder this catalogue indexes (catalogue-file.ts): the token
   * the last run that wrote records left in the folder's marker. null: not known yet (a
   * catalogue just rebuilt from the records, which is right by construction).
   */
  generation: string | null;
  /**
   * Found when the records are read whole (a rebuild, a corrupt record restored): live records
   * whose article a record archived before them holds (loser → winner). Not saved: the run
   * withdraws them (merge-record.ts `firstArchived` says which one keeps the article).
   */
  readonly superseded: Map<string, string>;
  /**
   * Where the catalogue files stood when this catalogue was read from them (null: it was built
   * in memory, a rebuild): lets the next save append only the rows that changed since
   * (catalogue-file.ts).
   */
  saved: SavedCatalogue | null;
}

/** The state of the catalogue files a catalogue was read from (archive/catalogue-file.ts). */
export interface SavedCatalogue {
  /** The root file, `inputs.json` (its buckets' files are the InputTable's to know). */
  readonly inputs: SavedTable | null;
  readonly records: SavedTable | null;
  /** The generation the records file was saved with. */
  readonly recordsGeneration: string | null;
  /** The records file's stamp that the inputs file was saved with (they must agree). */
  readonly recordsStamp: string;
  /**
   * The version (catalogue-file.ts) the records rows are good for: the records file's, until
   * the rows a file of an older version may have left without publishedFrom are confirmed
   * from their records (`confirmSources`); absent: the current one.
   */
  readonly recordsVersion?: number;
  /**
   * The records' chunks as the root (`records.json`, since version 6) names them, in order;
   * null: read from a file of an older version (the next save cuts them).
   */
  readonly recordChunks?: readonly StoredChunk[] | null;
  /** Set by `confirmSources`: the next save writes the records file, even if no row changed. */
  readonly rewriteRecords?: boolean;
}

/** A chunk of the records table as the root names it: its summary and its files' stamp. */
export interface StoredChunk extends ChunkSummary {
  readonly stamp: string;
}

export const emptyCatalogue = (): Catalogue => ({
  scannedAt: 0,
  inputs: InputTable.fresh(),
  records: new RecordRows(),
  corrupt: new Map(),
  generation: null,
  superseded: new Map(),
  saved: null,
});

/**
 * Of two records that claim one article (the same stored file, or the same id), the one that
 * keeps it: the first archived. publishedAt first; a record minted for an article whose own
 * record was unreadable got the next free slug (`-2`, `-3`…), so on a tie the shorter slug, then
 * the lower one, is the original.
 */
export function firstArchived(
  a: { readonly publishedAt: string; readonly slug: string },
  b: { readonly publishedAt: string; readonly slug: string },
): boolean {
  if (a.publishedAt !== b.publishedAt) return a.publishedAt < b.publishedAt;
  if (a.slug.length !== b.slug.length) return a.slug.length < b.slug.length;
  return a.slug <= b.slug;
}

export const recordEntryOf = (r: ArchiveRecord, fingerprint: string): RecordEntry => ({
  id: r.id,
  slug: r.slug,
  publishedAt: r.publishedAt,
  ...(r.publishedFrom !== undefined ? { publishedFrom: r.publishedFrom } : {}),
  updatedAt: r.updatedAt,
  withdrawn: r.withdrawnAt !== null,
  withdrawnAt: r.withdrawnAt,
  ...(r.restoredAt !== undefined ? { restoredAt: r.restoredAt } : {}),
  fingerprint,
  input: r.input.path,
  meta: { title: r.title, section: r.section, tags: r.tags, language: r.language },
});

/**
 * A stat that may hide an edit: file time stamps are coarse (a few ms on Linux), so a file
 * changed again within the same tick as our scan can keep its size and mtime. Like git's
 * "racily clean" entries, anything modified within RACY_MS of the scan is read again next run.
 */
export const RACY_MS = 2000;

export const sameStat = (a: ArticleStat, b: ArticleStat): boolean =>
  a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino;

// mtime only: ctime also moves on chmod or `cp -p`, which sameStat() notices anyway; what can
// hide is a second write in the same time stamp tick, and writes always set mtime.
export const isRacy = (s: Pick<ArticleStat, 'mtimeMs'>, scannedAt: number): boolean =>
  scannedAt - s.mtimeMs < RACY_MS;

/**
 * Saved with the catalogue when its inputs are exactly a listing (the same paths, the same
 * stats) and a run that finds that listing again has nothing to do and nothing to report but
 * counts: no article with a problem (those are reported on every run), none left for older
 * normalization rules, no unreadable record (read again on every run). Such a run then reads
 * the catalogue's header, not its rows (archive/catalogue-file.ts, quietSince()).
 */
export interface QuietScan {
  /** listingDigest() (ingest/listing-digest.ts) of the listing. */
  readonly listing: string;
  /** The normalization rules every row was made with: a new feedkeeper reads them again. */
  readonly normalizer: number;
  /** What such a run reports (pipeline/archive-articles.ts, count()). */
  readonly unchanged: number;
  readonly duplicates: number;
}

/** The QuietScan of a catalogue and the listing it was saved for, or null if it has none. */
export function quietScanOf(
  c: Catalogue,
  listing: Listing,
  buckets: ListingBuckets,
  digest: string,
): QuietScan | null {
  if (c.corrupt.size > 0 || c.superseded.size > 0 || c.inputs.size !== listing.length) return null;
  if (listing.anyProblem()) return null;
  for (let i = 0; i < listing.length; i++) {
    // A bucket left unread holds exactly its part of the listing, of the current rules
    // (pipeline/archive-articles.ts reads every other one).
    if (!c.inputs.isLoaded(buckets.of[i]!)) continue;
    const e = c.inputs.get(listing.path(i));
    if (e === undefined || !sameStat(e.stat, listing.stat(i))) return null;
  }
  for (const [, e] of c.inputs.loaded()) if (e.normalizer !== NORMALIZER_VERSION) return null;
  // The rest feed a record and have no issue: unchanged.
  let duplicates = 0;
  for (const [, e] of c.inputs.notable()) {
    if (e.issues.length > 0) return null;
    duplicates++;
  }
  return {
    listing: digest,
    normalizer: NORMALIZER_VERSION,
    unchanged: c.inputs.size - duplicates,
    duplicates,
  };
}
