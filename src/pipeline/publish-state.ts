import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic, writeMarker } from '../io/atomic-write.js';

/**
 * What the last publication left in out/: the configuration it was made with, each file's
 * size and mtime, and those of the records it lists. A run renders again only if the records
 * changed, the configuration (or feedkeeper) changed, someone touched out/, or someone edited
 * or broke a listed record by hand (a few dozen stats; `build --full` checks every record).
 */
export interface PublishState {
  readonly fingerprint: string;
  readonly entries: readonly string[];
  readonly files: Readonly<Record<string, { size: number; mtimeMs: number }>>;
  readonly records?: Readonly<Record<string, { size: number; mtimeMs: number }>>;
  /** The records under embargo, next due first: a run after the first is due renders. */
  readonly scheduled?: readonly { record: string; id: string; publishedAt: string }[];
}

export const publishStateFile = (stateDir: string): string => join(stateDir, 'published.json');

export function loadPublishState(stateDir: string): PublishState | null {
  try {
    return JSON.parse(readFileSync(publishStateFile(stateDir), 'utf8')) as PublishState;
  } catch {
    return null;
  }
}

/**
 * Exists from the first record a run writes until feeds made from the archive are published:
 * a run killed (or refused by validation) in between leaves it, so the next run renders again
 * even though its own scan finds nothing new.
 */
export const pendingFile = (stateDir: string): string => join(stateDir, 'publish.pending');

export const markPublishPending = (stateDir: string): void => writeMarker(pendingFile(stateDir));

export const isPublishPending = (stateDir: string): boolean => existsSync(pendingFile(stateDir));

export const clearPublishPending = (stateDir: string): void =>
  rmSync(pendingFile(stateDir), { force: true });

export function savePublishState(stateDir: string, state: PublishState): boolean {
  return writeFileAtomic(publishStateFile(stateDir), `${JSON.stringify(state, null, 2)}\n`);
}

export function statFiles(
  outDir: string,
  names: readonly string[],
): Record<string, { size: number; mtimeMs: number }> {
  const out: Record<string, { size: number; mtimeMs: number }> = {};
  for (const name of names) {
    const s = statSync(join(outDir, name), { throwIfNoEntry: false });
    if (s) out[name] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  return out;
}

/** Why the feeds must be rendered again, or null if what is in out/ is still right. */
export function renderReason(
  state: PublishState | null,
  fingerprint: string,
  recordsChanged: boolean,
  current: Record<string, { size: number; mtimeMs: number }>,
  currentRecords: Record<string, { size: number; mtimeMs: number }> = {},
): string | null {
  if (state === null) return 'first publication';
  if (recordsChanged) return 'the archive changed';
  if (state.fingerprint !== fingerprint) return 'the configuration or feedkeeper changed';
  for (const [name, s] of Object.entries(state.files)) {
    const now = current[name];
    if (!now || now.size !== s.size || now.mtimeMs !== s.mtimeMs)
      return `out/${name} was changed or removed`;
  }
  for (const [name, s] of Object.entries(state.records ?? {})) {
    const now = currentRecords[name];
    if (!now || now.size !== s.size || now.mtimeMs !== s.mtimeMs)
      return `the listed record ${name} was changed or removed outside feedkeeper`;
  }
  return null;
}
