import { existsSync, rmSync, closeSync, openSync } from 'node:fs';
import { join } from 'node:path';
import { GONE_MARKER, type PublishedStatus } from './gone-markers.js';

/**
 * The 410 markers proven after setGoneMarkers() set them, on this side of the rename: a page
 * whose row says 410 must have its `<name>.gone`, and every other output must not (a live
 * article answered 410 Gone is dropped by crawlers; a notice page without one is answered 200).
 * A stat per output the run rendered, never a walk of out/.
 */
export function goneMarkerProblems(
  outDir: string,
  rows: readonly PublishedStatus[],
): { file: string; gone: boolean; marked: boolean }[] {
  const wrong: { file: string; gone: boolean; marked: boolean }[] = [];
  for (const row of rows) {
    const gone = row.status === 410;
    const marked = existsSync(join(outDir, row.file + GONE_MARKER));
    if (gone !== marked) wrong.push({ file: row.file, gone, marked });
  }
  return wrong;
}

/** Which of `rows` have a marker now: taken before setting them, to put them back on a refusal. */
export function markersNow(outDir: string, rows: readonly PublishedStatus[]): Map<string, boolean> {
  return new Map(rows.map((r) => [r.file, existsSync(join(outDir, r.file + GONE_MARKER))]));
}

/** Put the markers back as markersNow() found them (a refused run leaves out/ as it was). */
export function restoreMarkers(outDir: string, before: ReadonlyMap<string, boolean>): void {
  for (const [file, marked] of before) {
    const marker = join(outDir, file + GONE_MARKER);
    if (!marked) rmSync(marker, { force: true });
    else if (!existsSync(marker)) closeSync(openSync(marker, 'w', 0o644));
  }
}
