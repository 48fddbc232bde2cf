import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import {
  atPath,
  fsError,
  removeQuietly,
  sameBytes,
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
  const proven = new Map([...files].map(([name, text]) => [name, Buffer.from(text, 'utf8')]));
  const digests: Record<string, ProvenDigest> = {};
  for (const [name, bytes] of proven) digests[name] = digestOf(bytes);
  const changed = [...proven.keys()].filter(
    (name) => !sameBytes(join(outDir, name), proven.get(name)!),
  );
  const unchanged = [...proven.keys()].filter((name) => !changed.includes(name));
  if (changed.length === 0) return { written: [], unchanged, files: digests };
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw atPath(error, outDir);
  }
  rmSync(stagingDir, { recursive: true, force: true });
  try {
    for (const name of changed)
      writeFileAtomic(join(stagingDir, name), proven.get(name)!, { syncDir: false });
    syncDir(stagingDir);
    for (const name of changed) expectBytes(join(stagingDir, name), digests[name]!);
    beforeRenames(digests);
  } catch (error) {
    // Nothing was renamed: out/ is as it was. The staged copies only take space a full disk
    // needs back.
    removeQuietly(stagingDir);
    throw error;
  }
  for (const name of changed) moveInto(join(stagingDir, name), join(outDir, name), digests[name]!);
  syncDir(outDir);
  rmSync(stagingDir, { recursive: true, force: true });
  return { written: changed, unchanged, files: digests };
}

/** Whether `path` holds exactly the proven bytes (a read and a hash; false if unreadable). */
export function holds(path: string, digest: ProvenDigest): boolean {
  try {
    const bytes = readFileSync(path);
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

/** Rename a proven staged file into place (atomic: a reader sees the old file or this one). */
export function moveInto(from: string, to: string, digest: ProvenDigest): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw atPath(error, to);
    // Staging on another file system: copy beside the target, prove it, then rename (still
    // atomic).
    const tmp = tempPathFor(to);
    try {
      copyFileSync(from, tmp);
      expectBytes(tmp, digest);
      renameSync(tmp, to);
    } catch (copyError) {
      removeQuietly(tmp);
      throw atPath(copyError, to);
    }
  }
}
