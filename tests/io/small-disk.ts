import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A small file system of its own (tmpfs), so a test can fill it to any level: the full-disk
 * tests need ENOSPC on demand. Mounting needs root (CI runs as root here); where it is refused,
 * SMALL_DISK says why and those tests are skipped (the `ulimit -f` tests still run).
 */
export interface SmallDisk {
  readonly dir: string;
  /** Bytes the file system can still take. */
  free(): number;
  /** Fill it until `bytes` (rounded down to a block) are left; returns the filler's path. */
  leave(bytes: number): string;
  unmount(): void;
}

export function mountSmallDisk(sizeKb: number): SmallDisk | string {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-disk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeKb}k`, 'tmpfs', dir], {
    encoding: 'utf8',
  });
  if (r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return `mount -t tmpfs refused (${(r.stderr || r.error?.message || `exit ${r.status}`).trim()}): run as root to test a full disk`;
  }
  const filler = join(dir, 'filler');
  const free = (): number => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    free,
    leave(bytes) {
      rmSync(filler, { force: true });
      const size = free() - bytes;
      if (size > 0) writeFileSync(filler, Buffer.alloc(size));
      return filler;
    },
    unmount() {
      spawnSync('umount', [dir]);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Why the tmpfs tests are skipped here, or null if this machine can mount one. */
export const SMALL_DISK: string | null = (() => {
  const probe = mountSmallDisk(64);
  if (typeof probe === 'string') return probe;
  probe.unmount();
  return null;
})();
