import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { syncDir } from '../io/atomic-write.js';
import {
  clearPublishIntent,
  loadPublishIntent,
  savePublishState,
  stateOfIntent,
} from '../pipeline/publish-state.js';
import { holds, moveInto } from './publish-files.js';

export interface Finished {
  /** Files renamed into out/ from the staging folder now. */
  readonly moved: string[];
  /** Whether out/ now holds the interrupted publication whole. */
  readonly completed: boolean;
  /** Files that could not be completed (no proven copy left in staging). */
  readonly missing: string[];
}

/**
 * The first thing a build does: complete a publication a kill interrupted between two renames
 * (DESIGN: a reader may then see rss.xml of one run beside atom.xml of the previous one, until
 * this runs). The intent saved before the first rename names every file and its proven sha256;
 * a file already in out/ with those bytes stays, one still in staging with those bytes is
 * renamed in, and the publish state is saved. If any file is neither (someone removed the
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
  for (const [name, digest] of Object.entries(intent.files)) {
    if (holds(join(outDir, name), digest)) continue;
    if (holds(join(stagingDir, name), digest)) toMove.push(name);
    else missing.push(name);
  }
  if (missing.length > 0) return { moved: [], completed: false, missing };
  for (const name of toMove)
    moveInto(join(stagingDir, name), join(outDir, name), intent.files[name]!);
  if (toMove.length > 0) syncDir(outDir);
  savePublishState(stateDir, stateOfIntent(intent, outDir));
  clearPublishIntent(stateDir);
  rmSync(stagingDir, { recursive: true, force: true });
  return { moved: toMove, completed: true, missing: [] };
}
