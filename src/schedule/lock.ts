import { readFileSync, renameSync, rmSync, statSync, writeFileSync, mkdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';

/**
 * One run at a time, whoever starts it (the scheduler, a system cron `build`, a person): an
 * exclusive lock file holding the owner's pid. node-cron's noOverlap only guards its own ticks.
 * A lock whose process is gone (kill -9, reboot) is stale and taken over safely: one process
 * at a time may take over, guarded by a second exclusive file.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
  /** The owner's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  readonly procStart: string | null;
}

export type Acquired =
  | { readonly ok: true; readonly release: () => void; readonly tookOverFrom: LockOwner | null }
  | { readonly ok: false; readonly owner: LockOwner | null };

export function tryLock(path: string, command: string): Acquired {
  mkdirSync(dirname(path), { recursive: true });
  const me: LockOwner = {
    pid: process.pid,
    host: hostname(),
    command,
    startedAt: new Date().toISOString(),
    procStart: procStart(process.pid),
  };
  if (create(path, me)) return acquired(path, null);
  const owner = readOwner(path);
  if (owner !== null && isAlive(owner)) return { ok: false, owner };
  // Empty or half-written: its creator may be between create and write right now. Only an
  // old one is stale (the creator was killed in between).
  if (owner === null && isYoung(path)) return { ok: false, owner: null };
  // Stale (or unreadable: a kill between create and write). Take over, one process at a time.
  const guard = `${path}.takeover`;
  if (!create(guard, me)) {
    const age = Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
    if (age > 10_000) rmSync(guard, { force: true });
    return { ok: false, owner };
  }
  try {
    const again = readOwner(path);
    if (again !== null && isAlive(again)) return { ok: false, owner: again };
    if (again === null && isYoung(path)) return { ok: false, owner: null };
    rmSync(path, { force: true });
    return create(path, me) ? acquired(path, owner) : { ok: false, owner: readOwner(path) };
  } finally {
    rmSync(guard, { force: true });
  }
}

/** Poll for the lock until `waitMs` has passed. */
export async function acquireLock(
  path: string,
  command: string,
  waitMs: number,
): Promise<Acquired> {
  const until = Date.now() + waitMs;
  for (;;) {
    const got = tryLock(path, command);
    if (got.ok || Date.now() >= until) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export function readOwner(path: string): LockOwner | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as LockOwner;
  } catch {
    return null;
  }
}

/** A lock file younger than this is being written, not abandoned, even if it does not parse yet. */
const YOUNG_MS = 5_000;

function isYoung(path: string): boolean {
  const s = statSync(path, { throwIfNoEntry: false });
  return s !== undefined && Date.now() - s.mtimeMs < YOUNG_MS;
}

function create(path: string, me: LockOwner): boolean {
  try {
    writeFileSync(path, `${JSON.stringify(me)}\n`, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  }
}

function acquired(path: string, tookOverFrom: LockOwner | null): Acquired {
  let held = true;
  return {
    ok: true,
    tookOverFrom,
    release: () => {
      if (!held) return;
      held = false;
      // Only remove our own lock.
      if (readOwner(path)?.pid === process.pid) {
        const gone = `${path}.released-${process.pid}`;
        renameSync(path, gone);
        rmSync(gone, { force: true });
      }
    },
  };
}

export function isAlive(owner: LockOwner): boolean {
  if (owner.host !== hostname()) return true; // another machine's lock: we cannot tell, so respect it
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const now = procStart(owner.pid);
  return owner.procStart === null || now === null || now === owner.procStart;
}

/** Field 22 of /proc/<pid>/stat: when the process started. Null off Linux. */
function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
