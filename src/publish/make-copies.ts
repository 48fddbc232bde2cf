import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import {
  brotliCompress,
  brotliCompressSync,
  constants,
  gzip as gzipCallback,
  gzipSync,
  type BrotliOptions,
} from 'node:zlib';
import { tempPathFor, writeAllSync } from '../io/atomic-write.js';

/**
 * The gzip and brotli copies of one published file, made synchronously (precompress.ts runs
 * this on a worker thread when a run publishes many files, on the main thread otherwise). The
 * synchronous zlib calls cost half the CPU of the asynchronous ones on a page of 10 KB
 * (0.56 ms against 1.07 ms for both copies, measured here on 2,000 article pages): the
 * asynchronous API builds a stream and its buffers for every call.
 */
export const SIBLING = { gzip: '.gz', br: '.br' } as const;

/** Below this, a compressed copy saves less than its headers cost. */
export const MIN_COMPRESS_BYTES = 256;

export interface Encoded {
  readonly gzip: Buffer | null;
  readonly br: Buffer | null;
}

/**
 * gzip at level 6, not 9: on our outputs level 9 saved 0.003 % to 0.3 % (the feeds of 300 KB:
 * 36,444 bytes against 36,462; an article page of 10 KB: the same 3,138 bytes on average) for
 * 30 % to 50 % more time (a month page of 6.7 MB: 83 ms against 56 ms).
 */
export const GZIP_OPTIONS = { level: 6 } as const;

/**
 * Brotli at quality 5, not 11: on 300 KB of text (a feed of 50 long articles) quality 11 took
 * 490 ms and saved 11 % over quality 5, which took 46 ms; on an article page of 10 KB quality
 * 11 took 11 ms against 0.25 ms (2,688 bytes against 2,939), which for 10,000 pages would be
 * two minutes of CPU to save 2.5 MB.
 */
export const brotliOptions = (size: number): BrotliOptions => ({
  params: {
    [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
    [constants.BROTLI_PARAM_QUALITY]: 5,
    [constants.BROTLI_PARAM_SIZE_HINT]: size,
  },
});

/**
 * The encodings of `bytes`, or null where one would not be smaller. Deterministic. `br`, when
 * given, is the Brotli encoding of these bytes already made (brotliAhead()).
 */
export function encodeSync(bytes: Uint8Array, br?: Buffer): Encoded {
  if (bytes.length < MIN_COMPRESS_BYTES) return { gzip: null, br: null };
  const gzip = gzipSync(bytes, GZIP_OPTIONS);
  const brotli = br ?? brotliCompressSync(bytes, brotliOptions(bytes.length));
  return {
    gzip: gzip.length < bytes.length ? gzip : null,
    br: brotli.length < bytes.length ? brotli : null,
  };
}

const gzipAsync = promisify(gzipCallback);
const brotliAsync = promisify(brotliCompress);

/**
 * encodeSync() on libuv's thread pool, for `serve` (compressing a file a request found without
 * copies does not stop the server): the same settings, so the same bytes (zlib's output does
 * not depend on the API that drives it).
 */
export async function encode(bytes: Uint8Array): Promise<Encoded> {
  if (bytes.length < MIN_COMPRESS_BYTES) return { gzip: null, br: null };
  const [gzip, br] = await Promise.all([
    gzipAsync(bytes, GZIP_OPTIONS),
    brotliAsync(bytes, brotliOptions(bytes.length)),
  ]);
  return {
    gzip: gzip.length < bytes.length ? gzip : null,
    br: br.length < bytes.length ? br : null,
  };
}

/**
 * The Brotli encoding of `bytes` made on libuv's thread pool, for a run's copies begun ahead
 * (encode-ahead.ts): the same bytes as encodeSync()'s. Brotli is the larger part of a copy's
 * cost (on the nine files of a one-new run at 100 articles, 13 to 51 ms of CPU against 10 to
 * 24 ms for gzip); gzip stays with makeCopies(), on this thread.
 */
export const brotliAhead = (bytes: Uint8Array): Promise<Buffer> =>
  brotliAsync(bytes, brotliOptions(bytes.length));

/** A Brotli encoding made ahead: taken only for a file that holds exactly `bytes`. */
export interface BrotliOf {
  readonly bytes: Uint8Array;
  readonly br: Buffer;
}

/** What makeCopies() left: the temp file of each copy to rename into place. */
export interface CopyTemps {
  readonly gzip: string | null;
  readonly br: string | null;
}

/**
 * Read the file at `path` (staged, or published: stage-copies.ts), write its copies to temp
 * files beside where they go (the caller proves, flushes and renames them). A copy that would
 * not be smaller is not made (null); nothing is removed here: the one from before is removed
 * by the caller with the file's rename, so that a refused run leaves out/ as it was.
 * `early`, the Brotli encoding of the bytes the file was staged from (encode-ahead.ts), is taken
 * when the file holds exactly those bytes (an encoding is a function of the bytes alone);
 * otherwise it is made here.
 */
export function makeCopies(path: string, early?: BrotliOf): CopyTemps {
  const file = readFileSync(path);
  const enc = encodeSync(
    file,
    early !== undefined && file.equals(early.bytes) ? early.br : undefined,
  );
  const out = { gzip: null as string | null, br: null as string | null };
  try {
    for (const coding of ['gzip', 'br'] as const) {
      const bytes = enc[coding];
      if (bytes !== null) out[coding] = writeTemp(path + SIBLING[coding], bytes);
    }
  } catch (error) {
    for (const tmp of [out.gzip, out.br]) if (tmp !== null) rmSync(tmp, { force: true });
    throw error;
  }
  return out;
}

/**
 * A copy's bytes in a temp file beside it (writeFileAtomic's "same bytes: keep the old file"
 * shortcut does not apply: a copy must be at least as new as its file, or it is taken for
 * stale). Returns the temp file's path.
 */
function writeTemp(path: string, bytes: Uint8Array): string {
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeAllSync(fd, bytes, path);
  } catch (error) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw error;
  }
  closeSync(fd);
  return tmp;
}
