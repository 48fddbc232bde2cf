import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir } from '../io/atomic-write.js';
import {
  clearPublishIntent,
  loadPublishIntent,
  savePublishState,
  stateOfIntent,
} from '../pipeline/publish-state.js';
import { SIBLING } from './make-copies.js';
import { holds, moveInto } from './publish-files.js';

export interface Finished {
  /** Files renamed into out/ from the staging folder now (not their copies: said with them). */
  readonly moved: string[];
  /** Whether out/ now holds the interrupted publication whole. */
  readonly completed: boolean;
  /** Files that could not be completed (no proven copy left in staging). */
  readonly missing: string[];
}

/**
 * The first thing a build does: complete a publication a kill interrupted between two renames
 * (DESIGN: a reader may then see rss.xml of one run beside atom.xml of the previous one, until
 * this runs). The intent saved before the first rename names every file and its proven sha256,
 * and so its gzip and Brotli copies (stage-copies.ts); a file or copy already in out/ with
 * those bytes stays, one still in staging with those bytes is renamed in, a copy the new bytes
 * do not get is removed, and the publish state is saved. If any file is neither (someone removed the
 * staging folder), nothing is moved and the intent stays: the run renders and publishes the
 * whole set again (renderReason sees the intent). Returns null when there was nothing to do.
 */
export function finishPublication(
  outDir: string,
  stagingDir: string,
  stateDir: string,
): Finished | null {
  const intent = loadPublishIntent(stateDir);
  if (intent === null) {
    // An unreadable intent is no plan to finish: the render that follows publishes afresh.
    return null;
  }
  const toMove: string[] = [];
  const missing: string[] = [];
  // The files first, each followed by its copies, in the order of the publication's renames.
  const wanted: [string, { readonly size: number; readonly sha256: string }][] = [];
  const toRemove: string[] = [];
  for (const [name, digest] of Object.entries(intent.files)) {
    wanted.push([name, digest]);
    for (const ext of Object.values(SIBLING)) {
      const copy = intent.copies?.[name + ext];
      if (copy === null) toRemove.push(name + ext);
      else if (copy !== undefined) wanted.push([name + ext, copy]);
    }
  }
  for (const [name, digest] of wanted) {
    if (holds(join(outDir, name), digest)) continue;
    if (holds(join(stagingDir, name), digest)) toMove.push(name);
    else missing.push(name);
  }
  // Said of the files; of their copies only when every file is there.
  const missingFiles = missing.filter((name) => name in intent.files);
  if (missing.length > 0)
    return {
      moved: [],
      completed: false,
      missing: missingFiles.length > 0 ? missingFiles : missing,
    };
  const digests = new Map(wanted);
  for (const name of toMove)
    moveInto(join(stagingDir, name), join(outDir, name), digests.get(name)!);
  for (const name of toRemove) rmSync(join(outDir, name), { force: true });
  if (toMove.length > 0 || toRemove.length > 0) syncDir(outDir);
  savePublishState(stateDir, stateOfIntent(intent, outDir));
  clearPublishIntent(stateDir);
  rmSync(stagingDir, { recursive: true, force: true });
  return { moved: toMove.filter((name) => name in intent.files), completed: true, missing: [] };
}
