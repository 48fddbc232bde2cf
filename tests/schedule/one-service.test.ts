import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { removeProjects, startCli, syntheticProject, waitFor } from './process-helpers.js';

/**
 * Found by an outside try: a second `feedkeeper schedule` started beside a running one without a
 * word; both built on every tick, and once either stopped, status said no scheduler ran.
 */
const NEVER = '0 0 1 1 *';
afterAll(removeProjects);

describe('one feedkeeper schedule per project', () => {
  it('a second one is refused (exit 2, naming the first); a pid left by a dead one is not', async () => {
    const p = syntheticProject(1);
    const state = join(p.dir, '.feedkeeper', 'schedule.json');
    const first = startCli(p, 'schedule', '--cron', NEVER);
    try {
      await waitFor(() => existsSync(state), 'the first service to start', 20_000);
      const second = p.cli('schedule', '--cron', NEVER);
      expect(second.status).toBe(2);
      expect(second.stderr).toContain(
        `another feedkeeper schedule already runs for this project (pid ${first.child.pid}`,
      );
      expect(p.cli('status').stdout).toContain(`pid ${first.child.pid}`);
    } finally {
      first.child.kill('SIGTERM');
      expect((await first.done).code).toBe(0);
    }
    expect(existsSync(state)).toBe(false);

    // A schedule.json left by a killed service, its pid since reused by another program (a
    // `sleep` here, no node process): the next one starts.
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(
        state,
        `${JSON.stringify({ pid: other.pid, cron: NEVER, timezone: 'UTC', nextRun: null })}\n`,
      );
      const again = startCli(p, 'schedule', '--cron', NEVER);
      try {
        await waitFor(
          () =>
            existsSync(state) &&
            p.read('.feedkeeper/schedule.json').includes(`"pid":${again.child.pid},`),
          'the new service to take over',
          20_000,
        );
      } finally {
        again.child.kill('SIGTERM');
        expect((await again.done).code).toBe(0);
      }
    } finally {
      other.kill();
    }
  });

  it('a schedule.json whose pid now belongs to another node process is stale: replaced, logged, not shown by status', async () => {
    // Found by an outside try: a killed service's pid, reused by a web server, blocked every new
    // service for good (exit 2, and the hint said to kill the web server).
    const p = syntheticProject(1);
    const state = join(p.dir, '.feedkeeper', 'schedule.json');
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      await waitFor(() => existsSync(`/proc/${other.pid}/stat`), 'the other node process');
      mkdirSync(join(p.dir, '.feedkeeper'), { recursive: true });
      writeFileSync(
        state,
        `${JSON.stringify({ pid: other.pid, procStart: '1', cron: NEVER, timezone: 'UTC', nextRun: null })}\n`,
      );
      const status = p.cli('status');
      expect(status.stdout).toContain('next run: no scheduler running');
      expect(status.stdout).not.toContain(`pid ${other.pid}`);
      const again = startCli(p, 'schedule', '--cron', NEVER);
      try {
        await Promise.race([
          waitFor(
            () =>
              existsSync(state) &&
              p.read('.feedkeeper/schedule.json').includes(`"pid":${again.child.pid},`),
            'the new service to take over',
            20_000,
          ),
          again.done.then((f) => {
            throw new Error(`schedule exited: ${JSON.stringify(f)}`);
          }),
        ]);
        await waitFor(() => again.output().includes('no longer runs'), 'the warning', 20_000);
      } finally {
        again.child.kill('SIGTERM');
      }
      const done = await again.done;
      expect(done.code, done.stdout + done.stderr).toBe(0);
      expect(done.stderr).toContain(
        `left by a service that no longer runs: pid ${other.pid} now belongs to another process`,
      );
      expect(p.cli('status').stdout).toContain('next run: no scheduler running');
    } finally {
      other.kill();
    }
  });
});
