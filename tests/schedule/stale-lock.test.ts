import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO, type Project } from '../helpers.js';
import {
  expectValidProject,
  holdLock,
  lockPath,
  removeProjects,
  runLog,
  start,
  syntheticProject,
  waitFor,
  type LogLine,
} from './process-helpers.js';

/**
 * A lock that cannot be proven alive (another host's, one without a start time, a bare pid,
 * `{}`, text that does not parse, a directory) is taken over after a bounded wait, and every
 * takeover is reported: a warning on stderr and a `takeover` field in the run log line. A
 * lock proven alive (same host, pid alive with the same start time) is still respected.
 */

afterAll(removeProjects);

const WARNING = 'feedkeeper build: warning: took over the stale lock';

const writeLock = (p: Project, content: Record<string, unknown> | string): void => {
  mkdirSync(dirname(lockPath(p)), { recursive: true });
  writeFileSync(
    lockPath(p),
    typeof content === 'string' ? content : `${JSON.stringify(content)}\n`,
  );
};

/** Make the lock (file or directory) look `seconds` old: last written or refreshed back then. */
const age = (p: Project, seconds: number): void => {
  const t = Date.now() / 1000 - seconds;
  utimesSync(lockPath(p), t, t);
};

/** A pid that certainly belongs to no process now: a child's, after it was reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  return Number(r.stdout);
}

type Run = SpawnSyncReturns<string>;
const out = (r: Run): string => `exit ${r.status}\n${r.stdout}${r.stderr}`;
const lastLog = (p: Project): LogLine & { takeover?: string } => runLog(p).at(-1)!;

/** The build ran, took the lock over, and said so on stderr and in its run log line. */
function expectTakenOver(p: Project, r: Run, ...words: string[]): void {
  expect(r.status, out(r)).toBe(0);
  expect(r.stderr, out(r)).toContain(WARNING);
  expect(r.stderr).toContain(lockPath(p));
  const log = lastLog(p);
  expect(log).toMatchObject({ command: 'build', outcome: 'ok' });
  expect(log.takeover, JSON.stringify(log)).toContain('took over the stale lock');
  expect(log.takeover).toContain(lockPath(p));
  for (const w of words) {
    expect(r.stderr, out(r)).toContain(w);
    expect(log.takeover).toContain(w);
  }
  expect(existsSync(lockPath(p))).toBe(false); // released after the run
}

/** The build respected the lock: exit 75, nothing written, the skip logged, no takeover. */
function expectRespected(p: Project, r: Run, ...words: string[]): void {
  expect(r.status, out(r)).toBe(75);
  expect(r.stderr).toContain('feedkeeper build: skipped');
  expect(r.stderr).not.toContain('warning');
  expect(existsSync(join(p.dir, 'out'))).toBe(false);
  const log = lastLog(p);
  expect(log).toMatchObject({ command: 'build', outcome: 'skipped' });
  expect(log.takeover).toBeUndefined();
  for (const w of words) {
    expect(r.stderr, out(r)).toContain(w);
    expect(log.error).toContain(w);
  }
}

const base = () => ({ command: 'build', startedAt: '2026-01-01T00:00:00.000Z' });

