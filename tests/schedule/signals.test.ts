import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  expectValidProject,
  lockPath,
  removeProjects,
  runLog,
  startCli,
  syntheticProject,
  waitFor,
} from './process-helpers.js';
import type { Project } from '../helpers.js';

afterAll(removeProjects);

/** A service started on `dir`, once its first run holds the lock (it never ticks after it). */
async function inFirstRun(dir: Project): Promise<ReturnType<typeof startCli>> {
  const service = startCli(dir, 'schedule', '--cron', '0 0 1 1 *');
  await Promise.race([
    waitFor(() => existsSync(lockPath(dir)), 'the first run to take the lock', 30_000, 2),
    service.done.then((f) => {
      throw new Error(`schedule exited early: ${JSON.stringify(f)}`);
    }),
  ]);
  return service;
}

// Enough for a first run of seconds: each signal is sent as soon as the run holds the lock,
// and is logged while the run goes on (1,500 made this file take a minute of CI's fifteen).
const ARTICLES = 600;

// This test is about signals: its builds prove pages as a build does outside the tests
// (html-validate once per page shape), not on each of its pages of every run, which made it
// one of the three slowest files of the suite.
process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';

describe('feedkeeper schedule stops cleanly on a signal, even in the middle of a run', () => {
  it.each(['SIGTERM', 'SIGINT'] as const)(
    '%s during the first run: the run finishes, exit 0, the archive and feeds are complete',
    async (signal) => {
      const p = syntheticProject(ARTICLES);
      const service = await inFirstRun(p);
      const sentAt = Date.now();
      expect(service.child.kill(signal)).toBe(true);
      const done = await service.done;

      expect(done.signal, done.stdout + done.stderr).toBeNull();
      expect(done.code, done.stdout + done.stderr).toBe(0);
      const out = done.stdout;
      expect(out).toContain(
        `${signal}: stopping (no new runs; waiting for the current one to finish)`,
      );
      expect(out).toContain(`run ok in `);
      expect(out).toContain(`${ARTICLES} added`);
      expect(out.trimEnd()).toMatch(/ stopped\.$/);
      // The signal came while the run was in progress, and the run was not cut short.
      expect(out.indexOf(`${signal}: stopping`)).toBeLessThan(out.indexOf('run ok in'));
      const log = runLog(p);
      expect(log).toHaveLength(1);
      expect(log[0]).toMatchObject({ command: 'schedule', outcome: 'ok' });
      expect(log[0]!.counts['added']).toBe(ARTICLES);
      expect(Date.parse(log[0]!.end)).toBeGreaterThan(sentAt);

      expect(existsSync(lockPath(p))).toBe(false);
      expect(existsSync(join(p.dir, '.feedkeeper', 'schedule.json'))).toBe(false);
      expect(existsSync(join(p.dir, '.feedkeeper', 'catalogue.dirty'))).toBe(false);
      expectValidProject(p, ARTICLES);

      // Nothing is left to archive: the next build agrees the archive is complete. (Its feeds
      // may differ: RSS <ttl> follows the configured schedule, not the --cron override.)
      const next = p.cli('build', '--json');
      expect(next.status).toBe(0);
      const report = JSON.parse(next.stdout);
      expect(report.archive).toMatchObject({ unchanged: ARTICLES, added: [], revised: [] });
      expect(
        report.written.filter(
          (f: string) =>
            !f.startsWith('out/') && !f.endsWith('published.json') && !f.endsWith('etags.json'),
        ),
      ).toEqual([]);
    },
    120_000,
  );

  it('SIGHUP stops it as SIGTERM does, and a repeated signal is logged, not obeyed: the run finishes, exit 0', async () => {
    // Found by an outside try: SIGHUP (a closed terminal) killed the service silently mid-run,
    // and so did a second SIGINT (the handlers were removed after the first).
    const p = syntheticProject(ARTICLES);
    const service = await inFirstRun(p);
    expect(service.child.kill('SIGHUP')).toBe(true);
    await waitFor(
      () => service.output().includes('SIGHUP: stopping'),
      'the first signal',
      30_000,
      2,
    );
    expect(service.child.kill('SIGINT')).toBe(true);
    await waitFor(
      () => service.output().includes('SIGINT: already stopping'),
      'the second signal',
      30_000,
      2,
    );
    expect(service.child.kill('SIGTERM')).toBe(true);
    const done = await service.done;

    expect(done.signal, done.stdout + done.stderr).toBeNull();
    expect(done.code, done.stdout + done.stderr).toBe(0);
    const out = done.stdout;
    expect(out).toContain('SIGHUP: stopping (no new runs; waiting for the current one to finish)');
    expect(out).toContain('SIGINT: already stopping: the run in progress finishes first');
    expect(out).toContain('SIGTERM: already stopping');
    expect(out.indexOf('SIGINT: already stopping')).toBeLessThan(out.indexOf('run ok in'));
    expect(out.trimEnd()).toMatch(/ stopped\.$/);
    expect(runLog(p)).toHaveLength(1);
    expect(runLog(p)[0]).toMatchObject({ command: 'schedule', outcome: 'ok' });
    expect(existsSync(lockPath(p))).toBe(false);
    expect(existsSync(join(p.dir, '.feedkeeper', 'schedule.json'))).toBe(false);
    expectValidProject(p, ARTICLES);
  }, 120_000);
});
