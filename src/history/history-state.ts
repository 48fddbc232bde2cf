import { statSync } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { archiveOutputs } from '../model/outputs.js';

/**
 * What the last publication of the archive chain left in out/archive/: each document's key
 * (what its bytes depend on: src/history/archive-chain.ts) and its files' size and mtime. A run
 * renders an archive document again only when its key changed or someone touched its files,
 * so a new article re-renders its own month, not the chain. `.feedkeeper/history.json`.
 */
export interface HistoryState {
  readonly docs: Readonly<
    Record<
      string,
      {
        key: string;
        files: Readonly<Record<string, { size: number; mtimeMs: number }>>;
        /** ArchiveDoc.from (absent in a state saved before it). */
        from?: string;
      }
    >
  >;
}

export const historyStateFile = (stateDir: string): string => join(stateDir, 'history.json');

export function loadHistoryState(stateDir: string): HistoryState | null {
  try {
    const s = JSON.parse(
      readRegular(historyStateFile(stateDir), true).toString('utf8'),
    ) as HistoryState;
    return typeof s.docs === 'object' && s.docs !== null ? s : null;
  } catch {
    return null;
  }
}

export function saveHistoryState(stateDir: string, state: HistoryState): boolean {
  return writeFileAtomic(historyStateFile(stateDir), `${JSON.stringify(state)}\n`);
}

export function statDoc(
  outDir: string,
  name: string,
): Record<string, { size: number; mtimeMs: number }> {
  const out: Record<string, { size: number; mtimeMs: number }> = {};
  for (const row of archiveOutputs(name)) {
    const s = statSync(join(outDir, row.file), { throwIfNoEntry: false });
    if (s) out[row.file] = { size: s.size, mtimeMs: s.mtimeMs };
  }
  return out;
}

const sameFiles = (
  a: Readonly<Record<string, { size: number; mtimeMs: number }>>,
  b: Readonly<Record<string, { size: number; mtimeMs: number }>>,
): boolean =>
  Object.keys(a).length === Object.keys(b).length &&
  Object.entries(a).every(([k, v]) => b[k]?.size === v.size && b[k]?.mtimeMs === v.mtimeMs);

/** Whether a document's files are as the last publication left them (stats only). */
export const docUntouched = (state: HistoryState | null, outDir: string, name: string): boolean => {
  const saved = state?.docs[name];
  return saved !== undefined && sameFiles(saved.files, statDoc(outDir, name));
};

/**
 * Why the archive chain must be looked at again on a run whose records did not change, or null:
 * never published, or a file under out/archive/ changed or removed (3 stats per document).
 */
export function historyReason(stateDir: string, outDir: string): string | null {
  const state = loadHistoryState(stateDir);
  if (state === null) return 'first publication of the archive chain';
  for (const name of Object.keys(state.docs))
    if (!docUntouched(state, outDir, name)) return `out/archive/${name}/ was changed or removed`;
  return null;
}
