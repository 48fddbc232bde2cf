import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { GONE_MARKER } from '../publish/gone-markers.js';
import { loadHashes, type KnownHash } from '../publish/precompress.js';
import { FRONT_PAGE, monthFile } from '../render/page-paths.js';
import type { PageState } from './page-state.js';

/**
 * What changed in the folders of out/ whose stamp moved since the last publication
 * (page-state.ts movedFolder: a file in them deleted, added or renamed), found at the cost of
 * those folders: each is listed once, and each page the last publication left in it is
 * stat-ed against the size and mtime `etags.json` recorded when it was published
 * (precompress.ts recordHashes). A page missing, not as published (replaced by hand: an
 * editor, `sed -i`, a copy from elsewhere), or whose 410 marker is not as its record says, is
 * rendered again; the others are kept, and their `.gz`/`.br` copies looked at. A moved folder
 * rendered every page again: at 100,000 articles, minutes for one deleted copy.
 */
export interface FolderChanges {
  /** The moved folders (names under out/, `.` for out/ itself). */
  readonly folders: ReadonlySet<string>;
  /** Page files (names under out/) to render again. */
  readonly redo: ReadonlySet<string>;
  /** Pages in a moved folder found as published: their copies are made again if missing. */
  readonly kept: readonly string[];
}

export function folderChanges(
  outDir: string,
  stateDir: string,
  before: PageState,
  /** folderStamps() of the folders `before` stamped, as they are now. */
  now: Readonly<Record<string, string>>,
  /** Whether a record's page is a withdrawn article's notice page (answered 410). */
  gone: (path: string) => boolean,
): FolderChanges {
  const folders = new Set(Object.keys(now).filter((f) => before.folders[f] !== now[f]));
  const redo = new Set<string>();
  const kept: string[] = [];
  if (folders.size === 0) return { folders, redo, kept };
  // The pages the last publication left in the moved folders, and whether each is a 410.
  const pages: [file: string, notice: boolean][] = [];
  const add = (file: string, notice: boolean): void => {
    if (folders.has(folderOf(file))) pages.push([file, notice]);
  };
  add(FRONT_PAGE, false);
  for (const [path, [, file]] of before.records.all()) if (file !== '') add(file, gone(path));
  for (const name of before.parts.keys()) add(monthFile(name), false);
  if (pages.length === 0) return { folders, redo, kept };
  const listed = new Map<string, ReadonlySet<string>>();
  const names = (folder: string): ReadonlySet<string> => {
    let got = listed.get(folder);
    if (got === undefined) {
      try {
        got = new Set(readdirSync(join(outDir, folder)));
      } catch {
        got = new Set(); // gone, or not a folder: every page of it is missing
      }
      listed.set(folder, got);
    }
    return got;
  };
  // Read only when a page of a moved folder is there to compare (18 MB at 100,000 pages: far
  // less than rendering them).
  let hashes: ReadonlyMap<string, KnownHash> | null = null;
  for (const [file, notice] of pages) {
    const there = names(folderOf(file));
    const name = file.slice(file.lastIndexOf('/') + 1);
    if (!there.has(name) || there.has(name + GONE_MARKER) !== notice) {
      redo.add(file);
      continue;
    }
    hashes ??= loadHashes(stateDir).rows;
    const known = hashes.get(file);
    const s = statSync(join(outDir, file), { throwIfNoEntry: false });
    // No row (an etags.json lost or older than the page): rendered again, more work, never less.
    if (
      s === undefined ||
      known === undefined ||
      known.size !== s.size ||
      known.mtimeMs !== s.mtimeMs
    )
      redo.add(file);
    else kept.push(file);
  }
  return { folders, redo, kept };
}

const folderOf = (file: string): string => {
  const i = file.lastIndexOf('/');
  return i > 0 ? file.slice(0, i) : '.';
};
