import { createHash } from 'node:crypto';
import { renameSync, rmSync, statSync } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { join } from 'node:path';
import { syncDir } from '../io/atomic-write.js';
import { flushFiles } from '../io/flush-files.js';
import { statStamp } from '../io/stat-stamp.js';
import {
  appendRows,
  readTable,
  saveTable,
  tableHead,
  type SavedTable,
  type TablePaths,
} from '../io/journaled-table.js';
import { ChangeMap } from '../model/change-map.js';
import { mediaTypeOf } from '../model/media-types.js';
import { makeAllCopies } from './copy-pool.js';
import { MIN_COMPRESS_BYTES, SIBLING } from './make-copies.js';

/**
 * Every published text file gets its gzip and brotli encodings beside it, compressed once
 * (settings and why: make-copies.ts), when it is published: `rss.xml.gz`, `rss.xml.br`. `feedkeeper serve`,
 * nginx (`gzip_static`, `brotli_static`) and Caddy (`precompressed`) all send those same bytes;
 * nobody compresses on a request.
 *
 * A build makes them from the staged bytes before the first rename (stage-copies.ts), and
 * renames each right after its file: a reader polling during a publication sees the new file
 * beside its old copies for the time of a rename, never new copies beside an old file. A
 * sibling older than its file is stale: `serve` does not send it (serve/file-cache.ts). They
 * are not outputs: not in the publish state nor in the run report; `check` decodes each
 * (check-published.ts).
 */
export { encode, MIN_COMPRESS_BYTES, SIBLING, type Encoded } from './make-copies.js';

/** Should this published file have compressed copies? */
export const compressible = (name: string): boolean => mediaTypeOf(name).compressible;

/** What precompress() did: the copies written, and the files published without copies. */
export interface Precompressed {
  /** Names of the copies written (`rss.xml.gz`). */
  readonly written: string[];
  /** Files whose copies were not what they decode to (prove-copies.ts), and why. */
  readonly mismatched: { readonly name: string; readonly why: string }[];
}

/**
 * The copies of files already in out/ (a build stages them instead: stage-copies.ts; this is
 * for an out/ made by other means, such as the tests'): write the copies of each file in
 * `changed`, and repair those of each
 * file in `unchanged` whose copies are missing or older than it (a hand edit, a deleted copy,
 * an out/ published before this existed). A file whose copies do not decode to its bytes gets
 * none (those made are discarded, and those from before removed): readers then get the proven
 * file itself, and the caller refuses the run.
 */
export async function precompress(
  outDir: string,
  changed: readonly string[],
  unchanged: readonly string[] = [],
): Promise<Precompressed> {
  const written: string[] = [];
  const mismatched: { name: string; why: string }[] = [];
  const todo = [...changed, ...unchanged.filter((name) => needsCopies(outDir, name))];
  const wanted: string[] = [];
  for (const name of todo) {
    if (compressible(name)) wanted.push(name);
    else removeSiblings(outDir, name);
  }
  // Copies are written to temp files first (on worker threads when there are many:
  // copy-pool.ts) and made durable together (one flush, not one fsync each: a cold build
  // writes 20,000 copies of its pages), then renamed into place.
  const temps = await makeAllCopies(wanted.map((name) => join(outDir, name)));
  const pending: { tmp: string; to: string }[] = [];
  wanted.forEach((name, i) => {
    const made = temps[i];
    if (made?.mismatch != null) {
      for (const tmp of [made.gzip, made.br]) if (tmp !== null) rmSync(tmp, { force: true });
      removeSiblings(outDir, name);
      mismatched.push({ name, why: made.mismatch });
      return;
    }
    for (const coding of ['gzip', 'br'] as const) {
      const tmp = made?.[coding];
      if (tmp === null || tmp === undefined) {
        // Not smaller: the one from before must not be served either.
        rmSync(join(outDir, name + SIBLING[coding]), { force: true });
        continue;
      }
      pending.push({ tmp, to: join(outDir, name + SIBLING[coding]) });
      written.push(name + SIBLING[coding]);
    }
  });
  try {
    flushFiles(
      outDir,
      pending.map((p) => p.tmp),
    );
    for (const p of pending) renameSync(p.tmp, p.to);
  } catch (error) {
    for (const p of pending) rmSync(p.tmp, { force: true });
    throw error;
  }
  if (todo.length > 0) syncDirsOf(outDir, todo);
  return { written, mismatched };
}

/** Remove a published file's copies (whoever removes a published file removes them too). */
export function removeSiblings(outDir: string, name: string): void {
  for (const ext of Object.values(SIBLING)) rmSync(join(outDir, name + ext), { force: true });
}

/** Whether a file in out/ lacks a copy, or has one older than it (and so is taken for stale). */
export function needsCopies(outDir: string, name: string): boolean {
  if (!compressible(name)) return false;
  const file = statSync(join(outDir, name), { throwIfNoEntry: false });
  if (!file) return false;
  if (file.size < MIN_COMPRESS_BYTES) return false;
  // Both copies, at least as new as the file. (A copy left out because it was not smaller
  // would send the file through here on every run that renders; text of 256 bytes or more
  // always compresses.)
  for (const ext of Object.values(SIBLING)) {
    const copy = statSync(join(outDir, name + ext), { throwIfNoEntry: false });
    if (!copy || copy.mtimeMs < file.mtimeMs) return true;
  }
  return false;
}

function syncDirsOf(outDir: string, names: readonly string[]): void {
  const dirs = new Set(names.map((n) => join(outDir, n, '..')));
  for (const d of dirs) syncDir(d);
}

