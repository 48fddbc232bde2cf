import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/load-config.js';
import { formatLogLine, isNoOp, runEntry } from '../../src/cli/schedule-log.js';
import type { Issue } from '../../src/model/issue.js';
import type { LockedRun } from '../../src/schedule/locked-run.js';
import type { RunLogLine } from '../../src/schedule/run-log.js';
import { makeProject, sampleBytes } from '../helpers.js';
import { lockedRun } from '../../src/schedule/locked-run.js';
import {
  cliLikeContext,
  removeProjects,
  runLog,
  startCli,
  syntheticProject,
  waitFor,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);

const AT = new Date('2026-11-29T21:00:00.000Z');
const NEXT = new Date('2026-11-29T21:05:00.000Z');

const log = (over: Partial<RunLogLine> = {}): RunLogLine => ({
  start: '2026-11-29T21:00:00.000Z',
  end: '2026-11-29T21:00:00.120Z',
  durationMs: 120,
  command: 'schedule',
  outcome: 'ok',
  counts: { added: 1, revised: 0, withdrawn: 0, rejected: 0 },
  filesWritten: 5,
  written: [],
  problems: [],
  ...over,
});

const ran = (
  issues: Issue[],
  added: string[] = ['2026/11/a.json'],
  over: Partial<RunLogLine> = {},
): LockedRun => ({
  kind: 'ran',
  log: log(over),
  report: {
    archive: {
      added,
      revised: [],
      withdrawn: [],
      restored: [],
      rescheduled: [],
      amended: [],
      updatesAhead: [],
      unchanged: 0,
      rejected: 0,
      duplicates: 0,
      recordsChanged: added.length > 0,
      drafts: [],
      dated: [],
    },
    feeds: {
      rendered: added.length > 0,
      reason: 'x',
      entries: 1,
      written: added.length > 0 ? ['rss.xml'] : [],
      unchanged: [],
      scheduled: [],
      published: true,
      released: [],
    },
    written: [],
    issues,
    dryRun: false,
  },
});

const problem = (code: string, severity: 'error' | 'warning' = 'error'): Issue => ({
  code,
  severity,
  file: `archive/articles/${code.toLowerCase()}.txt`,
  message: 'is wrong.',
  hint: 'Fix it.',
});

