import { copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { sameBytes, syncDir, tempPathFor, writeFileAtomic } from '../io/atomic-write.js';

export interface PublishResult {
  readonly written: string[];
  readonly unchanged: string[];
}

/**
 * Publish validated files into `outDir`: byte-identical files are skipped (their mtime, and so
 * readers' conditional GETs, stay as they were); the others are first written to `stagingDir`,
 * then each is renamed into place, so a reader sees the old file or the new one, never a mix.
 */
export function publishFiles(
  outDir: string,
  stagingDir: string,
  files: ReadonlyMap<string, string>,
): PublishResult {
  const changed = [...files].filter(
    ([name, text]) => !sameBytes(join(outDir, name), Buffer.from(text, 'utf8')),
  );
  const unchanged = [...files.keys()].filter((name) => !changed.some(([n]) => n === name));
  if (changed.length === 0) return { written: [], unchanged };
  mkdirSync(outDir, { recursive: true });
  rmSync(stagingDir, { recursive: true, force: true });
  for (const [name, text] of changed)
    writeFileAtomic(join(stagingDir, name), text, { syncDir: false });
  syncDir(stagingDir);
  // Pages live in folders of out/ (articles/, archive/YYYY/MM/): each is made, and synced.
  const folders = new Set([outDir, ...changed.map(([name]) => dirname(join(outDir, name)))]);
  for (const dir of folders) mkdirSync(dir, { recursive: true });
  for (const [name] of changed) moveInto(join(stagingDir, name), join(outDir, name));
  for (const dir of folders) syncDir(dir);
  rmSync(stagingDir, { recursive: true, force: true });
  return { written: changed.map(([name]) => name), unchanged };
}

function moveInto(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    // Staging on another file system: copy beside the target, then rename (still atomic).
    const tmp = tempPathFor(to);
    copyFileSync(from, tmp);
    renameSync(tmp, to);
  }
}
