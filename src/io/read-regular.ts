import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readlinkSync,
  readSync,
  type Stats,
} from 'node:fs';

/**
 * Open a file feedkeeper reads (a record, a state file, a published file read back) only if it
 * is a regular file: a FIFO at that name made every command wait forever for a writer (a build
 * holding the lock, so the schedule stopped publishing), and a link to /dev/zero grew the
 * process by gigabytes in seconds. The name is opened without waiting on a FIFO (O_NONBLOCK)
 * and, unless `follow`, without following a link (O_NOFOLLOW); anything fstat does not call a
 * regular file is refused before a byte is read, with an EINVAL error that says what it is
 * ("is a FIFO, not a regular file"). Records may be links (git-annex, a year moved to another
 * disk), so their readers follow; out/ is ours and its readers do not.
 */
export function openRegular(path: string, follow: boolean): { fd: number; size: number } {
  const fd = openSync(
    path,
    constants.O_RDONLY | constants.O_NONBLOCK | (follow ? 0 : constants.O_NOFOLLOW),
  );
  try {
    const s = fstatSync(fd);
    if (!s.isFile()) throw notRegular(path, kindOf(s));
    return { fd, size: s.size };
  } catch (error) {
    closeSync(fd);
    throw error;
  }
}

/**
 * The bytes of the regular file at `path` (see openRegular()), never more than fstat said it
 * held when it was opened: a file that keeps growing cannot keep the reader going.
 */
export function readRegular(path: string, follow: boolean): Buffer {
  const { fd, size } = openRegular(path, follow);
  try {
    if (size > MAX_READ_BYTES) throw tooLarge(path, size);
    return readUpTo(fd, size);
  } finally {
    closeSync(fd);
  }
}

/**
 * The largest file readRegular() reads. Everything it reads (a record, a state file, a
 * published file read back) is parsed as one string, and V8 holds no string longer than
 * 512 MiB: a larger file (a record replaced by a 3 GB disk image) could only fail, after taking
 * the memory, with a message about buffer lengths. Half of that leaves room for the parse; no
 * file feedkeeper writes comes near it.
 */
export const MAX_READ_BYTES = 256 * 1024 * 1024;

/** At most `size` bytes of `fd` from its start: fewer if the file was cut meanwhile. */
export function readUpTo(fd: number, size: number): Buffer {
  const buffer = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const n = readSync(fd, buffer, got, size - got, null);
    if (n === 0) break;
    got += n;
  }
  return got === size ? buffer : buffer.subarray(0, got);
}

/** Whether an error is readRegular()'s refusal of something that is not a regular file. */
export const isNotRegular = (error: unknown): boolean =>
  (error as { notRegular?: unknown } | null)?.notRegular === true;

/**
 * Why `path` could not be read, for a message: what stands there when it is not a regular
 * file ("is a FIFO, not a regular file"; a link that leads nowhere says so), else the error's
 * own text. Only called once a read failed, so a good read costs no extra stat.
 */
export function unreadableBecause(path: string, error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  if (isNotRegular(e)) {
    const kind = (e as { kind?: string }).kind ?? 'not a file';
    const link = lstatSync(path, { throwIfNoEntry: false });
    return link?.isSymbolicLink()
      ? `is a symbolic link to ${readlinkSync(path)}, ${kind}, not a regular file`
      : e.message;
  }
  if (e.code === 'ENOENT') {
    const link = lstatSync(path, { throwIfNoEntry: false });
    return link?.isSymbolicLink()
      ? 'is a symbolic link to nothing (its target is gone)'
      : 'is missing';
  }
  if (e.code === 'ELOOP') return 'is a symbolic link that loops (or is not followed here)';
  if (e.code === 'EISDIR') return 'is a folder, not a regular file';
  if (e.code === 'EFBIG' && e.syscall === 'read') return e.message;
  return `cannot be read (${e.message})`;
}

/** "a FIFO", "a character device", …: what a Stats says is at a name that is not a file. */
export function kindOf(s: Stats): string {
  if (s.isFile()) return 'a regular file';
  if (s.isDirectory()) return 'a folder';
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice()) return 'a character device';
  if (s.isBlockDevice()) return 'a block device';
  if (s.isSymbolicLink()) return 'a symbolic link';
  return 'not a file';
}

function tooLarge(path: string, size: number): Error {
  const mib = (n: number): string => `${(n / 1024 ** 2).toFixed(0)} MiB`;
  return Object.assign(
    new Error(
      `is ${mib(size)}, more than any file feedkeeper writes can be (it reads up to ${mib(MAX_READ_BYTES)})`,
    ),
    { code: 'EFBIG', path, syscall: 'read' },
  );
}

function notRegular(path: string, kind: string): Error {
  return Object.assign(new Error(`is ${kind}, not a regular file`), {
    code: 'EINVAL',
    path,
    syscall: 'open',
    notRegular: true,
    kind,
  });
}
