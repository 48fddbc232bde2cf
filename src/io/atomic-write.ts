import {
  closeSync,
  constants,
  existsSync,
  fstatSync,
  fsyncSync,
  mkdirSync,
  openSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { holdsBytes } from './read-output.js';

/**
 * Write a file so that a reader, or a run after `kill -9`, sees the old bytes or the new ones,
 * never a mix: write a hidden temp file beside it, fsync, rename over (rename(2) is atomic on
 * one file system). Leftover `.*.tmp-*` files from a killed run are removed by removeTempFiles().
 * Every byte is checked written and the temp file's size checked before the rename; on any
 * failure (ENOSPC, EDQUOT, EFBIG) the temp file is removed, the old file keeps its bytes, and
 * the error names `path`. Returns false (and writes nothing, keeping the mtime) when the bytes
 * are already there.
 */
export function writeFileAtomic(
  path: string,
  data: string | Uint8Array,
  opts: { syncDir?: boolean } = {},
): boolean {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (sameBytes(path, bytes)) return false;
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw atPath(error, path);
  }
  const tmp = tempPathFor(path);
  writeTemp(tmp, path, (fd) => {
    writeAllSync(fd, bytes, path);
    expectSize(fd, bytes.length, path);
  });
  renameOver(tmp, path);
  // Records pass syncDir: false and the run syncs each folder once at its end (10,000 new
  // records would otherwise cost 10,000 folder syncs).
  if (opts.syncDir !== false) syncDir(dirname(path));
  return true;
}

/**
 * Write every byte, or throw. write(2) may write fewer bytes than asked and still succeed: a
 * file system filling up (ENOSPC), a quota (EDQUOT) or a file-size limit (EFBIG, `ulimit -f`)
 * cut the write short, and only the next write fails. One unchecked writeSync() published a
 * record cut at 8,192 bytes on a nearly full disk, so: loop until all is written.
 */
export function writeAllSync(fd: number, bytes: Uint8Array, path: string): void {
  let done = 0;
  while (done < bytes.length) {
    let n: number;
    try {
      n = writeSync(fd, bytes, done, bytes.length - done);
    } catch (error) {
      throw atPath(error, path); // Node's write errors name no file
    }
    if (n <= 0) throw fsError('ENOSPC', `wrote ${done} of ${bytes.length} bytes`, path);
    done += n;
  }
}

/**
 * Create `tmp`, fill it with `fill`, prove its size is `expected`, fsync it, close it. On any
 * failure the temp file is removed (it holds part of the bytes, and it takes the space a full
 * disk needs) and the error names `path`, the file the caller meant to write.
 */
function writeTemp(tmp: string, path: string, fill: (fd: number) => void, sync = true): void {
  let fd: number;
  try {
    fd = openSync(tmp, 'w', 0o644);
  } catch (error) {
    throw atPath(error, path);
  }
  try {
    fill(fd);
    if (sync) fsyncSync(fd);
  } catch (error) {
    closeQuietly(fd);
    removeQuietly(tmp);
    throw atPath(error, path);
  }
  try {
    closeSync(fd);
  } catch (error) {
    // close(2) can report a delayed write error (NFS, some quotas): the bytes are not proven.
    removeQuietly(tmp);
    throw atPath(error, path);
  }
}

/** What the file system holds is what was written: no short tail (one fstat). */
function expectSize(fd: number, size: number, path: string): void {
  const held = fstatSync(fd).size;
  if (held !== size) throw fsError('EIO', `the file holds ${held} of ${size} bytes`, path);
}

function renameOver(tmp: string, path: string): void {
  try {
    renameSync(tmp, path);
  } catch (error) {
    removeQuietly(tmp);
    throw atPath(error, path);
  }
}

/** Remove a temp file after a failure; the failure is the error to report, not this. */
export function removeQuietly(path: string): void {
  try {
    rmSync(path, { recursive: true, force: true });
  } catch {
    // ENOTDIR and the like: nothing of ours is there.
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing: the first error is the one to report.
  }
}

/**
 * A file system error as feedkeeper reports it: `path` is the file the run meant to write (in
 * out/, records or the state folder), never the temp file or staged copy the failing call was
 * given; `stagedIn`, when set, is the staging folder that holds that file's copy until it is
 * renamed into place: the folder whose file system refused (fs-refusal.ts names both).
 */
export interface FsFailure extends NodeJS.ErrnoException {
  stagedIn?: string;
}

/**
 * The error names the file feedkeeper was writing. Node's write and fsync errors carry no path
 * (and an error from a worker arrives as a copy); its open, copy and rename errors carry the
 * temp file's or the staged copy's, which the operator never asked for: those become the
 * intended file (Node's message keeps the call's own path). A folder on the way to it (mkdir:
 * ENOTDIR, EACCES) is kept: it is the more exact answer.
 */
