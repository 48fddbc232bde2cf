import { lstatSync, readdirSync, statSync, watch, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The adapter for `fs.watch` (inotify on Linux): tells the `schedule` service that something
 * changed in a few folder trees, so that a tick with nothing to do can skip the build
 * (schedule/tick-decision.ts). It says *that* something changed, and where as a hint only
 * (the service reads a changed article early for its embargo: schedule/peek-articles.ts): the
 * build that follows scans as it always does, so an event that carries a wrong or no file
 * name, or several events merged into one, cost nothing.
 *
 * One `fs.watch` per folder, not `{ recursive: true }`: on Linux, Node 20 emulates recursion in
 * JavaScript with one inotify watch and one stat per *file* (lib/internal/fs/recursive_watch.js),
 * 10,000 watches for 10,000 articles and a stat of each at start, past the default
 * `fs.inotify.max_user_watches` at 100,000. Folders are few (an archive keeps one per month), so
 * a watch per folder costs next to nothing; a folder that appears is watched when its event
 * arrives, and anything written into it before that is on disk before the build it triggers.
 * Links are not followed, as the scan (io/walk-files.ts) does not follow them.
 *
 * What it cannot see it says (`problem()`): a watch that failed or errored, a root folder
 * replaced, removed or created since it was watched (its inode changed: `mv`, a new mount, a
 * restore), more folders than MAX_FOLDERS. The caller then starts a new watch and builds.
 */
export interface FolderWatch {
  /** Why this watch cannot be trusted any more, or null. Stats each root (cheap). */
  problem(): string | null;
  /** Watch the roots that did not exist when the watch started and exist now (after a build made them). */
  adoptNewRoots(): void;
  /** How many folders are watched. */
  folders(): number;
  close(): void;
}

/** More folders than this and the watch gives up (each is one inotify watch, ~1 KiB of kernel memory). */
export const MAX_FOLDERS = 10_000;

/**
 * Called for every event: which root (its index) it came from, and the path it names (the
 * folder itself when the event names no entry). The path is a hint, never the whole truth
 * (merged events, a rename seen from one side): the build still scans.
 */
export type OnChange = (root: number, path: string) => void;

export function watchFolders(roots: readonly string[], onChange: OnChange): FolderWatch {
  const watchers = new Map<string, FSWatcher>();
  /** Each root's identity (dev:ino) when watched, or null if it did not exist. */
  const identity: (string | null)[] = roots.map(() => null);
  let failure: string | null = null;
  let closed = false;

  const fail = (why: string): void => {
    failure ??= why;
  };

  const idOf = (path: string): string | null => {
    try {
      const s = statSync(path);
      return s.isDirectory() ? `${s.dev}:${s.ino}` : `not a folder ${s.dev}:${s.ino}`;
    } catch {
      return null;
    }
  };

  /** Watch `dir` and every real folder below it (links are not followed). */
  const addTree = (root: number, dir: string): void => {
    if (closed || failure !== null || watchers.has(dir)) return;
    if (watchers.size >= MAX_FOLDERS) {
      fail(
        `more than ${MAX_FOLDERS} folders to watch: every tick builds (as without a watch); fewer, larger folders would let idle ticks skip the build`,
      );
      return;
    }
    let w: FSWatcher;
    try {
      w = watch(dir, { persistent: false }, (_type, name) => {
        // A new folder (created or moved in) is watched; a gone one is dropped.
        if (typeof name !== 'string' || name === '') {
          onChange(root, dir);
          return addSubfolders(root, dir);
        }
        const path = join(dir, name);
        onChange(root, path);
        let isDir: boolean;
        try {
          isDir = lstatSync(path).isDirectory();
        } catch {
          return dropTree(path);
        }
        if (isDir) addTree(root, path);
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return; // gone between listing and watching: its parent's event said so
      fail(
        code === 'ENOSPC'
          ? `cannot watch ${dir}: the system's limit of inotify watches is reached (raise fs.inotify.max_user_watches)`
          : `cannot watch ${dir}: ${(error as Error).message}`,
      );
      return;
    }
    w.on('error', (error) => fail(`the watch of ${dir} failed: ${error.message}`));
    watchers.set(dir, w);
    addSubfolders(root, dir);
  };

  const addSubfolders = (root: number, dir: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // gone: its parent's event says so
    }
    for (const e of entries) if (e.isDirectory()) addTree(root, join(dir, e.name));
  };

  const dropTree = (path: string): void => {
    for (const [dir, w] of watchers)
      if (dir === path || dir.startsWith(path + sep)) {
        w.close();
        watchers.delete(dir);
      }
  };

  const adopt = (i: number): void => {
    const root = roots[i] as string;
    const id = idOf(root);
    if (id === null || identity[i] !== null) return;
    identity[i] = id;
    addTree(i, root);
  };

  roots.forEach((_, i) => adopt(i));

  return {
    problem: () => {
      if (failure !== null) return failure;
      for (const [i, root] of roots.entries()) {
        const was = identity[i];
        const now = idOf(root);
        if (was === now) continue;
        return was === null
          ? `${root} appeared since the watch started`
          : now === null
            ? `${root} is gone`
            : `${root} was replaced (another folder now has its name)`;
      }
      return null;
    },
    adoptNewRoots: () => roots.forEach((_, i) => adopt(i)),
    folders: () => watchers.size,
    close: () => {
      closed = true;
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
