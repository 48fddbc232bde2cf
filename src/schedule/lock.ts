import {
  closeSync,
  lstatSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
  mkdirSync,
  type Stats,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname } from 'node:path';
import { atPath, removeQuietly, writeAllSync } from '../io/atomic-write.js';

/**
 * One run at a time, whoever starts it (the scheduler, a system cron `build`, a person): an
 * exclusive lock file holding the owner's pid, host and start time. node-cron's noOverlap only
 * guards its own ticks.
 *
 * Whether a lock is still held (`judge`):
 * - proven alive: this host, its pid alive with the start time it recorded (or, where start
 *   times cannot be read at all, off Linux, its pid alive). Respected, however old.
 * - proven dead: this host, and its pid is gone or now belongs to another process (another
 *   start time). Taken over at once.
 * - unproven: respected for a bounded time, then taken over.
 *   - not a whole lock record (empty, not JSON, a bare pid, `{}`, a missing or mistyped field,
 *     a directory or anything but a file): taken over once YOUNG_MS old. A lock we write is
 *     whole a moment after it is created; only its creator may be between create and write.
 *   - another host's lock (a restarted container has a new host name; a folder shared between
 *     machines): its pid cannot be checked from here. A holder refreshes its lock's mtime every
 *     REFRESH_MS (see `acquired`), so such a lock is taken over once it has gone UNREFRESHED_MS
 *     without a refresh: a crashed machine's lock after a minute, a live one never.
 *   - this host, pid alive, but no start time recorded although start times can be read here:
 *     the pid may have been reused. Same rule as another host's lock.
 * Every takeover is reported to the caller (`takeover`), which prints and logs it.
 *
 * A takeover is one process at a time, guarded by a second exclusive file; under the guard the
 * lock is judged again, so a lock released or retaken meanwhile is never removed.
 */
export interface LockOwner {
  readonly pid: number;
  readonly host: string;
  readonly command: string;
  readonly startedAt: string;
  /** The owner's start time in clock ticks since boot (Linux), so a reused pid is not mistaken for it. */
  readonly procStart: string | null;
}

/** What a takeover replaced: for the warning and the run log. */
export interface Takeover {
  readonly lock: string;
  /** Who held it, e.g. `pid 12 (build) on host web-1 since 2026-…`, or what the path held. */
  readonly holder: string;
  /** Why it was judged stale. */
  readonly reason: string;
  /** Where something that was not a lock file (a directory) was moved; it is never deleted. */
  readonly movedTo: string | null;
  readonly owner: LockOwner | null;
  /** All of the above in one sentence. */
  readonly message: string;
}

export type Acquired =
  | {
      readonly ok: true;
      readonly release: () => void;
      readonly tookOverFrom: LockOwner | null;
      readonly takeover: Takeover | null;
    }
  | {
      readonly ok: false;
      readonly owner: LockOwner | null;
      /** Why a lock not proven alive is still respected, and when it will be taken over. */
      readonly why: string | null;
    };

/** A lock file younger than this is being written, not abandoned, even if it is not whole yet. */
const YOUNG_MS = 5_000;
/** A holder refreshes its lock's mtime this often... */
const REFRESH_MS = 10_000;
/** ...so a lock that cannot be checked from here is abandoned once unrefreshed this long. */
const UNREFRESHED_MS = 60_000;

