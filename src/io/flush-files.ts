import { spawnSync } from 'node:child_process';
import { closeSync, fsyncSync, openSync } from 'node:fs';

/**
 * Make many freshly written files durable at once, before they are renamed into place. One
 * fsync per file costs 0.4 to 3 ms on this machine's ext4 (10,000 pages: 29 s); one syncfs(2)
 * of the file system that holds them (`sync -f`, coreutils) flushes them all in one call (0.1 s
 * after 3,000 files). But syncfs also waits for every other process's unwritten data on that
 * file system: while another process wrote a 300,000-file archive, it took 1.7 s after a run
 * that had written 50 files, which 50 fsyncs do in 20 to 150 ms. So a run that writes a few
 * dozen files (one new article) fsyncs them; syncfs is for the many. Where `sync -f` is
 * missing or fails, each file is fsynced.
 */
export const SYNCFS_FROM = 64;

export function flushFiles(dir: string, paths: readonly string[]): void {
  if (paths.length === 0) return;
  if (paths.length >= SYNCFS_FROM) {
    const r = spawnSync('sync', ['-f', dir], { stdio: 'ignore', timeout: 120_000 });
    if (r.status === 0) return;
  }
  for (const path of paths) {
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
