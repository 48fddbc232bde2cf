import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect } from 'vitest';
import { walkFiles } from '../../src/io/walk-files.js';
import type { RunContext } from '../../src/pipeline/context.js';
import { loadConfig } from '../../src/config/load-config.js';
import type { RunMemory } from '../../src/pipeline/run-memory.js';
import { startService, type Service } from '../../src/schedule/service.js';
import { readVersion } from '../../src/version.js';
import { CLI, REPO, makeProject, type Project } from '../helpers.js';

/**
 * Helpers for the scheduling, lock, signal, crash and incremental tests: synthetic projects
 * (many small stored articles), the CLI as a real asynchronous child process, polling instead
 * of fixed sleeps, and the checks a crash must never break.
 */

export const SITE = {
  site: {
    title: 'Synthetic News',
    description: 'Feeds for process tests',
    baseUrl: 'https://news.example.org',
    language: 'en',
    author: { name: 'Synthetic Newsroom' },
  },
};

const WORDS =
  'council budget river bridge school water energy market harbour railway library museum hospital garden election court festival weather tunnel airport'.split(
    ' ',
  );

/** The stored article number `i`: unique title (so a unique slug) and a distinct date. */
export function syntheticArticle(i: number, variant = 0): string {
  const date = new Date(Date.UTC(2025, 0, 1) + i * 3_600_000).toISOString().slice(0, 19) + 'Z';
  const paragraphs: string[] = [];
  for (let p = 0; p < 4; p++) {
    const words: string[] = [];
    for (let w = 0; w < 40; w++)
      words.push(WORDS[(i * 7 + p * 13 + w * w + variant) % WORDS.length]!);
    paragraphs.push(`Paragraph ${p} of report ${i} (version ${variant}): ${words.join(' ')}.`);
  }
  return `---\ndate: ${date}\nlanguage: en\n---\nReport number ${i} on the ${WORDS[i % WORDS.length]}\n\n${paragraphs.join('\n\n')}\n`;
}

export const articleName = (i: number): string => `report-${String(i).padStart(5, '0')}.txt`;

const made: string[] = [];