describe('the schedule log: one line per run, with a time stamp and a level', () => {
  it("an embargo's release is counted: it changes no record, and read like a repaint", () => {
    const counts = { added: 0, revised: 0, withdrawn: 0, rejected: 0, released: 1 };
    expect(formatLogLine(AT, runEntry(ran([], [], { counts }), NEXT), false)).toBe(
      '2026-11-29T21:00:00.000Z info  run ok in 120 ms: 0 added, 0 revised, 0 withdrawn, 1 released, 0 rejected; 5 files written; next run at 2026-11-29T21:05:00.000Z',
    );
  });
  it('a clean run: info, the counts, the next run', () => {
    expect(formatLogLine(AT, runEntry(ran([]), NEXT), false)).toBe(
      '2026-11-29T21:00:00.000Z info  run ok in 120 ms: 1 added, 0 revised, 0 withdrawn, 0 rejected; 5 files written; next run at 2026-11-29T21:05:00.000Z',
    );
  });

  it('problems: error if any is an error (warn if only warnings), the first three named, on the same line', () => {
    const five = ['A', 'B', 'C', 'D', 'E'].map((c) => problem(`ARTICLE_${c}`));
    const e = runEntry(ran(five, [], { outcome: 'problems' }), NEXT);
    expect(e.level).toBe('error');
    const line = formatLogLine(AT, e, false);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toContain(
      '; 5 problems: error ARTICLE_A archive/articles/article_a.txt, error ARTICLE_B archive/articles/article_b.txt, error ARTICLE_C archive/articles/article_c.txt, … (feedkeeper status --json or the run log has them all)',
    );
    expect(runEntry(ran([problem('FRONT_MATTER_UNKNOWN_KEY', 'warning')]), NEXT).level).toBe(
      'warn',
    );
  });

  it('a file name with a new line or a carriage return cannot forge a log line', () => {
    // Found by an outside try: a stored article so named wrote a second, forged "info run ok" line.
    const forged = {
      ...problem('ARTICLE_EMPTY'),
      file: 'archive/articles/e\n2026-12-01T00:00:00.000Z info  run ok: forged\r.txt',
    };
    const line = formatLogLine(
      AT,
      runEntry(ran([forged], [], { outcome: 'problems' }), NEXT),
      false,
    );
    expect(line.split(/[\n\r]/)).toHaveLength(1);
    expect(line).toContain(
      'error ARTICLE_EMPTY archive/articles/e\\n2026-12-01T00:00:00.000Z info  run ok: forged\\r.txt',
    );
  });

  it('a failed run and an invalid configuration: error, on one line (the stack stays in the run log)', () => {
    const failed: LockedRun = {
      kind: 'failed',
      error: new Error('disk full\n    at somewhere'),
      log: log({ outcome: 'failed' }),
    };
    const f = runEntry(failed, null);
    expect(f.level).toBe('error');
    expect(formatLogLine(AT, f, false)).toBe(
      '2026-11-29T21:00:00.000Z error run failed: disk full (the stack is in the run log, .feedkeeper/runs.jsonl)',
    );
    const bad = runEntry(
      { kind: 'config-error', error: new ConfigError(['config: x is wrong.', 'hint: fix x.']) },
      NEXT,
    );
    expect(bad.level).toBe('error');
    expect(formatLogLine(AT, bad, false)).toMatch(
      / error run skipped: the configuration is invalid: config: x is wrong\. hint: fix x\.; next run at /,
    );
  });

  it('a run that refuses an emptied articles folder: "run refused", what, why and the hint; no stack, in neither log', async () => {
    // Found by an outside try: an unmounted share was logged as a crash, its hint dropped.
    const p = syntheticProject(2);
    expect(p.cli('build').status).toBe(0);
    for (const name of readdirSync(join(p.dir, 'archive', 'articles')))
      rmSync(join(p.dir, 'archive', 'articles', name));
    const run = await lockedRun(cliLikeContext(p), 'schedule', { dryRun: false, waitMs: 0 });
    expect(run.kind).toBe('failed');
    const text = formatLogLine(AT, runEntry(run, NEXT), false);
    expect(text).toContain(
      ' error run refused: build: the articles folder archive/articles (paths.articles) holds no stored article, while 2 records are published from it: nothing was changed. hint: if the folder is a share or a disk, mount it;',
    );
    expect(text).not.toContain('stack');
    expect(text).toMatch(/; next run at 2026-11-29T21:05:00\.000Z$/);
    const last = runLog(p).at(-1)!;
    expect(last.outcome).toBe('failed');
    expect(last.error).toContain('hint: if the folder is a share or a disk, mount it;');
    expect(last.error).not.toMatch(/\n\s+at /);
  });

  it('JSON Lines: one object per line with schemaVersion, time, level, event, message and the details', () => {
    const line = formatLogLine(
      AT,
      runEntry(ran([problem('ARTICLE_EMPTY')], [], { outcome: 'problems' }), NEXT),
      true,
    );
    expect(line).not.toContain('\n');
    expect(JSON.parse(line)).toMatchObject({
      schemaVersion: 1,
      time: '2026-11-29T21:00:00.000Z',
      level: 'error',
      event: 'run',
      outcome: 'problems',
      durationMs: 120,
      filesWritten: 5,
      problems: [{ code: 'ARTICLE_EMPTY', severity: 'error', hint: 'Fix it.' }],
      nextRun: '2026-11-29T21:05:00.000Z',
    });
  });

  it('a tick that skipped the build: info, event tick, why, the next run; JSON has the reason; a run says why it built', () => {
    const idle = runEntry({ kind: 'idle', why: 'nothing changed since the run at X' }, NEXT);
    expect(formatLogLine(AT, idle, false)).toBe(
      '2026-11-29T21:00:00.000Z info  tick: build skipped, nothing changed since the run at X; next run at 2026-11-29T21:05:00.000Z',
    );
    expect(JSON.parse(formatLogLine(AT, idle, true))).toMatchObject({
      level: 'info',
      event: 'tick',
      outcome: 'idle',
      reason: 'nothing changed since the run at X',
      nextRun: '2026-11-29T21:05:00.000Z',
    });
    const built = formatLogLine(
      AT,
      runEntry(ran([]), NEXT, '1 change in the watched folders'),
      true,
    );
    expect(JSON.parse(built)).toMatchObject({
      event: 'run',
      reason: '1 change in the watched folders',
    });
  });

  it('isNoOp: nothing changed and no problem (what --quiet leaves out)', () => {
    expect(isNoOp({ kind: 'idle', why: 'nothing changed' })).toBe(true);
    expect(isNoOp(ran([], []))).toBe(true);
    expect(isNoOp(ran([]))).toBe(false);
    expect(isNoOp(ran([problem('ARTICLE_EMPTY')], []))).toBe(false);
  });

  it('feedkeeper schedule --json logs JSON Lines on stdout: start, one line per run, stop', async () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    p.write('empty.txt', '');
    const service = startCli(p, 'schedule', '--cron', '0 0 1 1 *', '--json');
    await waitFor(() => service.output().includes('"event":"run"'), 'the first run', 60_000);
    service.child.kill('SIGTERM');
    const done = await service.done;
    expect(done.code, done.stderr).toBe(0);
    expect(done.stderr).toBe('');
    const lines = done.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.map((l) => `${String(l['event'])} ${String(l['level'])}`)).toEqual([
      'start info',
      'run error',
      'stop info',
      'stop info',
    ]);
    for (const l of lines) expect(l['time']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(lines[1]).toMatchObject({ outcome: 'problems', counts: { added: 1, rejected: 1 } });
  });

  it('feedkeeper schedule --json, ticking every second: the ticks after the first run skip the build and say so', async () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const service = startCli(p, 'schedule', '--cron', '* * * * * *', '--json');
    await waitFor(
      () => (service.output().match(/"event":"tick"/g) ?? []).length >= 2,
      'two ticks',
      60_000,
    );
    service.child.kill('SIGTERM');
    const done = await service.done;
    expect(done.code, done.stderr).toBe(0);
    const lines = done.stdout
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    const events = lines.map((l) => String(l['event']));
    expect(events.slice(0, 2)).toEqual(['start', 'run']);
    expect(events.filter((e) => e === 'run')).toHaveLength(1);
    expect(lines[1]).toMatchObject({ outcome: 'ok', reason: expect.stringContaining('watch') });
    const tick = lines.find((l) => l['event'] === 'tick');
    expect(tick).toMatchObject({
      level: 'info',
      outcome: 'idle',
      reason: expect.stringMatching(/^nothing changed since the run at /),
    });
    // The run log has the one build, none of the skipped ticks.
    expect(runLog(p)).toHaveLength(1);
  });

  it('feedkeeper schedule (text): info on stdout, the run with a problem on stderr, one line each', async () => {
    const p = makeProject();
    p.write('empty.txt', '');
    const service = startCli(p, 'schedule', '--cron', '0 0 1 1 *');
    await waitFor(() => service.output().includes(' run problems in '), 'the first run', 60_000);
    service.child.kill('SIGTERM');
    const done = await service.done;
    expect(done.code).toBe(0);
    const stamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (info |warn |error) /;
    const err = done.stderr.trimEnd().split('\n');
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(stamp);
    expect(err[0]).toContain(' error run problems in ');
    expect(err[0]).toContain(
      '1 problem: error ARTICLE_EMPTY archive/articles/empty.txt; next run at ',
    );
    const out = done.stdout.trimEnd().split('\n');
    for (const l of out) expect(l).toMatch(stamp);
    expect(out[0]).toContain(' info  feedkeeper schedule: pid ');
    expect(out.at(-1)).toMatch(/ info {2}stopped\.$/);
  });
});
