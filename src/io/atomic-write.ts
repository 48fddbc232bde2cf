import {
  closeSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Write a file so that a reader, or a run after `kill -9`, sees the old bytes or the new ones,
 * never a mix: write a hidden temp file beside it, fsync, rename over (rename(2) is atomic on
 * one file system). Leftover `.*.tmp-*` files from a killed run are removed by removeTempFiles().
 * Returns false (and writes nothing, keeping the mtime) when the bytes are already there.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { syncDir?: boolean } = {},
): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (sameBytes(path, bytes)) return false;
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    writeSync(fd, bytes);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(tmp, path);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
  // Records pass syncDir: false and the run syncs each folder once at its end (10,000 new
  // records would otherwise cost 10,000 folder syncs).
  if (opts.syncDir !== false) syncDir(dirname(path));
  return true;
}

/**
 * writeFileAtomic on libuv's thread pool, for the write worker (write-pool.ts): several run at
 * once, so the file system can commit their fsyncs together. Same steps, same guarantees; the
 * caller syncs the folders. (The worker calling writeFileAtomic one file at a time made a cold
 * build of 10,000 records 5.9 s instead of 4.4 s.)
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array): Promise<boolean> {
  const old = await readFile(path).catch(() => null);
  if (old !== null && Buffer.compare(old, bytes) === 0) return false;
  await mkdir(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  await writeFile(tmp, bytes, { mode: 0o644, flush: true }); // flush: fsync before close
  try {
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return true;
}

export function sameBytes(path: string, bytes: Uint8Array): boolean {
  try {
    return Buffer.compare(readFileSync(path), bytes) === 0;
  } catch {
    return false;
  }
}

/** Make the rename itself durable: fsync the folder that holds the new name. */
export function syncDir(dir: string): void {
  try {
    const fd = openSync(dir, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    // Some file systems refuse fsync on a directory; the rename is still atomic there.
  }
}

/** The hidden temp file beside `path` that an atomic write renames over it. */
export const tempPathFor = (path: string): string =>
  join(dirname(path), `.${basename(path)}.tmp-${process.pid}`);

/** What tempPathFor() names: a killed run's leftovers, removed by removeTempFiles(). */
export const TEMP_FILE = /^\..+\.tmp-\d+$/;

/**
 * A marker file holding our pid: its existence is the state (e.g. "records are being written").
 * Written once; later calls in the same run cost one stat.
 */
export function writeMarker(path: string): void {
  if (existsSync(path)) return;
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${process.pid}\n`);
}

/**
 * writeFileAtomic for large generated files (the catalogue at 100,000 articles is tens of MB):
 * the lines go to the temp file in chunks, never joined into one string, and the old bytes
 * are not read back for comparison (the caller knows the content changed).
 */
export function writeLinesAtomic(path: string, lines: Iterable<string>): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = tempPathFor(path);
  const fd = openSync(tmp, 'w', 0o644);
  try {
    let chunk: string[] = [];
    for (const line of lines) {
      chunk.push(line);
      if (chunk.length === 2000) {
        writeSync(fd, chunk.join(''));
        chunk = [];
      }
    }
    writeSync(fd, chunk.join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  syncDir(dirname(path));
}