describe('stale locks are taken over after a bounded wait, and the takeover is reported', () => {
  it("another host's lock: respected while refreshed, taken over after 60 s without a refresh", () => {
    const p = syntheticProject(2);
    writeLock(p, { ...base(), pid: 4242, host: 'old-container-7f3a', procStart: '99' });
    const fresh = p.cli('build', '--wait', '0');
    expectRespected(p, fresh, 'pid 4242', 'old-container-7f3a', 'cannot be checked');
    expect(existsSync(lockPath(p))).toBe(true);

    age(p, 61);
    const r = p.cli('build', '--wait', '0');
    expectTakenOver(p, r, 'pid 4242', 'host old-container-7f3a', 'another host', '60 s');
    expectValidProject(p, 2);
  });

  it('a live pid but no start time recorded (a reused pid cannot be ruled out): taken over once unrefreshed', () => {
    const p = syntheticProject(2);
    // This test's own pid: alive, but nothing proves it is the holder.
    writeLock(p, { ...base(), pid: process.pid, host: hostname(), procStart: null });
    expectRespected(p, p.cli('build', '--wait', '0'), `pid ${process.pid}`, 'no start time');

    age(p, 61);
    const r = p.cli('build', '--wait', '0');
    expectTakenOver(p, r, `pid ${process.pid}`, 'no start time');
    expectValidProject(p, 2);
  });

  it('a bare pid: respected for 5 s (its writer may be writing it), then taken over within --wait', () => {
    const p = syntheticProject(2);
    writeLock(p, `${process.pid}\n`);
    expectRespected(p, p.cli('build', '--wait', '0'), 'not a lock record');

    // A build willing to wait gets it once the 5 s have passed: a bounded wait, not exit 75.
    writeLock(p, `${process.pid}\n`);
    const t0 = Date.now();
    const r = p.cli('build', '--wait', '20');
    expectTakenOver(p, r, 'not a lock record', String(process.pid));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(4_000);
    expectValidProject(p, 2);
  });

  it.each([
    ['{}', '{}\n', 'missing'],
    ['text that does not parse', 'locked by alice, do not touch\n', 'not JSON'],
    ['an empty file', '', 'empty'],
    ['a lock naming no host', JSON.stringify({ pid: 1, command: 'build' }), 'missing'],
  ])('%s: taken over once older than 5 s, with the reason', (_name, content, why) => {
    const p = syntheticProject(1);
    writeLock(p, content);
    expectRespected(p, p.cli('build', '--wait', '0'), 'not a lock record');
    age(p, 30);
    expectTakenOver(p, p.cli('build', '--wait', '0'), 'not a lock record', why);
    expectValidProject(p, 1);
  });

  it('a directory at the lock path: moved aside (never deleted) and reported', () => {
    const p = syntheticProject(1);
    mkdirSync(lockPath(p), { recursive: true });
    writeFileSync(join(lockPath(p), 'keep.txt'), 'someone put this here\n');
    expectRespected(p, p.cli('build', '--wait', '0'), 'directory');
    age(p, 30);
    const r = p.cli('build', '--wait', '0');
    expectTakenOver(p, r, 'directory', 'moved to');
    const moved = readdirSync(dirname(lockPath(p))).filter((f) => f.startsWith('lock.stale-'));
    expect(moved).toHaveLength(1);
    const aside = join(dirname(lockPath(p)), moved[0]!);
    expect(r.stderr).toContain(aside);
    expect(readFileSync(join(aside, 'keep.txt'), 'utf8')).toBe('someone put this here\n');
    expectValidProject(p, 1);
  });

  it('a dead pid, and a reused pid (another start time): taken over at once, and reported', () => {
    const p = syntheticProject(2);
    const dead = deadPid();
    writeLock(p, { ...base(), pid: dead, host: hostname(), procStart: '12345' });
    expectTakenOver(p, p.cli('build', '--wait', '0'), `pid ${dead}`, 'gone');

    writeLock(p, { ...base(), pid: process.pid, host: hostname(), procStart: '1' });
    expectTakenOver(p, p.cli('build', '--wait', '0'), `pid ${process.pid}`, 'another process');
    expectValidProject(p, 2);
  });

  it('a lock proven alive (same host, pid alive, same start time) is respected, however old', async () => {
    const p = syntheticProject(2);
    const holder = await holdLock(p);
    try {
      age(p, 3600);
      const r = p.cli('build', '--wait', '1');
      expectRespected(p, r, `pid ${holder.child.pid}`, 'test-holder');
      expect(existsSync(lockPath(p))).toBe(true);
    } finally {
      holder.child.stdin!.end();
    }
    expect((await holder.done).code).toBe(0);
  });

  it('a holder refreshes its lock every 10 s: a live holder on another host is never thought stale', async () => {
    const p = syntheticProject(0);
    const holder = await holdLock(p);
    try {
      age(p, 3600);
      await waitFor(
        () => Date.now() - statSync(lockPath(p)).mtimeMs < 20_000,
        'the holder to refresh its lock',
        25_000,
        100,
      );
      expect(JSON.parse(readFileSync(lockPath(p), 'utf8'))).toMatchObject({
        pid: holder.child.pid,
      });
    } finally {
      holder.child.stdin!.end();
    }
    expect((await holder.done).code).toBe(0);
    expect(existsSync(lockPath(p))).toBe(false);
  }, 40_000);
});

