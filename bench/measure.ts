import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { RunReport } from '../src/pipeline/report.js';

/** One child process, measured whole: wall time from spawn to exit, and its peak RSS. */
export interface Measurement {
  readonly seconds: number;
  /** Max resident set size of the child in KiB (GNU time's %M), or null without GNU time. */
  readonly peakKb: number | null;
  /**
   * CPU time of the child (user + system, GNU time's %U + %S), or null without GNU time: on a
   * machine shared with other work it moves far less than the wall time.
   */
  readonly cpuSeconds: number | null;
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface BuildRun extends Measurement {
  readonly report: RunReport;
}

export const CLI = join(dirname(fileURLToPath(import.meta.url)), '..', 'bin', 'main.js');
const GNU_TIME = '/usr/bin/time';
export const hasGnuTime = existsSync(GNU_TIME);

/** Run `command args` in `cwd` under GNU time (its report goes to `timeFile`, not stderr). */
export function measure(
  command: string,
  args: readonly string[],
  cwd: string,
  timeFile: string,
  env: Readonly<Record<string, string>> = {},
): Promise<Measurement> {
  rmSync(timeFile, { force: true });
  const argv = hasGnuTime ? ['-f', '%M %U %S', '-o', timeFile, command, ...args] : [...args];
  return new Promise((resolve, reject) => {
    const start = performance.now();
    let end = start;
    const child = spawn(hasGnuTime ? GNU_TIME : command, argv, {
      cwd,
      env: { ...process.env, FEEDKEEPER_CONFIG: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    child.on('error', reject);
    child.on('exit', () => {
      end = performance.now();
    });
    child.on('close', (status) => {
      resolve({
        seconds: (end - start) / 1000,
        ...(hasGnuTime ? readTime(timeFile) : { peakKb: null, cpuSeconds: null }),
        status,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      });
    });
  });
}

/**
 * `node dist/bin/main.js build --json` in `dir`; throws unless it ran and succeeded. `nodeArgs`
 * go to node before the script (`--cpu-prof` for a profiled run), `env` to its environment.
 */
export async function measureBuild(
  dir: string,
  timeFile: string,
  nodeArgs: readonly string[] = [],
  env: Readonly<Record<string, string>> = {},
): Promise<BuildRun> {
  const m = await measure(
    process.execPath,
    [...nodeArgs, CLI, 'build', '--json'],
    dir,
    timeFile,
    env,
  );
  let report: RunReport;
  try {
    report = JSON.parse(m.stdout) as RunReport;
  } catch {
    throw new Error(`build did not print a JSON report (exit ${m.status}):\n${m.stderr}`);
  }
  if (m.status !== 0) {
    const issues = report.issues.slice(0, 5).map((i) => `${i.code} ${i.file}: ${i.message}`);
    throw new Error(`build exited with ${m.status}:\n${issues.join('\n')}\n${m.stderr}`);
  }
  return { ...m, report };
}

function readTime(file: string): { peakKb: number | null; cpuSeconds: number | null } {
  // GNU time writes "Command exited with non-zero status N" first when the child fails.
  const lines = readFileSync(file, 'utf8').trim().split('\n');
  const [kb, user, system] = (lines[lines.length - 1] ?? '').split(' ').map(Number);
  const cpu = (user ?? NaN) + (system ?? NaN);
  return {
    peakKb: kb !== undefined && Number.isFinite(kb) ? kb : null,
    cpuSeconds: Number.isFinite(cpu) ? cpu : null,
  };
}
