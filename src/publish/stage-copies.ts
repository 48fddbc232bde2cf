import { existsSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { stagedFor, syncDir } from '../io/atomic-write.js';
import { flushFiles } from '../io/flush-files.js';
import { makeAllCopies } from './copy-pool.js';
import type { EncodeAhead } from './encode-ahead.js';
import { SIBLING } from './make-copies.js';
import { compressible } from './precompress.js';
import { placeAll, type Move, type ProvenDigest } from './publish-files.js';

/** Files whose copies are made from the bytes under `root`. */
export interface CopyGroup {
  /** A staging folder (the files are staged there), or out/ itself (files already in place). */
  readonly root: string;
  /** Whether `root` is a staging folder: each copy is then staged as `<file>.gz` beside it. */
  readonly staged: boolean;
  /** The files (names under out/, and under `root`). */
  readonly names: readonly string[];
}

/** What stageCopies() made: every copy proven and durable, nothing in out/ touched yet. */
export interface StagedCopies {
  /** Each file's copies, as renames into out/ (from the staged copy or a temp file in out/). */
  readonly moves: ReadonlyMap<string, readonly Move[]>;
  /** Each file's copies in out/ that its new bytes do not get (not smaller, or not text). */
  readonly stale: ReadonlyMap<string, readonly string[]>;
  /** Files whose copies are not what they decode to (prove-copies.ts), and why. */
  readonly mismatched: readonly { readonly name: string; readonly why: string }[];
}

/**
 * The gzip and Brotli copies of every file a run publishes, made from the staged (proven) bytes
 * before the first rename into out/, decoded and compared with those bytes (prove-copies.ts),
 * and made durable. A copy that is not its file refuses the run with out/ as it was (old files
 * and old copies); otherwise each copy is renamed into place right after its file
 * (placeCopies()), and each copy of the file's old bytes that its new bytes do not get is
 * removed then. Before, the copies were made from the published files after every rename: a
 * refused run had published its files without their copies, and a kill between the renames
 * left old copies beside new files, which nginx and Caddy send as they are.
 * On a mismatch the copies made are removed; so they are on any error. `ahead` holds the
 * encodings begun before the files were staged (encode-ahead.ts).
 */
export async function stageCopies(
  outDir: string,
  groups: readonly CopyGroup[],
  ahead?: EncodeAhead,
): Promise<StagedCopies> {
  const moves = new Map<string, Move[]>();
  const stale = new Map<string, string[]>();
  const mismatched: { name: string; why: string }[] = [];
  const wanted: { group: CopyGroup; name: string }[] = [];
  for (const group of groups)
    for (const name of group.names) {
      if (compressible(name)) wanted.push({ group, name });
      else setStale(outDir, stale, name, Object.values(SIBLING));
    }
  const made = await makeAllCopies(
    wanted.map(({ group, name }) => join(group.root, name)),
    ahead,
  );
  const temps: { group: CopyGroup; tmp: string; staged: string; move: Move }[] = [];
  wanted.forEach(({ group, name }, i) => {
    const copies = made[i]!;
    if (copies.mismatch !== null) {
      for (const tmp of [copies.gzip, copies.br]) if (tmp !== null) rmSync(tmp, { force: true });
      mismatched.push({ name, why: copies.mismatch });
      return;
    }
    const left: string[] = [];
    for (const coding of ['gzip', 'br'] as const) {
      const tmp = copies[coding];
      const to = join(outDir, name + SIBLING[coding]);
      if (tmp === null) {
        left.push(SIBLING[coding]);
        continue;
      }
      const staged = group.staged ? join(group.root, name + SIBLING[coding]) : tmp;
      const digest: ProvenDigest = copies.digests[coding]!;
      temps.push({ group, tmp, staged, move: { from: staged, to, digest } });
      moves.set(name, [...(moves.get(name) ?? []), { from: staged, to, digest }]);
    }
    setStale(outDir, stale, name, left);
  });
  const removeAll = (): void => {
    for (const t of temps) {
      rmSync(t.tmp, { force: true });
      rmSync(t.staged, { force: true });
    }
  };
  if (mismatched.length > 0) {
    removeAll();
    return { moves: new Map(), stale: new Map(), mismatched };
  }
  try {
    for (const group of groups)
      flushFiles(
        group.root,
        temps.filter((t) => t.group === group).map((t) => t.tmp),
      );
    // A staged copy gets its name (rss.xml.gz beside rss.xml): the intent of a publication
    // names it, and a run that completes a killed one finds it there (finish-publication.ts).
    const dirs = new Set<string>();
    for (const t of temps)
      if (t.staged !== t.tmp) {
        renameSync(t.tmp, t.staged);
        dirs.add(dirname(t.staged));
      }
    for (const d of dirs) syncDir(d);
  } catch (error) {
    removeAll();
    throw stagedFor(error, temps[0]?.move.to ?? outDir, temps[0]?.group.root ?? outDir);
  }
  return { moves, stale, mismatched };
}

function setStale(
  outDir: string,
  stale: Map<string, string[]>,
  name: string,
  exts: readonly string[],
): void {
  const there = exts.map((ext) => name + ext).filter((c) => existsSync(join(outDir, c)));
  if (there.length > 0) stale.set(name, there);
}

/** The renames of the copies of `names` (files of one publishing step), in their order. */
export const copyMovesOf = (copies: StagedCopies, names: readonly string[]): Move[] =>
  names.flatMap((name) => copies.moves.get(name) ?? []);

/**
 * Remove the copies in out/ that the new bytes of `names` do not get (once those files are in
 * place). Returns the copies removed (names under out/).
 */
export function removeStaleCopies(
  outDir: string,
  copies: StagedCopies,
  names: readonly string[],
): string[] {
  const removed: string[] = [];
  for (const name of names)
    for (const copy of copies.stale.get(name) ?? []) {
      rmSync(join(outDir, copy), { force: true });
      removed.push(copy);
    }
  return removed;
}

/**
 * Rename the copies of files already in place (their copies were missing or stale) from their
 * temp files in out/, and sync their folders.
 */
export function placeCopies(moves: readonly Move[]): void {
  if (moves.length === 0) return;
  placeAll(moves);
  for (const d of new Set(moves.map((m) => dirname(m.to)))) syncDir(d);
}

/** Remove the copies stageCopies() made of `names` (a failure before they were placed). */
export function discardCopies(copies: StagedCopies, names: readonly string[]): void {
  for (const m of copyMovesOf(copies, names)) rmSync(m.from, { force: true });
}
