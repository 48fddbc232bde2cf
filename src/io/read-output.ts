import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/**
 * Read back a file feedkeeper wrote (a published file in out/, to compare it with what was
 * published or to prove it; a state file, to skip rewriting the same bytes): only a regular
 * file at that very name. out/ is ours, but anyone can put something else there: a FIFO made a
 * build and `check` wait forever for a writer (a build holding the lock, so the schedule
 * stopped publishing), and a link to /dev/zero grew the process by 400 MB a second. So the
 * name is opened without following a link (O_NOFOLLOW) and without waiting on a FIFO
 * (O_NONBLOCK), and anything but a regular file is refused before a byte is read (EINVAL).
 * Callers treat a refusal as they treat a missing file: report it, and write the file again
 * (a rename replaces the FIFO or the link itself).
 */
export function readOutput(path: string): Buffer {
  return withRegular(path, (fd) => readFileSync(fd));
}

/** Whether `path` is a regular file holding exactly `bytes` (read only if the size matches). */
export function holdsBytes(path: string, bytes: Uint8Array): boolean {
  try {
    return withRegular(path, (fd, size) =>
      size === bytes.length ? Buffer.compare(readFileSync(fd), bytes) === 0 : false,
    );
  } catch {
    return false;
  }
}

function withRegular<T>(path: string, use: (fd: number, size: number) => T): T {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  try {
    const s = fstatSync(fd);
    if (!s.isFile())
      throw Object.assign(new Error(`EINVAL: not a regular file, open '${path}'`), {
        code: 'EINVAL',
        path,
        syscall: 'open',
      });
    return use(fd, s.size);
  } finally {
    closeSync(fd);
  }
}
