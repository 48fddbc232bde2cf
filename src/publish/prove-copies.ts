import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { mediaTypeOf } from '../model/media-types.js';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import {
  encodeSync,
  makeCopies,
  MIN_COMPRESS_BYTES,
  SIBLING,
  type CopyTemps,
  type BrotliOf,
} from './make-copies.js';
import { digestOf, type ProvenDigest } from './publish-files.js';

/** The copies of one file, and why they cannot be published (null: they can). */
export interface ProvenCopies extends CopyTemps {
  readonly mismatch: string | null;
  /** Size and sha256 of each copy made, as proven (null: not made). */
  readonly digests: { readonly gzip: ProvenDigest | null; readonly br: ProvenDigest | null };
}

/**
 * makeCopies(), then each copy read back from its temp file, decoded and compared with the
 * file it was made from, read again (the proven bytes, staged just before): most readers get
 * the copy, not the file, so a stale, cut or foreign copy must never be renamed into place.
 * A copy left out must be one that would not be smaller (the one from before is then removed,
 * with the file's rename: an old one would be served).
 * Decoding costs a fraction of encoding: reading a file again and decoding and comparing both
 * its copies took 0.12 to 0.23 ms a file on a cold build of 2,000 articles (2,093 files, 0.25 to
 * 0.47 s in all, on the copy workers), against 0.56 ms to encode them.
 * A Brotli copy made ahead (`early`: encode-ahead.ts) is proven the same way: decoded from its
 * temp file and compared with the file.
 */
export function makeProvenCopies(path: string, early?: BrotliOf): ProvenCopies {
  const temps = makeCopies(path, early);
  const digests = { gzip: null as ProvenDigest | null, br: null as ProvenDigest | null };
  return { ...temps, mismatch: copyMismatch(path, temps, digests), digests };
}

/**
 * Why the copies in `temps` are not the file at `path`; null when they are. The digest of each
 * copy proven is set in `digests`.
 */
export function copyMismatch(
  path: string,
  temps: CopyTemps,
  digests: { gzip: ProvenDigest | null; br: ProvenDigest | null } = { gzip: null, br: null },
): string | null {
  const file = readFileSync(path);
  for (const coding of ['gzip', 'br'] as const) {
    const tmp = temps[coding];
    if (tmp === null) {
      // Text of MIN_COMPRESS_BYTES or more always compresses: a copy left out there is checked
      // (a path real files never take, so the second encoding costs nothing in practice).
      if (file.length >= MIN_COMPRESS_BYTES && encodeSync(file)[coding] !== null)
        return `its ${coding} copy was not made, though one would be smaller than the file`;
      continue;
    }
    let decoded: Buffer;
    let bytes: Buffer;
    try {
      bytes = readFileSync(tmp);
      decoded = coding === 'gzip' ? gunzipSync(bytes) : brotliDecompressSync(bytes);
    } catch (error) {
      return `its ${coding} copy does not decode (${(error as Error).message})`;
    }
    if (!decoded.equals(file))
      return `its ${coding} copy decodes to ${decoded.length} bytes that are not the file's ${file.length}`;
    digests[coding] = digestOf(bytes);
  }
  return null;
}

/**
 * What is wrong with the copies of a published file in out/ (`name` under `outDir`), or null
 * when each is there and decodes to its bytes: a copy deleted, cut or edited. Judged by the
 * bytes, not the time stamps: a file put back with the same bytes (a restore, a copy of out/)
 * leaves copies older than it that are still right (a build makes them again all the same:
 * precompress.ts needsCopies). Reads the file and both copies: for `check` and `build --full`,
 * never a run with nothing to do. A file with no copies to have (not text, or too short to
 * gain) is null; so is one that is not there (its own absence is said where it is looked for).
 */
export function copiesWrong(outDir: string, name: string): string | null {
  if (!mediaTypeOf(name).compressible) return null;
  const path = join(outDir, name);
  const file = statSync(path, { throwIfNoEntry: false });
  if (file?.isFile() !== true || file.size < MIN_COMPRESS_BYTES) return null;
  const bytes = readFileSync(path);
  for (const coding of ['gzip', 'br'] as const) {
    const copy = `${name}${SIBLING[coding]}`;
    const s = statSync(join(outDir, copy), { throwIfNoEntry: false });
    // Text of MIN_COMPRESS_BYTES or more always compresses (needsCopies): one must be there.
    if (s === undefined) return `its ${coding} copy ${copy} is missing`;
    let decoded: Buffer;
    try {
      const raw = readFileSync(join(outDir, copy));
      decoded = coding === 'gzip' ? gunzipSync(raw) : brotliDecompressSync(raw);
    } catch (error) {
      return `its ${coding} copy ${copy} does not decode (${(error as Error).message})`;
    }
    if (!decoded.equals(bytes))
      return `its ${coding} copy ${copy} decodes to ${decoded.length} bytes that are not the file's ${bytes.length}`;
  }
  return null;
}
