import { digestOf } from '../ingest/listing-digest.js';
import type { ListedArticle } from '../ingest/list-articles.js';
import { Listing } from '../ingest/listing.js';

/**
 * The catalogue's inputs table is cut into BUCKETS parts by a hash of the stored article's path
 * (archive/input-table.ts), so that a run that adds or edits k articles reads k parts of it,
 * not the whole table (24 MB at 100,000 articles). A part is left unread when its part of the
 * listing is exactly what its rows were saved for: the same paths with the same stats, the
 * digest below equal to the one saved with it.
 *
 * 256: at 100,000 articles a part is about 400 rows (95 KB), and one new article reads one of
 * them; more parts would mean more files for a cold build to write, fewer a bigger read.
 */
export const BUCKETS = 256;

/**
 * The bucket of a path: FNV-1a over its UTF-16 code units, low byte. Stable across versions
 * (it is in the files: changing it means a new catalogue VERSION).
 */
export function bucketOf(path: string): number {
  return foldHash(fnv(FNV_OFFSET, path));
}

const FNV_OFFSET = 0x811c9dc5;

/** FNV-1a from state `h` over `s`: fnv(fnv(h, a), b) is fnv(h, a + b). */
function fnv(h: number, s: string): number {
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h;
}

const foldHash = (h: number): number => (h ^ (h >>> 8) ^ (h >>> 16) ^ (h >>> 24)) & (BUCKETS - 1);

/** A digest no listing has: a part with an entry the walk could not stat is always read. */
export const NO_DIGEST = '';

/** The listing cut as the inputs table is: each entry's bucket, each bucket's digest. */
export interface ListingBuckets {
  /** The bucket of `listed[i]`. */
  readonly of: Uint8Array;
  /** Per bucket, the digest of its entries (in listing order), or NO_DIGEST. */
  readonly digests: readonly string[];
  /** Per bucket, how many entries. */
  readonly counts: Uint32Array;
}

/**
 * Cut a listing into buckets and digest each part as listingDigest() digests a whole listing
 * (ingest/listing-digest.ts: paths, then size, mtime, ctime, inode as doubles). An entry with a
 * problem (the walk could not stat or read it) gives its bucket NO_DIGEST: its part is read on
 * every run, and the problem reported as before.
 *
 * It reads the Listing's own arrays and makes no object per entry: a run with one change makes
 * objects of the entries of the buckets it reads only (pipeline/archive-articles.ts). The path
 * of each entry is hashed from its folder's hash (one per folder), never made whole but for
 * the digest of its bucket.
 */
export function listingBuckets(listed: Listing | readonly ListedArticle[]): ListingBuckets {
  const listing = listed instanceof Listing ? listed : Listing.of(listed);
  const n = listing.length;
  const of = new Uint8Array(n);
  const counts = new Uint32Array(BUCKETS);
  const broken = new Uint8Array(BUCKETS);
  const folderHash = new Map<string, number>();
  listing.forEachPath((i, folder, name) => {
    let h = folderHash.get(folder);
    if (h === undefined) folderHash.set(folder, (h = fnv(FNV_OFFSET, folder)));
    const b = foldHash(fnv(h, name));
    of[i] = b;
    counts[b]!++;
  });
  for (let i = 0; i < n; i++) if (listing.hasProblem(i)) broken[of[i]!] = 1;
  // Each bucket's entries, in listing order, as offsets into one array.
  const start = new Uint32Array(BUCKETS + 1);
  for (let b = 0; b < BUCKETS; b++) start[b + 1] = start[b]! + counts[b]!;
  const next = start.slice(0, BUCKETS);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[next[of[i]!]!++] = i;
  const { stats } = listing;
  const digests: string[] = [];
  for (let b = 0; b < BUCKETS; b++) {
    if (broken[b] === 1) {
      digests.push(NO_DIGEST);
      continue;
    }
    const from = start[b]!;
    const count = counts[b]!;
    const numbers = new Float64Array(count * 4);
    for (let k = 0; k < count; k++) {
      const at = 4 * order[from + k]!;
      for (let j = 0; j < 4; j++) numbers[4 * k + j] = stats[at + j]!;
    }
    digests.push(digestOf(count, (k) => listing.path(order[from + k]!), numbers));
  }
  return { of, digests, counts };
}
