import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { readOutput } from '../io/read-output.js';
import { dirname, join } from 'node:path';
import {
  atPath,
  fsError,
  removeQuietly,
  sameBytes,
  stagedFor,
  syncDir,
  tempPathFor,
  writeFileAtomic,
} from '../io/atomic-write.js';

export interface PublishResult {
  readonly written: string[];
  readonly unchanged: string[];
  /** Every file's size and sha256, as proven (the bytes in out/ once this returns). */
  readonly files: Record<string, ProvenDigest>;
}

export interface ProvenDigest {
  readonly size: number;
  readonly sha256: string;
}

export const sha256Of = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

export const digestOf = (bytes: Uint8Array): ProvenDigest => ({
  size: bytes.length,
  sha256: sha256Of(bytes),
});

/**
 * Publish validated files into `outDir`: byte-identical files are skipped (their mtime, and so
 * readers' conditional GETs, stay as they were); the others are first written to `stagingDir`,
 * each staged copy is read back and proven to be the validated bytes (size and sha256), and only
 * then is each renamed into place, so a reader sees the old file or the new one, never a mix,
 * and never a file a full disk cut short. `beforeRenames` runs after every copy is proven and
 * before the first rename (the caller records what it is about to publish there: a kill
 * between two renames is completed by the next run, publish/finish-publication.ts).
 */
export function publishFiles(
  outDir: string,
  stagingDir: string,
  files: ReadonlyMap<string, string>,
  beforeRenames: (digests: Readonly<Record<string, ProvenDigest>>) => void = () => undefined,
): PublishResult {
  const staged = stageFiles(outDir, stagingDir, files);
  placeStaged(outDir, staged, stagingDir, [], () => beforeRenames(staged.files));
  return staged;
}

/** What stageFiles() staged: the PublishResult to be, and the renames that publish it. */
export interface StagedFiles extends PublishResult {
  readonly moves: readonly Move[];
}

/**
 * The first half of publishFiles(): the changed files written to `stagingDir` and proven there,
 * nothing in out/ touched (a run refused after this, say for a copy that is not its file,
 * removes the staging folder and leaves out/ as it was). placeStaged() publishes them.
 */
export function stageFiles(
  outDir: string,
  stagingDir: string,
  files: ReadonlyMap<string, string>,
): StagedFiles {
  const proven = new Map([...files].map(([name, text]) => [name, Buffer.from(text, 'utf8')]));
  const digests: Record<string, ProvenDigest> = {};
  for (const [name, bytes] of proven) digests[name] = digestOf(bytes);
  const changed = [...proven.keys()].filter(
    (name) => !sameBytes(join(outDir, name), proven.get(name)!),
  );
  const unchanged = [...proven.keys()].filter((name) => !changed.includes(name));
  if (changed.length === 0) return { written: [], unchanged, files: digests, moves: [] };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw atPath(error, outDir);
  }
  try {
    rmSync(stagingDir, { recursive: true, force: true });
  } catch (error) {
    throw stagedFor(error, join(outDir, changed[0]!), stagingDir);
  }
  const moves = changed.map((name): Move => ({
    from: join(stagingDir, name),
    to: join(outDir, name),
    digest: digests[name]!,
  }));
  try {
    for (const [i, m] of moves.entries()) {
      try {
        writeFileAtomic(m.from, proven.get(changed[i]!)!, { syncDir: false });
      } catch (error) {
        throw stagedFor(error, m.to, stagingDir);
      }
    }
    syncDir(stagingDir);
    for (const m of moves) {
      try {
        expectBytes(m.from, m.digest);
      } catch (error) {
        throw stagedFor(error, m.to, stagingDir);
      }
    }
  } catch (error) {
    // Nothing was renamed: out/ is as it was. The staged copies only take space a full disk
    // needs back.
    removeQuietly(stagingDir);
    throw error;
  }
  return { written: changed, unchanged, files: digests, moves };
}

/**
 * The second half of publishFiles(): rename the staged files into out/, each followed by its
 * `copies` (their gzip and Brotli copies, staged beside them: stage-copies.ts), and remove the
 * staging folder. `beforeRenames` runs once before the first rename.
 */
export function placeStaged(
  outDir: string,
  staged: StagedFiles,
  stagingDir: string,
  copies: readonly Move[],
  beforeRenames: () => void = () => undefined,
): void {
  if (staged.moves.length === 0 && copies.length === 0) return;
  // A failure after the first rename leaves the staged copies: the next run completes the
  // publication from them (finish-publication.ts).
  placeAll(withCopies(staged.moves, copies), beforeRenames);
  syncDir(outDir);
  rmSync(stagingDir, { recursive: true, force: true });
}

