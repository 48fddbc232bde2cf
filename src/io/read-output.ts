import { closeSync } from 'node:fs';
import { openRegular, readRegular, readUpTo } from './read-regular.js';

/**
 * Read back a file feedkeeper wrote (a published file in out/, to compare it with what was
 * published or to prove it; a state file, to skip rewriting the same bytes): only a regular
 * file at that very name, not through a link (io/read-regular.ts: a FIFO or a link to
 * /dev/zero is refused before a byte is read, with EINVAL). Callers treat a refusal as they
 * treat a missing file: report it, and write the file again (a rename replaces the FIFO or
 * the link itself).
 */
export const readOutput = (path: string): Buffer => readRegular(path, false);

/** Whether `path` is a regular file holding exactly `bytes` (read only if the size matches). */
export function holdsBytes(path: string, bytes: Uint8Array): boolean {
  let opened;
  try {
    opened = openRegular(path, false);
  } catch {
    return false;
  }
  const { fd, size } = opened;
  try {
    // A file cut meanwhile reads short, and a short read is not these bytes.
    return size === bytes.length && Buffer.compare(readUpTo(fd, size), bytes) === 0;
  } catch {
    return false;
  } finally {
    closeSync(fd);
  }
}
