import { statSync } from 'node:fs';

/**
 * What a reader compares to know whether a file changed since it last read it, without
 * reading it: inode (a file replaced by a rename), size and mtime. '-' when it does not exist.
 */
export function statStamp(path: string): string {
  const s = statSync(path, { throwIfNoEntry: false });
  return s ? `${s.ino}:${s.size}:${s.mtimeMs}` : '-';
}
