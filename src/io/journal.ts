import { closeSync, constants, fstatSync, fsyncSync, ftruncateSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { atPath, fsError, syncDir, writeAllSync } from './atomic-write.js';
import { readRegular } from './read-regular.js';

/**
 * An append-only file of JSON lines, one per save, beside a snapshot that holds everything
 * (archive/catalogue-file.ts): a run that changes k rows appends k rows instead of rewriting
 * all N. A line is committed once its `\n` is on disk; a tail without one is what a killed or
 * refused append left, and is not part of the journal (the next append cuts it off).
 */
export interface JournalText {
  /** The committed lines, in order. */
  readonly lines: string[];
  /** Bytes of the committed lines: where the next line goes. */
  readonly bytes: number;
}

/**
 * The committed lines of `path`; none when it does not exist. Other read errors throw, and so
 * does anything that is not a regular file (a FIFO, a link to /dev/zero: io/read-regular.ts).
 */
export function readJournal(path: string): JournalText {
  let buffer: Buffer;
  try {
    buffer = readRegular(path, true);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { lines: [], bytes: 0 };
    throw error;
  }
  const end = buffer.lastIndexOf(0x0a) + 1;
  if (end === 0) return { lines: [], bytes: 0 };
  return { lines: buffer.toString('utf8', 0, end - 1).split('\n'), bytes: end };
}

/**
 * Append one line (no `\n` in it) after the first `at` bytes, and fsync: true when it is on
 * disk. false, with nothing written, when the file is not `at` bytes long (or `at` bytes plus a
 * torn tail): it changed since it was read, and the caller writes a snapshot instead. On a
 * failed write (a full disk) the file is cut back to `at` bytes and the error names `path`.
 */
export function appendJournal(path: string, line: string, at: number): boolean {
  const bytes = Buffer.from(`${line}\n`, 'utf8');
  let fd: number;
  try {
    // Not waiting on a FIFO for a reader (ENXIO instead), and not appending to a device.
    fd = openSync(
      path,
      constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK,
      0o644,
    );
  } catch (error) {
    // A FIFO nobody reads: not a journal to extend; the caller writes a snapshot instead.
    if ((error as NodeJS.ErrnoException).code === 'ENXIO') return false;
    throw atPath(error, path);
  }
  let size = 0;
  try {
    const s = fstatSync(fd);
    size = s.size;
    if (!s.isFile() || size < at || (size > at && !tornTail(path, at))) {
      closeSync(fd);
      return false;
    }
    // O_APPEND writes at the end: cut a torn tail off first.
    if (size > at) ftruncateSync(fd, at);
    writeAllSync(fd, bytes, path);
    fsyncSync(fd);
    const held = fstatSync(fd).size;
    if (held !== at + bytes.length)
      throw fsError('EIO', `the journal holds ${held} of ${at + bytes.length} bytes`, path);
  } catch (error) {
    try {
      ftruncateSync(fd, at);
    } catch {
      // The torn tail is ignored by readJournal() anyway.
    }
    try {
      closeSync(fd);
    } catch {
      // Already failing.
    }
    throw atPath(error, path);
  }
  closeSync(fd);
  // A new file's name must be durable too.
  if (at === 0 && size === 0) syncDir(dirname(path));
  return true;
}

/** Whether what follows the first `at` bytes is a torn line (no `\n`), not lines of another run. */
function tornTail(path: string, at: number): boolean {
  const buffer = readRegular(path, true);
  return buffer.subarray(0, at).lastIndexOf(0x0a) === at - 1 && !buffer.includes(0x0a, at);
}
