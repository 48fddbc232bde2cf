import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readRegular } from '../io/read-regular.js';
import { procStart } from './lock.js';

/** What `.feedkeeper/schedule.json` says while a `feedkeeper schedule` service runs. */
export interface RunningService {
  readonly pid: number;
  readonly cron: string;
  readonly timezone: string;
  readonly nextRun: string | null;
}

export const serviceFile = (stateDir: string): string => join(stateDir, 'schedule.json');

/** What schedule.json tells: no file, a service that runs, or one left by a service gone. */
export type ServiceState =
  | { readonly kind: 'none' }
  | { readonly kind: 'running'; readonly service: RunningService }
  | { readonly kind: 'stale'; readonly pid: number; readonly reason: string };

/**
 * Whether the service that wrote schedule.json still runs. A service killed without cleanup
 * (kill -9, the OOM killer, a power loss) leaves the file, and its pid may since belong to
 * another process, a node one too (found by an outside try: a web server's pid blocked every
 * new service for good). So, as the lock does (schedule/lock.ts), the process's start time is
 * compared with the one recorded; a file without one (written by an older version) falls back
 * to "a live node process".
 */
export function serviceState(stateDir: string): ServiceState {
  // procStart: when its process started (/proc/<pid>/stat field 22), as the lock records it;
  // null off Linux. It stays in the file: status shows what RunningService holds.
  let s: RunningService & { readonly procStart?: string | null };
  try {
    s = JSON.parse(readRegular(serviceFile(stateDir), true).toString('utf8')) as typeof s;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    return { kind: 'stale', pid: 0, reason: `it cannot be read (${(error as Error).message})` };
  }
  if (typeof s !== 'object' || s === null || !Number.isInteger(s.pid) || s.pid <= 0)
    return { kind: 'stale', pid: 0, reason: 'it names no process' };
  try {
    process.kill(s.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM')
      return { kind: 'stale', pid: s.pid, reason: `its process (pid ${s.pid}) is gone` };
  }
  const now = procStart(s.pid);
  if (typeof s.procStart === 'string') {
    if (now !== null && now !== s.procStart)
      return {
        kind: 'stale',
        pid: s.pid,
        reason: `pid ${s.pid} now belongs to another process (started at tick ${now}, not ${s.procStart})`,
      };
    return { kind: 'running', service: serviceOf(s) };
  }
  try {
    const cmdline = readFileSync(`/proc/${s.pid}/cmdline`, 'latin1');
    if (!/node/.test(cmdline))
      return {
        kind: 'stale',
        pid: s.pid,
        reason: `pid ${s.pid} now belongs to another program, not a node process`,
      };
  } catch {
    // No /proc (not Linux): the live pid is all there is to go on.
  }
  return { kind: 'running', service: serviceOf(s) };
}

const serviceOf = (s: RunningService): RunningService => ({
  pid: s.pid,
  cron: s.cron,
  timezone: s.timezone,
  nextRun: s.nextRun,
});

/** The service that wrote schedule.json, if it still runs (see serviceState); null otherwise. */
export function runningService(stateDir: string): RunningService | null {
  const state = serviceState(stateDir);
  return state.kind === 'running' ? state.service : null;
}
