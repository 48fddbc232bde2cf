import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { Issue } from '../model/issue.js';

/**
 * Records left out are checked again on every run (the feeds render even when nothing else
 * changed), so their problems are reported every time and a repaired record comes back.
 */
const leftOutFile = (stateDir: string): string => join(stateDir, 'left-out.json');

export const leftOutLastTime = (stateDir: string): boolean => existsSync(leftOutFile(stateDir));

export function saveLeftOut(stateDir: string, leftOut: ReadonlyMap<string, Issue>): void {
  if (leftOut.size === 0) rmSync(leftOutFile(stateDir), { force: true });
  else writeFileAtomic(leftOutFile(stateDir), `${JSON.stringify([...leftOut.keys()], null, 2)}\n`);
}
