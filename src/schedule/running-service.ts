import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRegular } from '../io/read-regular.js';

/** What `.feedkeeper/schedule.json` says while a `feedkeeper schedule` service runs. */
export interface RunningService {
  readonly pid: number;
  readonly cron: string;
  readonly timezone: string;
  readonly nextRun: string | null;
}

export const serviceFile = (stateDir: string): string => join(stateDir, 'schedule.json');

/**
 * The service that wrote schedule.json, if it still runs: its process is alive and, where
 * /proc tells, is a node process (a pid left by a killed service and reused by another program
 * is no service). null otherwise.
 */
export function runningService(stateDir: string): RunningService | null {
  let s: RunningService;
  try {
    s = JSON.parse(readRegular(serviceFile(stateDir), true).toString('utf8')) as RunningService;
    if (!Number.isInteger(s.pid) || s.pid <= 0) return null;
    process.kill(s.pid, 0);
  } catch {
    return null;
  }
  try {
    const cmdline = readFileSync(`/proc/${s.pid}/cmdline`, 'latin1');
    if (!/node/.test(cmdline)) return null;
  } catch {
    // No /proc (not Linux): the live pid is all there is to go on.
  }
  return s;
}