type Verdict =
  | { readonly kind: 'gone' }
  | { readonly kind: 'alive'; readonly owner: LockOwner }
  | {
      readonly kind: 'unproven';
      readonly owner: LockOwner | null;
      readonly holder: string;
      readonly why: string;
    }
  | {
      readonly kind: 'stale';
      readonly owner: LockOwner | null;
      readonly holder: string;
      readonly reason: string;
      readonly isFile: boolean;
    };

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
  const seen = judge(path);
  if (seen.kind === 'gone') return create(path, me) ? acquired(path, null) : busy(path);
  if (seen.kind !== 'stale') return refused(seen);
  // Stale. Take over, one process at a time.
  const guard = `${path}.takeover`;
  if (!create(guard, me)) {
    const age = Math.abs(
      Date.now() - (statSync(guard, { throwIfNoEntry: false })?.mtimeMs ?? Date.now()),
    );
    if (age > 10_000) rmSync(guard, { force: true });
    return { ok: false, owner: seen.owner, why: null };
  }
  try {
    // Judged again under the guard: another process may have taken it over, or released it.
    const again = judge(path);
    if (again.kind === 'gone') return create(path, me) ? acquired(path, null) : busy(path);
    if (again.kind !== 'stale') return refused(again);
    let movedTo: string | null = null;
    if (again.isFile) {
      // Replaced in one rename: were it removed first, another process could create the lock
      // in between (without the guard), and the takeover would go unreported.
      const mine = `${path}.new-${process.pid}`;
      try {
        writeFileSync(mine, `${JSON.stringify(me)}\n`); // loops until written, or throws
      } catch (error) {
        removeQuietly(mine);
        throw atPath(error, mine);
      }
      renameSync(mine, path);
    } else {
      // Not ours to delete (a directory someone made): keep it, out of the way.
      movedTo = `${path}.stale-${new Date().toISOString().replace(/[:.]/g, '-')}-${process.pid}`;
      renameSync(path, movedTo);
      if (!create(path, me)) return busy(path);
    }
    const message = `took over the stale lock ${path}, held by ${again.holder}: ${again.reason}${movedTo === null ? '' : `; it was moved to ${movedTo}`}`;
    return acquired(path, {
      lock: path,
      holder: again.holder,
      reason: again.reason,
      movedTo,
      owner: again.owner,
      message,
    });
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

/** The lock's owner, or null if the path holds no whole lock record. */
export function readOwner(path: string): LockOwner | null {
  try {
    const owner = parseOwner(readFileSync(path, 'utf8'));
    return typeof owner === 'string' ? null : owner;
  } catch {
    return null;
  }
}

/**
 * Whether the owner, by what its record says, may still hold the lock: false only when it is
 * proven dead (this host, pid gone or reused). Another host's lock, or one without a start
 * time, counts as alive here (`status` shows it running); `tryLock` also weighs its age.
 */
export function isAlive(owner: LockOwner): boolean {
  return check(owner).kind !== 'dead';
}

type Check =
  | { readonly kind: 'alive' }
  | { readonly kind: 'dead'; readonly reason: string }
  | { readonly kind: 'unchecked'; readonly reason: string };

function check(owner: LockOwner): Check {
  if (owner.host !== hostname())
    return {
      kind: 'unchecked',
      reason: `it was taken on another host (${owner.host}), whose processes cannot be checked from here`,
    };
  try {
    process.kill(owner.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM')
      return { kind: 'dead', reason: `its process (pid ${owner.pid}) is gone` };
  }
  const now = procStart(owner.pid);
  if (owner.procStart === null) {
    // Off Linux no start time can be read: the live pid is all there is to go on.
    if (procStart(process.pid) === null) return { kind: 'alive' };
    return {
      kind: 'unchecked',
      reason: `it records no start time, so the live pid ${owner.pid} may be another process that reused it`,
    };
  }
  if (now !== null && now !== owner.procStart)
    return {
      kind: 'dead',
      reason: `pid ${owner.pid} now belongs to another process (started at tick ${now}, not ${owner.procStart})`,
    };
  return { kind: 'alive' };
}

function judge(path: string): Verdict {
  let stats: Stats | undefined;
  let text = '';
  try {
    stats = lstatSync(path, { throwIfNoEntry: false });
    if (stats === undefined) return { kind: 'gone' };
    if (stats.isFile()) text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'gone' };
    if (stats === undefined) throw error;
    text = `(unreadable: ${(error as NodeJS.ErrnoException).code ?? 'error'})`;
  }
  // A lock dated in the future (a run killed, then the clock set back: NTP, a restored VM)
  // would look young until the clock caught up, holding every run off meanwhile: its distance
  // from now is its age. Clocks a few seconds apart (another host) stay well under the limits.
  const ahead = stats.mtimeMs - Date.now();
  const age = Math.abs(ahead);
  const ago = `${Math.round(age / 1000)} s${ahead > 1000 ? ' (its time is in the future: the clock was set back)' : ''}`;
  const parsed = stats.isFile() ? parseOwner(text) : `a ${typeOf(stats)} is at the lock path`;
  if (typeof parsed === 'string') {
    const holder = stats.isFile()
      ? `nobody known (the file holds ${JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text)})`
      : `nobody known (a ${typeOf(stats)})`;
    const what = stats.isFile() ? `it is not a lock record (${parsed})` : parsed;
    if (age < YOUNG_MS)
      return {
        kind: 'unproven',
        owner: null,
        holder,
        why: `${what}, ${ago} old (its writer may be writing it); taken over once ${YOUNG_MS / 1000} s old`,
      };
    return {
      kind: 'stale',
      owner: null,
      holder,
      reason: `${what} and is ${ago} old (a lock being written is whole within ${YOUNG_MS / 1000} s)`,
      isFile: stats.isFile(),
    };
  }
  const owner = parsed;
  const holder = `pid ${owner.pid} (${owner.command}) on host ${owner.host} since ${owner.startedAt}`;
  const c = check(owner);
  if (c.kind === 'alive') return { kind: 'alive', owner };
  if (c.kind === 'dead') return { kind: 'stale', owner, holder, reason: c.reason, isFile: true };
  if (age < UNREFRESHED_MS)
    return {
      kind: 'unproven',
      owner,
      holder,
      why: `${c.reason}; it was last refreshed ${ago} ago and is taken over once ${UNREFRESHED_MS / 1000} s go by without a refresh`,
    };
  return {
    kind: 'stale',
    owner,
    holder,
    reason: `${c.reason}, and it was last refreshed ${ago} ago (a live holder refreshes it every ${REFRESH_MS / 1000} s; such a lock is taken over after ${UNREFRESHED_MS / 1000} s without a refresh)`,
    isFile: true,
  };
}

/** A whole lock record, or what is wrong with the text. */
function parseOwner(text: string): LockOwner | string {
  if (text.trim() === '') return 'empty';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'not JSON';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return `a bare ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}, not an object`;
  const o = value as Record<string, unknown>;
  const missing = [
    typeof o['pid'] === 'number' && Number.isSafeInteger(o['pid']) && o['pid'] > 0 ? null : 'pid',
    typeof o['host'] === 'string' && o['host'] !== '' ? null : 'host',
    typeof o['command'] === 'string' ? null : 'command',
    typeof o['startedAt'] === 'string' ? null : 'startedAt',
    typeof o['procStart'] === 'string' || o['procStart'] === null || o['procStart'] === undefined
      ? null
      : 'procStart',
  ].filter((f) => f !== null);
  if (missing.length > 0) return `missing or mistyped: ${missing.join(', ')}`;
  return {
    pid: o['pid'] as number,
    host: o['host'] as string,
    command: o['command'] as string,
    startedAt: o['startedAt'] as string,
    procStart: (o['procStart'] as string | null | undefined) ?? null,
  };
}

const typeOf = (s: Stats): string =>
  s.isDirectory() ? 'directory' : s.isSymbolicLink() ? 'symbolic link' : 'special file';

function refused(v: Exclude<Verdict, { kind: 'gone' } | { kind: 'stale' }>): Acquired {
  return { ok: false, owner: v.owner, why: v.kind === 'unproven' ? v.why : null };
}

function busy(path: string): Acquired {
  return { ok: false, owner: readOwner(path), why: null };
}

function create(path: string, me: LockOwner): boolean {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw atPath(error, path);
  }
  try {
    writeAllSync(fd, Buffer.from(`${JSON.stringify(me)}\n`), path);
  } catch (error) {
    // A full disk took the name but not the bytes: an empty lock would hold the next runs off
    // for 5 s each. It is ours (we created it), so it goes.
    closeSync(fd);
    rmSync(path, { force: true });
    throw error;
  }
  closeSync(fd);
  return true;
}

function acquired(path: string, takeover: Takeover | null): Acquired {
  let held = true;
  const mine = (): boolean => readOwner(path)?.pid === process.pid;
  // The refresh that tells another host (which cannot check our pid) that we still hold it.
  const refresh = setInterval(() => {
    try {
      if (mine()) {
        const now = new Date();
        utimesSync(path, now, now);
      }
    } catch {
      // Gone or unwritable: the next refresh tries again.
    }
  }, REFRESH_MS);
  refresh.unref();
  return {
    ok: true,
    tookOverFrom: takeover?.owner ?? null,
    takeover,
    release: () => {
      if (!held) return;
      held = false;
      clearInterval(refresh);
      // Only remove our own lock.
      if (mine()) {
        const gone = `${path}.released-${process.pid}`;
        renameSync(path, gone);
        rmSync(gone, { force: true });
      }
    },
  };
}

/** Field 22 of /proc/<pid>/stat: when the process started. Null off Linux. */
export function procStart(pid: number): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] ?? null;
  } catch {
    return null;
  }
}
