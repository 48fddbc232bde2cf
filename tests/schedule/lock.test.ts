import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isAlive, tryLock } from '../../src/schedule/lock.js';
import type { Project } from '../helpers.js';
import {
  expectValidProject,
  holdLock,
  lockPath,
  recordFiles,
  removeProjects,
  runLog,
  startCli,
  syntheticProject,
} from './process-helpers.js';

afterAll(removeProjects);

// This test is about the lock: its builds (two of 300 articles at once, twice) prove pages as a
// build does outside the tests, html-validate once per page shape, not on every page.
process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';

const writeLock = (p: Project, owner: Record<string, unknown> | string): void => {
  mkdirSync(dirname(lockPath(p)), { recursive: true });
  writeFileSync(lockPath(p), typeof owner === 'string' ? owner : `${JSON.stringify(owner)}\n`);
};

/** A pid that certainly belongs to no process now: a child's, after it was reaped. */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
    encoding: 'utf8',
  });
  const pid = Number(r.stdout);
  expect(pid).toBeGreaterThan(0);
  return pid;
}

describe('one run at a time, across real processes', () => {
  it('a build waits, then gives up with exit 75 naming the holder; it succeeds once the holder is gone', async () => {
    const p = syntheticProject(10);
    const holder = await holdLock(p);
    const pid = holder.child.pid!;
    try {
      const busy = p.cli('build', '--wait', '1');
      expect(busy.status, busy.stdout + busy.stderr).toBe(75);
      expect(busy.stderr).toContain('feedkeeper build: skipped');
      expect(busy.stderr).toContain(`pid ${pid}`);
      expect(busy.stderr).toContain('test-holder');
      expect(busy.stderr).toContain('waited 1 s');
      expect(busy.stdout).toBe('');
      expect(existsSync(join(p.dir, 'archive', 'records'))).toBe(false);
      expect(existsSync(join(p.dir, 'out'))).toBe(false);
      expect(runLog(p)).toMatchObject([{ outcome: 'skipped', command: 'build', written: [] }]);

      const json = p.cli('build', '--wait', '0', '--json');
      expect(json.status).toBe(75);
      expect(JSON.parse(json.stdout)).toMatchObject({ skipped: true });
      expect(JSON.parse(json.stdout).reason).toContain(`pid ${pid}`);
    } finally {
      holder.child.stdin!.end();
    }
    const gone = await holder.done;
    expect(gone.code).toBe(0);
    expect(gone.stdout).toContain('released');
    expect(existsSync(lockPath(p))).toBe(false);

    const ok = p.cli('build', '--wait', '1');
    expect(ok.status, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toContain('10 added');
    expectValidProject(p, 10);
  });

  it('a build waiting with --wait gets the lock as soon as the holder releases it', async () => {
    const p = syntheticProject(5);
    const holder = await holdLock(p);
    const build = startCli(p, 'build', '--wait', '60');
    // Let it find the lock held (its first attempt is logged nowhere: watch the clock instead).
    await new Promise((r) => setTimeout(r, 500));
    holder.child.stdin!.end();
    expect((await holder.done).code).toBe(0);
    const done = await build.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.stdout).toContain('5 added');
  });

  it('takes over the lock of a holder killed with SIGKILL', async () => {
    const p = syntheticProject(5);
    const holder = await holdLock(p);
    const pid = holder.child.pid!;
    holder.child.kill('SIGKILL');
    const gone = await holder.done; // reaped: no zombie keeps the pid alive
    expect(gone.signal).toBe('SIGKILL');
    expect(JSON.parse(readFileSync(lockPath(p), 'utf8'))).toMatchObject({ pid });

    const r = p.cli('build', '--wait', '0');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('5 added');
    expect(existsSync(lockPath(p))).toBe(false);
    expectValidProject(p, 5);
  });

  it('takes over a lock naming a pid that does not exist, or a reused pid (other start time)', () => {
    const p = syntheticProject(3);
    const base = { host: hostname(), command: 'build', startedAt: '2026-01-01T00:00:00.000Z' };
    writeLock(p, { ...base, pid: deadPid(), procStart: 'gone' });
    const r = p.cli('build', '--wait', '0');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(recordFiles(p)).toHaveLength(3);

    // A live pid (this test's) whose start time is not the one recorded: the pid was reused.
    const reused = { ...base, pid: process.pid, procStart: '1' };
    expect(isAlive(reused)).toBe(false);
    writeLock(p, reused);
    const again = p.cli('build', '--wait', '0');
    expect(again.status, again.stdout + again.stderr).toBe(0);
    expect(existsSync(lockPath(p))).toBe(false);

    // The genuine owner (same pid, same start time) is respected; so is a fresh lock with no
    // start time known, but only until it goes unrefreshed (stale-lock.test.ts).
    writeLock(p, { ...base, pid: process.pid, procStart: null });
    const busy = p.cli('build', '--wait', '0');
    expect(busy.status).toBe(75);
    expect(busy.stderr).toContain(`pid ${process.pid}`);
  });

  it('an empty lock file is being written right now: respected while young, taken over when old', () => {
    const p = syntheticProject(2);
    writeLock(p, ''); // its creator is between create and write
    const busy = p.cli('build', '--wait', '0');
    expect(busy.status, busy.stdout + busy.stderr).toBe(75);
    expect(existsSync(join(p.dir, 'out'))).toBe(false);

    const old = Date.now() / 1000 - 60; // its creator was killed in between, long ago
    utimesSync(lockPath(p), old, old);
    const r = p.cli('build', '--wait', '0');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expectValidProject(p, 2);
  });

  it('a lock dated in the future (the clock set back after a crash) is as old as it is far', () => {
    const p = syntheticProject(2);
    writeLock(p, 'zz');
    const ahead = Date.now() / 1000 + 86_400;
    utimesSync(lockPath(p), ahead, ahead);
    const r = p.cli('build', '--wait', '0');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(r.stderr).toContain('the clock was set back');
    expectValidProject(p, 2);
  });

  it('tryLock in one process: a second attempt is refused while the first holds, then allowed', () => {
    const p = syntheticProject(0);
    const a = tryLock(lockPath(p), 'a');
    expect(a.ok).toBe(true);
    const b = tryLock(lockPath(p), 'b');
    expect(b).toMatchObject({ ok: false, owner: { pid: process.pid, command: 'a' } });
    if (a.ok) a.release();
    expect(existsSync(lockPath(p))).toBe(false);
    const c = tryLock(lockPath(p), 'c');
    expect(c.ok).toBe(true);
    if (c.ok) c.release();
  });

  it.each([
    ['default wait', [] as string[]],
    ['--wait 0', ['--wait', '0']],
  ])(
    'two builds started together (%s): each exits 0 or 75, never a corrupt archive',
    async (_name, extra) => {
      const p = syntheticProject(300);
      const a = startCli(p, 'build', ...extra);
      const b = startCli(p, 'build', ...extra);
      const [ra, rb] = await Promise.all([a.done, b.done]);
      const codes = [ra.code, rb.code];
      for (const r of [ra, rb]) expect([0, 75], r.stdout + r.stderr).toContain(r.code);
      expect(codes).toContain(0);
      if (extra.length === 0) expect(codes).toEqual([0, 0]); // the second waited, then had nothing to do
      const added = [ra, rb]
        .filter((r) => r.code === 0)
        .map((r) => Number(/(\d+) added/.exec(r.stdout)?.[1]));
      expect(added.reduce((x, y) => x + y, 0)).toBe(300);
      expectValidProject(p, 300);
      expect(runLog(p)).toHaveLength(2);
    },
    60_000,
  );
});