/**
 * 36 processes race for one lock (through the compiled lock module), after a stale lock was
 * left: each, once it holds the lock, marks itself inside with an exclusive file, stays a
 * moment and leaves. Two inside at once would find the mark taken. Exactly one takes over.
 */
describe('36 racing processes never hold the lock at once', () => {
  const RACERS = 36;

  async function race(p: Project, stale: () => void): Promise<string[]> {
    const lockModule = pathToFileURL(join(REPO, 'dist', 'src', 'schedule', 'lock.js')).href;
    const script = join(p.dir, 'racer.mjs');
    const go = join(p.dir, 'go');
    const inside = join(p.dir, 'inside');
    writeFileSync(
      script,
      `import { acquireLock } from ${JSON.stringify(lockModule)};
import { existsSync, writeFileSync, rmSync, appendFileSync } from 'node:fs';
const [lock, go, inside, journal] = process.argv.slice(2);
while (!existsSync(go)) await new Promise((r) => setTimeout(r, 5));
const got = await acquireLock(lock, 'racer', 110000);
if (!got.ok) { console.log('busy'); process.exit(3); }
let clash = false;
try { writeFileSync(inside, String(process.pid), { flag: 'wx' }); } catch { clash = true; }
await new Promise((r) => setTimeout(r, 15));
if (!clash) rmSync(inside);
got.release();
appendFileSync(journal, JSON.stringify({ pid: process.pid, clash, takeover: got.takeover?.message ?? null }) + '\\n');
process.exit(clash ? 4 : 0);
`,
    );
    stale();
    const journal = join(p.dir, 'journal.jsonl');
    const racers = Array.from({ length: RACERS }, () =>
      start(p.dir, script, [lockPath(p), go, inside, journal]),
    );
    await new Promise((r) => setTimeout(r, 1500)); // let them all start and wait on `go`
    writeFileSync(go, '');
    const done = await Promise.all(racers.map((r) => r.done));
    for (const d of done) expect(d.code, JSON.stringify(d)).toBe(0);
    const lines = readFileSync(journal, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { clash: boolean; takeover: string | null });
    expect(lines).toHaveLength(RACERS);
    expect(lines.filter((l) => l.clash)).toEqual([]);
    expect(existsSync(lockPath(p))).toBe(false);
    return lines.flatMap((l) => (l.takeover === null ? [] : [l.takeover]));
  }

  it.each([
    [
      'a dead pid',
      (p: Project) => writeLock(p, { ...base(), pid: deadPid(), host: hostname(), procStart: '7' }),
    ],
    [
      "another host's unrefreshed lock",
      (p: Project) => {
        writeLock(p, { ...base(), pid: 4242, host: 'gone-host', procStart: '7' });
        age(p, 120);
      },
    ],
    [
      'an old directory',
      (p: Project) => {
        mkdirSync(lockPath(p), { recursive: true });
        age(p, 120);
      },
    ],
  ])(
    '%s: one takeover, then one at a time',
    async (_name, stale) => {
      const p = syntheticProject(0);
      const takeovers = await race(p, () => stale(p));
      expect(takeovers).toHaveLength(1);
      expect(statSync(dirname(lockPath(p))).isDirectory()).toBe(true);
    },
    180_000,
  );
});
