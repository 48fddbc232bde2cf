import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf } from '../helpers.js';
import {
  articleName,
  holdLock,
  removeProjects,
  startCli,
  syntheticProject,
  waitFor,
} from './process-helpers.js';

afterAll(removeProjects);

interface Status {
  lastRun: {
    outcome: string;
    command: string;
    counts: Record<string, number>;
    written: string[];
  } | null;
  nextRun: string | null;
  scheduler: { pid: number; cron: string; timezone: string; nextRun: string | null } | null;
  running: { pid: number; command: string } | null;
  archive: {
    articles: number;
    records: number;
    withdrawn: number;
    rejected: number;
    newest: string | null;
  } | null;
}

/** The next 1 January, 00:00 UTC: when "0 0 1 1 *" next fires. */
const nextNewYear = (): string => `${new Date().getUTCFullYear() + 1}-01-01T00:00:00.000Z`;

describe('feedkeeper status', () => {
  it('before any run, then after builds: the last run and what the archive holds', () => {
    const p = syntheticProject(7);
    const empty = p.cli('status');
    expect(empty.status).toBe(0);
    expect(empty.stdout).toContain('last run: none yet');
    expect(empty.stdout).toContain('archive: not built yet');
    expect(empty.stdout).toContain('next run: no scheduler running');
    expect(jsonOf<Status>(p.cli('status', '--json'))).toEqual({
      schemaVersion: 1,
      command: 'status',
      lastRun: null,
      nextRun: null,
      scheduler: null,
      running: null,
      archive: null,
      scheduled: [], // records under embargo (pipeline/embargo.ts)
      publication: null,
      // The disk the state folder will be made on (tests/cli/state-disk-full.test.ts).
      stateFreeBytes: expect.any(Number) as number,
    });

    expect(p.cli('build').status).toBe(0);
    rmSync(join(p.articles, articleName(2)));
    p.write('broken.txt', '   \n\n  \n');
    expect(p.cli('build').status).toBe(1); // a rejected article is a problem

    const s = jsonOf<Status>(p.cli('status', '--json'));
    expect(s.lastRun).toMatchObject({
      outcome: 'problems',
      command: 'build',
      counts: { added: 0, withdrawn: 1, rejected: 1, unchanged: 6 },
    });
    expect(s.archive).toEqual({
      articles: 7,
      records: 7,
      withdrawn: 1,
      rejected: 1,
      newest: '2025-01-01T06:00:00Z',
    });
    expect(s.nextRun).toBeNull();
    expect(s.scheduler).toBeNull();
    expect(s.running).toBeNull();

    const text = p.cli('status');
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(
      /^last run: problems, build, \S+ \(\d+ ms\), \d+ files written, 1 problem$/m,
    );
    expect(text.stdout).toContain(
      'archive: 7 records (1 withdrawn) from 7 stored articles, 1 rejected; newest published 2025-01-01T06:00:00Z',
    );
    expect(text.stdout).toContain('running now: nothing');
  });

  it('shows a run in progress (the lock holder)', async () => {
    const p = syntheticProject(2);
    const holder = await holdLock(p);
    try {
      const s = jsonOf<Status>(p.cli('status', '--json'));
      expect(s.running).toMatchObject({ pid: holder.child.pid, command: 'test-holder' });
      expect(p.cli('status').stdout).toContain(
        `running now: pid ${holder.child.pid} (test-holder)`,
      );
    } finally {
      holder.child.stdin!.end();
    }
    expect((await holder.done).code).toBe(0);
    expect(jsonOf<Status>(p.cli('status', '--json')).running).toBeNull();
  });

  it('while feedkeeper schedule runs: the next scheduled run; after it stops: none', async () => {
    const p = syntheticProject(3);
    const service = startCli(p, 'schedule', '--cron', '0 0 1 1 *', '--tz', 'UTC');
    try {
      await Promise.race([
        waitFor(() => service.output().includes('next run at'), 'the first run to finish'),
        service.done.then((f) => {
          throw new Error(`schedule exited early: ${JSON.stringify(f)}`);
        }),
      ]);
      const s = jsonOf<Status>(p.cli('status', '--json'));
      expect(s.nextRun).toBe(nextNewYear());
      expect(s.scheduler).toEqual({
        pid: service.child.pid,
        cron: '0 0 1 1 *',
        timezone: 'UTC',
        nextRun: nextNewYear(),
      });
      expect(s.lastRun).toMatchObject({ command: 'schedule', outcome: 'ok', counts: { added: 3 } });
      expect(s.archive).toMatchObject({ records: 3, articles: 3 });
      expect(service.output()).toContain(`next run at ${nextNewYear()}`);
      const text = p.cli('status');
      expect(text.stdout).toContain(
        `next run: ${nextNewYear()} (feedkeeper schedule, pid ${service.child.pid}, "0 0 1 1 *" UTC)`,
      );
    } finally {
      service.child.kill('SIGTERM');
    }
    const done = await service.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(existsSync(join(p.dir, '.feedkeeper', 'schedule.json'))).toBe(false);
    const after = jsonOf<Status>(p.cli('status', '--json'));
    expect(after.nextRun).toBeNull();
    expect(after.scheduler).toBeNull();
    expect(after.lastRun).toMatchObject({ command: 'schedule', outcome: 'ok' });
  });

  it('exits 1 when the last run failed and the feeds are not up to date, 0 again once a build succeeds', () => {
    // Found by an outside try: it exited 0 whatever it reported, so a monitor saw nothing.
    const p = syntheticProject(3);
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('status').status).toBe(0);
    // A file where a month folder of the records goes: the next build fails (EEXIST).
    p.write('2026-01-05-jan.txt', 'Jan story\n\nBody text for the january story here.\n');
    mkdirSync(join(p.dir, 'archive', 'records', '2026'), { recursive: true });
    writeFileSync(join(p.dir, 'archive', 'records', '2026', '01'), '');
    expect(p.cli('build').status).toBe(1);
    const text = p.cli('status');
    expect(text.stdout).toContain('last run: failed');
    expect(text.status).toBe(1);
    // The catalogue is marked dirty, but the records are there: not "not built yet".
    expect(text.stdout).not.toContain('archive: not built yet');
    expect(text.stdout).toContain(
      `archive: 3 record files in ${join(p.dir, 'archive', 'records')}; no summary, as the catalogue is to be rebuilt`,
    );
    const json = p.cli('status', '--json');
    expect(jsonOf<Status>(json).lastRun).toMatchObject({ outcome: 'failed' });
    expect(json.status).toBe(1);

    rmSync(join(p.dir, 'archive', 'records', '2026', '01'));
    expect(p.cli('build').status).toBe(0);
    expect(p.cli('status').status).toBe(0);
  });

  it('right after a rotation of the run log (deploy/logrotate), the last run is read from runs.jsonl.1', () => {
    // Found by an outside try: status said "last run: none yet" every week after logrotate.
    const p = syntheticProject(1);
    expect(p.cli('build').status).toBe(0);
    const log = join(p.dir, '.feedkeeper', 'runs.jsonl');
    renameSync(log, `${log}.1`);
    writeFileSync(log, ''); // logrotate's create
    const text = p.cli('status');
    expect(text.stdout).toMatch(/^last run: ok, build, /m);
    expect(jsonOf<Status>(p.cli('status', '--json')).lastRun).toMatchObject({ outcome: 'ok' });
  });
});