export function atPath(error: unknown, path: string): FsFailure {
  const e = (error instanceof Error ? error : new Error(String(error))) as FsFailure;
  if (e.path === undefined || !(e.path === path || path.startsWith(`${e.path}/`))) e.path = path;
  return e;
}

/**
 * The staged copy of `path` (in `stagingDir`) could not be written or proven: said of `path`,
 * with the staging folder, whose file system is the one out of space (it may not be out/'s).
 */
export function stagedFor(error: unknown, path: string, stagingDir: string): FsFailure {
  const e = atPath(error, path);
  e.stagedIn = stagingDir;
  return e;
}

/** An error shaped like Node's own (code, path), for a failure Node does not raise itself. */
export function fsError(code: string, what: string, path: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${what}, ${path}`), { code, path, syscall: 'write' });
}

/**
 * writeFileAtomic on libuv's thread pool, for the write worker (write-pool.ts): several run at
 * once, so the file system can commit their fsyncs together. Same steps, same guarantees; the
 * caller syncs the folders. (The worker calling writeFileAtomic one file at a time made a cold
 * build of 10,000 records 5.9 s instead of 4.4 s.)
 */
export async function writeFileAtomicAsync(path: string, bytes: Uint8Array): Promise<boolean> {
  if (await holdsBytesAsync(path, bytes)) return false;
  const tmp = tempPathFor(path);
  try {
    await mkdir(dirname(path), { recursive: true });
    const handle = await open(tmp, 'w', 0o644);
    try {
      // Looped like writeAllSync: a short write is how a full disk first shows.
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done);
        if (bytesWritten <= 0)
          throw fsError('ENOSPC', `wrote ${done} of ${bytes.length} bytes`, path);
        done += bytesWritten;
      }
      const { size } = await handle.stat();
      if (size !== bytes.length)
        throw fsError('EIO', `the file holds ${size} of ${bytes.length} bytes`, path);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (error) {
    // The first error is the one to report (rm itself fails, ENOTDIR, where mkdir did).
    await rm(tmp, { force: true }).catch(() => undefined);
    throw atPath(error, path);
  }
  return true;
}

export const sameBytes = (path: string, bytes: Uint8Array): boolean => holdsBytes(path, bytes);

/**
 * Whether `path` (through a link: a record kept as one) is a regular file holding `bytes`.
 * Opened without waiting on a FIFO, and read only when fstat says a regular file of the same
 * size (a link to /dev/zero is never read). A linked record that holds these bytes stays a link;
 * anything else is replaced by the rename: a revised linked record becomes a regular file where
 * the link was, its target left as it was. Simpler and safer than writing through the link into
 * a file outside the records folder (an annex object, another disk).
 */
async function holdsBytesAsync(path: string, bytes: Uint8Array): Promise<boolean> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch(() => null);
  if (handle === null) return false;
  try {
    const s = await handle.stat();
    if (!s.isFile() || s.size !== bytes.length) return false;
    return Buffer.compare(await handle.readFile(), bytes) === 0;
  } catch {
    return false;
  } finally {
    await handle.close();
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
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw atPath(error, path);
  }
  // Its existence is what counts, so it needs no temp file; a marker cut short by a full disk
  // still marks (and the run stops on the error).
  let fd: number;
  try {
    fd = openSync(path, 'w', 0o644);
  } catch (error) {
    throw atPath(error, path);
  }
  try {
    writeAllSync(fd, Buffer.from(`${process.pid}\n`), path);
  } finally {
    closeQuietly(fd);
  }
}

/**
 * writeFileAtomic for large generated files (the catalogue at 100,000 articles is tens of MB):
 * the lines go to the temp file in chunks, never joined into one string, and the old bytes
 * are not read back for comparison (the caller knows the content changed).
 */
export function writeLinesAtomic(
  path: string,
  lines: Iterable<string>,
  /**
   * false: neither the file nor its folder is fsynced here: the caller makes many files durable
   * at once after (io/flush-files.ts), as the index by key's 256 buckets are
   * (archive/key-index-file.ts).
   */
  sync = true,
): number {
  try {
    mkdirSync(dirname(path), { recursive: true });
  } catch (error) {
    throw atPath(error, path);
  }
  const tmp = tempPathFor(path);
  let written = 0;
  writeTemp(
    tmp,
    path,
    (fd) => {
      let chunk: string[] = [];
      let size = 0;
      const flush = (): void => {
        const bytes = Buffer.from(chunk.join(''), 'utf8');
        writeAllSync(fd, bytes, path);
        size += bytes.length;
        chunk = [];
      };
      for (const line of lines) {
        chunk.push(line);
        if (chunk.length === 2000) flush();
      }
      flush();
      expectSize(fd, size, path);
      written = size;
    },
    sync,
  );
  renameOver(tmp, path);
  if (sync) syncDir(dirname(path));
  return written;
}