/**
 * `moves` with the copies of each file right after it: a reader sees the new file beside its
 * old copies (older than it, so `serve` does not send them) for the time of two renames, and
 * never new copies beside an old file. Copies of files not in `moves` (their file was already
 * in place) come last.
 */
export function withCopies(moves: readonly Move[], copies: readonly Move[]): Move[] {
  const of = new Map<string, Move[]>();
  for (const c of copies) {
    const file = c.to.replace(/\.(gz|br)$/, '');
    const list = of.get(file);
    if (list === undefined) of.set(file, [c]);
    else list.push(c);
  }
  const out: Move[] = [];
  for (const m of moves) {
    out.push(m);
    for (const c of of.get(m.to) ?? []) out.push(c);
    of.delete(m.to);
  }
  for (const rest of of.values()) for (const c of rest) out.push(c);
  return out;
}

/** A proven staged file and where it goes. */
export interface Move {
  readonly from: string;
  readonly to: string;
  readonly digest: ProvenDigest;
}

/**
 * Rename proven staged files into place, each by one atomic rename, in order; `beforeRenames`
 * runs once before the first. When the staging folder is on another file system than out/
 * (rename(2) would fail with EXDEV), every file is first copied beside its target and proven,
 * and only then is anything renamed: a full (or over-quota) out/ then fails before the first
 * rename, with out/ as it was, not between two renames with half a publication in place
 * (which status would report as an interrupted publication). On failure the copies are
 * removed and the error names the file in out/.
 */
export function placeAll(
  moves: readonly Move[],
  beforeRenames: () => void = () => undefined,
): void {
  const sources = new Map<Move, string>();
  try {
    for (const m of moves) {
      mkdirSync(dirname(m.to), { recursive: true });
      if (!crossDevice(m)) continue;
      const tmp = tempPathFor(m.to);
      sources.set(m, tmp);
      copyProven(m.from, tmp, m.digest, m.to);
    }
  } catch (error) {
    for (const tmp of sources.values()) removeQuietly(tmp);
    throw error;
  }
  beforeRenames();
  try {
    for (const m of moves) moveInto(sources.get(m) ?? m.from, m.to, m.digest);
  } catch (error) {
    // Files of this publication may be in place beside those of the last one: the message
    // must not say out/ holds the last complete publication (cli/fs-refusal.ts).
    if (error !== null && typeof error === 'object') Object.assign(error, { duringRenames: true });
    throw error;
  }
}

/** Whether `m.from` and `m.to` are on two file systems (their folders' st_dev differ). */
function crossDevice(m: Move): boolean {
  try {
    return statSync(dirname(m.from)).dev !== statSync(dirname(m.to)).dev;
  } catch {
    return false; // moveInto still copies on EXDEV
  }
}

/** Copy `from` to `tmp` and prove the copy; any failure is said of `to`, the target. */
function copyProven(from: string, tmp: string, digest: ProvenDigest, to: string): void {
  try {
    copyFileSync(from, tmp);
    expectBytes(tmp, digest);
  } catch (error) {
    removeQuietly(tmp);
    throw atPath(error, to);
  }
}

/** Whether `path` holds exactly the proven bytes (a read and a hash; false if unreadable). */
export function holds(path: string, digest: ProvenDigest): boolean {
  try {
    const bytes = readOutput(path);
    return bytes.length === digest.size && sha256Of(bytes) === digest.sha256;
  } catch {
    return false;
  }
}

/** Throw unless `path` holds the proven bytes: nothing unproven is renamed into out/. */
function expectBytes(path: string, digest: ProvenDigest): void {
  if (!holds(path, digest))
    throw fsError(
      'EIO',
      `the staged copy is not the ${digest.size} proven bytes (sha256 ${digest.sha256.slice(0, 12)}…)`,
      path,
    );
}

/**
 * Rename a proven staged file into place (atomic: a reader sees the old file or this one). From
 * another file system (EXDEV), copy beside the target, prove the copy, then rename (still
 * atomic). Errors name `to`, never the staged copy or the temp file.
 */
export function moveInto(from: string, to: string, digest: ProvenDigest): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw atPath(error, to);
    const tmp = tempPathFor(to);
    copyProven(from, tmp, digest, to);
    try {
      renameSync(tmp, to);
    } catch (renameError) {
      removeQuietly(tmp);
      throw atPath(renameError, to);
    }
  }
}