/**
 * The published files' strong validators, recorded at publication so that `serve` never hashes
 * a file on a request: `<state>/etags.json` with its journal `etags.journal`
 * (io/journaled-table.ts: a run that publishes one page appends that page's row instead of
 * rewriting a row for every page), one row `[name, size, mtimeMs, sha256]` per file, trusted
 * by `serve` only while a file's size and mtime are still those recorded.
 */
export const etagsFile = (stateDir: string): string => join(stateDir, 'etags.json');

const etagsTable = (stateDir: string): TablePaths => ({
  snapshot: etagsFile(stateDir),
  journal: join(stateDir, 'etags.journal'),
});

export interface KnownHash {
  readonly size: number;
  readonly mtimeMs: number;
  readonly sha256: string;
}

type HashRow = [name: string, size: number, mtimeMs: number, sha256: string];

/**
 * Record the hashes of `files` (published this run: their text, or their sha256) and keep
 * those of `kept` (published earlier and still published: pages not rendered this run); every
 * other name is dropped. Returns the files written (none when nothing changed).
 *
 * A run that publishes a few pages appends their rows without reading the table (at 100,000
 * articles it holds 100,000 rows, 18 MB: reading it was a tenth of the run): a file whose
 * mtime is not newer than the table's last save was recorded by that save or before (every
 * publication records its files after writing them), the others are this run's. Names no
 * longer published are dropped when the table is read whole, at its next snapshot (a stale
 * row is harmless: `serve` trusts a row only while the file's size and mtime are those it
 * records).
 */
export function recordHashes(
  outDir: string,
  stateDir: string,
  files: ReadonlyMap<string, string | { readonly sha256: string }>,
  kept: () => Iterable<string> = () => [],
): string[] {
  const tail = tableHead(etagsTable(stateDir));
  if (tail !== null) {
    const set: HashRow[] = [];
    const gone: string[] = [];
    for (const [name, text] of files) {
      const s = statSync(join(outDir, name), { throwIfNoEntry: false });
      if (!s) gone.push(name);
      else if (s.mtimeMs > tail.savedAtMs) set.push([name, s.size, s.mtimeMs, sha256Of(text)]);
    }
    if (set.length === 0 && gone.length === 0) return [];
    const wrote: string[] = [];
    if (appendRows(etagsTable(stateDir), tail.saved, { version: 2 }, set, gone, wrote) !== null)
      return wrote;
  }
  const { rows, saved } = loadHashes(stateDir);
  const still = new Set(kept());
  for (const name of [...rows.keys()]) if (!still.has(name) && !files.has(name)) rows.delete(name);
  for (const [name, text] of files) {
    const s = statSync(join(outDir, name), { throwIfNoEntry: false });
    const old = rows.get(name);
    if (!s) {
      if (old !== undefined) rows.delete(name);
      continue;
    }
    // An unchanged file keeps its hash: a run that publishes one page hashes that page only.
    if (old !== undefined && old.size === s.size && old.mtimeMs === s.mtimeMs) continue;
    rows.set(name, { size: s.size, mtimeMs: s.mtimeMs, sha256: sha256Of(text) });
  }
  if (saved !== null && rows.changed.size === 0) return [];
  const wrote: string[] = [];
  saveTable<KnownHash, HashRow>(
    etagsTable(stateDir),
    saved,
    { version: 2 },
    rows,
    (name, h) => [name, h.size, h.mtimeMs, h.sha256],
    wrote,
  );
  return wrote;
}

/**
 * The recorded hashes; none (and `saved` null: the next save writes a snapshot) when the files
 * are missing or unreadable, or of the format before journals: they are derived data.
 */
export function loadHashes(stateDir: string): {
  rows: ChangeMap<string, KnownHash>;
  saved: SavedTable | null;
} {
  const rows = new ChangeMap<string, KnownHash>();
  try {
    const { saved } = readTable<object, HashRow>(
      etagsTable(stateDir),
      ([name, size, mtimeMs, sha256]) => rows.set(name, { size, mtimeMs, sha256 }),
      (name) => rows.delete(name),
    );
    rows.settle();
    return { rows, saved };
  } catch {
    return { rows: legacyHashes(stateDir), saved: null };
  }
}

/**
 * etags.json as feedkeeper wrote it before journals, `{ "<name>": { size, mtimeMs, sha256 } }`:
 * read once after an upgrade, so that the pages not published again keep their hashes (the
 * next save writes a snapshot). Empty when missing or unreadable.
 */
function legacyHashes(stateDir: string): ChangeMap<string, KnownHash> {
  const rows = new ChangeMap<string, KnownHash>();
  try {
    const parsed = JSON.parse(readRegular(etagsFile(stateDir), true).toString('utf8')) as unknown;
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed))
      for (const [name, h] of Object.entries(parsed as Record<string, KnownHash>))
        if (typeof h?.sha256 === 'string') rows.set(name, h);
  } catch {
    // Derived data: unreadable means "hash the file".
  }
  rows.settle();
  return rows;
}

/** The stat of the files loadHashes() reads, to know when to read them again. */
export function hashesStamp(stateDir: string): string {
  const paths = etagsTable(stateDir);
  return `${statStamp(paths.snapshot)}|${statStamp(paths.journal)}`;
}

const sha256Of = (text: string | { readonly sha256: string }): string =>
  typeof text === 'string' ? createHash('sha256').update(text, 'utf8').digest('hex') : text.sha256;