/** Remove the temporary projects this test file made (call from afterAll). */
export function removeProjects(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A project with `n` synthetic articles (mtimes safely in the past). */
export function syntheticProject(n: number, raw: unknown = SITE): Project {
  const p = makeProject(raw);
  made.push(p.dir);
  for (let i = 0; i < n; i++) p.write(articleName(i), syntheticArticle(i), 600);
  return p;
}

/** The context the CLI would build (real clock, real version), so in-process and CLI runs agree. */
export const cliLikeContext = (p: Project): RunContext => ({
  ...p.context(new Date()),
  version: readVersion(),
});

/**
 * `feedkeeper schedule` in this process, as the CLI starts it (the configuration read again at
 * each tick), without the folder watch (every tick builds) and without a log: for tests that
 * look at what a service does between its runs. The caller stops it.
 */
export function inProcessService(p: Project, cron: string, memory?: RunMemory): Service {
  mkdirSync(join(p.dir, '.feedkeeper'), { recursive: true });
  return startService(
    {
      cron,
      timezone: 'UTC',
      watch: false,
      ...(memory ? { memory } : {}),
      context: () => ({
        config: loadConfig(join(p.dir, 'feedkeeper.config.json')),
        now: () => new Date(),
        version: readVersion(),
      }),
      onRun: () => undefined,
    },
    join(p.dir, '.feedkeeper'),
  );
}

export interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Running {
  readonly child: ChildProcess;
  readonly done: Promise<Finished>;
  /** stdout and stderr so far. */
  output(): string;
}

/** Start `node <script> ...args` in `cwd` without waiting for it. */
export function start(cwd: string, script: string, args: string[]): Running {
  const child = spawn(process.execPath, [script, ...args], {
    cwd,
    env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const done = new Promise<Finished>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return { child, done, output: () => stdout + stderr };
}

/** The compiled CLI as an asynchronous child. */
export const startCli = (p: Project, ...args: string[]): Running => start(p.dir, CLI, args);

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Poll `cond` every `everyMs` until it holds; fail with `what` after `timeoutMs`. */
export async function waitFor(
  cond: () => boolean,
  what: string,
  timeoutMs = 30_000,
  everyMs = 10,
): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * How slow the machine is now: the longest a run at start of `feedkeeper schedule` took in this
 * test file, from the spawn to the end of that run (ms). Under 1.5 s on an idle machine; over
 * 4 s at a load average above 20, where embargoes written a fixed 4 s ahead were released by
 * the run at start and tests about the wake-up failed on timing.
 */
let slowestStart = 0;

/** The longest a run at start took in this test file so far (ms; 0 before the first). */
export const slowestStartMs = (): number => slowestStart;

/** Tell the tests how long a run at start took (an in-process service's, say). */
export const noteStartTook = (ms: number): void => {
  slowestStart = Math.max(slowestStart, ms);
};

/**
 * How far ahead to write an embargo that must still be ahead when the service has read it (a
 * run at start, or a read of a changed article, which costs less): `minMs`, or twice the
 * slowest run at start seen so far and a second more, whichever is longer.
 */
export const embargoLeadMs = (minMs: number): number => Math.max(minMs, 2 * slowestStart + 1000);

/** A whole UTC second at least `ms` from now (ms since the epoch). */
export const wholeSecondAhead = (ms: number): number => Math.ceil((Date.now() + ms) / 1000) * 1000;

/** `feedkeeper schedule --cron <cron>` on `p`, once its run at start is logged (its time noted). */
export async function startSchedule(
  p: Project,
  cron: string,
): Promise<{ s: Running; took: number }> {
  const spawned = Date.now();
  const s = startCli(p, 'schedule', '--cron', cron);
  await Promise.race([
    waitFor(() => runLog(p).length >= 1, 'the run at start', 120_000, 20),
    s.done.then((f) => {
      throw new Error(`feedkeeper schedule exited before its run at start: ${JSON.stringify(f)}`);
    }),
  ]);
  const took = Date.parse(runLog(p)[0]!.end) - spawned;
  noteStartTook(took);
  return { s, took };
}

/**
 * `feedkeeper schedule` on a project (made by `make`, given the embargo's time) holding an
 * article under embargo that its run at start archives, with time left after that run to act
 * before the embargo ends: at least half as long as the run took (reading a changed article
 * costs less than a cold build), and a second. What the tests
 * assert is what the service does with the embargo, not how fast the machine is: the lead is
 * learned (embargoLeadMs), and when the run at start still ended too close to the embargo, that
 * service is stopped and the project made again with the embargo further ahead (three tries).
 */
export async function scheduleWithEmbargo(
  make: (dueMs: number) => Project,
  cron: string,
  minLeadMs: number,
): Promise<{ p: Project; s: Running; due: number }> {
  for (let attempt = 1; ; attempt++) {
    const due = wholeSecondAhead(embargoLeadMs(minLeadMs));
    const p = make(due);
    const { s, took } = await startSchedule(p, cron);
    const left = due - Date.parse(runLog(p)[0]!.end);
    if (left >= Math.max(1000, took / 2)) return { p, s, due };
    s.child.kill('SIGTERM');
    await s.done;
    const why = `the run at start took ${took} ms and ended ${left} ms before the embargo`;
    if (attempt === 3) throw new Error(`${why}, on the third try: the machine is too slow`);
    console.log(`scheduleWithEmbargo: ${why}: again, ${embargoLeadMs(minLeadMs)} ms ahead`);
  }
}

/**
 * A process that holds the project's lock (through the compiled lock module) until its stdin
 * closes, then releases it and exits 0. Resolves once it holds the lock.
 */
export async function holdLock(p: Project): Promise<Running> {
  const script = join(p.dir, 'hold-lock.mjs');
  const lockModule = pathToFileURL(join(REPO, 'dist', 'src', 'schedule', 'lock.js')).href;
  writeFileSync(
    script,
    `import { tryLock } from ${JSON.stringify(lockModule)};
const got = tryLock(process.argv[2], 'test-holder');
if (!got.ok) { console.log('busy'); process.exit(3); }
console.log('locked');
process.stdin.resume();
process.stdin.on('end', () => { got.release(); console.log('released'); process.exit(0); });
`,
  );
  const holder = start(p.dir, script, [lockPath(p)]);
  await Promise.race([
    waitFor(() => holder.output().includes('locked'), 'the holder to take the lock'),
    holder.done.then((f) => {
      throw new Error(`the lock holder exited early: ${JSON.stringify(f)}`);
    }),
  ]);
  return holder;
}

export const lockPath = (p: Project): string => join(p.dir, '.feedkeeper', 'lock');
export const runLogPath = (p: Project): string => join(p.dir, '.feedkeeper', 'runs.jsonl');

/** Every file below `dir` (hidden ones too), relative to `dir`. */
export const filesUnder = (dir: string): string[] => walkFiles(dir);

/** Temp files a write in progress leaves (`.name.tmp-<pid>`), anywhere in the project. */
export const tempFiles = (p: Project): string[] =>
  filesUnder(p.dir).filter((f) => /(^|\/)\.[^/]+\.tmp-\d+$/.test(f));

/** Record files (not temp files) under archive/records. */
export const recordFiles = (p: Project): string[] =>
  filesUnder(join(p.dir, 'archive', 'records')).filter(
    (f) => f.endsWith('.json') && !f.split('/').pop()!.startsWith('.'),
  );

/**
 * What a reader (or the next run) may find at any instant, even right after `kill -9`: every
 * record and every published file is whole. Temp files are ignored here (they are checked to be
 * gone after the next run). Returns the problems found.
 */
export function wholeFiles(p: Project): string[] {
  const problems: string[] = [];
  for (const f of recordFiles(p)) {
    try {
      JSON.parse(readFileSync(join(p.dir, 'archive', 'records', f), 'utf8'));
    } catch (error) {
      problems.push(`archive/records/${f}: ${(error as Error).message}`);
    }
  }
  for (const f of filesUnder(join(p.dir, 'out'))) {
    if (f.split('/').pop()!.startsWith('.')) continue;
    const text = readFileSync(join(p.dir, 'out', f), 'utf8');
    if (f.endsWith('.json')) {
      try {
        JSON.parse(text);
      } catch (error) {
        problems.push(`out/${f}: ${(error as Error).message}`);
      }
    } else if (f === 'rss.xml' && !/<\/rss>\s*$/.test(text)) problems.push(`out/${f}: truncated`);
    else if (f === 'atom.xml' && !/<\/feed>\s*$/.test(text)) problems.push(`out/${f}: truncated`);
  }
  return problems;
}

interface RecordLike {
  id: string;
  withdrawnAt: string | null;
  input: { path: string };
  revisions: unknown[];
}

export const readRecords = (p: Project): RecordLike[] =>
  recordFiles(p).map(
    (f) => JSON.parse(readFileSync(join(p.dir, 'archive', 'records', f), 'utf8')) as RecordLike,
  );

/** The archive is complete and the feeds are right: `feedkeeper check` agrees. */
export function expectValidProject(p: Project, articles: number): void {
  expect(wholeFiles(p)).toEqual([]);
  expect(tempFiles(p)).toEqual([]);
  const records = readRecords(p);
  expect(records).toHaveLength(articles);
  expect(new Set(records.map((r) => r.id)).size).toBe(records.length);
  expect(new Set(records.map((r) => r.input.path)).size).toBe(records.length);
  const check = p.cli('check');
  expect(check.status, check.stdout + check.stderr).toBe(0);
}

export const mtimeOf = (path: string): number => statSync(path).mtimeMs;

export interface LogLine {
  start: string;
  end: string;
  durationMs: number;
  command: string;
  outcome: string;
  counts: Record<string, number>;
  written: string[];
  problems: unknown[];
  error?: string;
}

export function runLog(p: Project): LogLine[] {
  let text: string;
  try {
    text = readFileSync(runLogPath(p), 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as LogLine);
}
