import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  mkdirSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { resolveConfig, type ResolvedConfig } from '../src/config/load-config.js';
import type { ArchiveRecord } from '../src/model/record.js';
import type { RunContext } from '../src/pipeline/context.js';

/** Shared test helpers: a throw-away project folder, the compiled CLI, file snapshots. */

/**
 * How long a CLI run started with spawnSync may take before it is killed (its status is then
 * null, its error ETIMEDOUT). spawnSync blocks the test worker, so vitest's own timeout cannot
 * fire: without this a run that never ends (a build that once hung after a full-disk error)
 * hangs the whole suite, and CI with it.
 */
export const RUN_LIMIT_MS = 120_000;

export const REPO = join(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(REPO, 'dist', 'bin', 'main.js');
export const SAMPLE = join(REPO, 'archive', 'articles', '000_4b52bae062771df2.txt');
export const sampleBytes = (): Buffer => readFileSync(SAMPLE);

export const BASE_CONFIG = {
  site: {
    title: 'Test News',
    description: 'Feeds for tests',
    baseUrl: 'https://news.example.org',
    language: 'ro',
    author: { name: 'Test Newsroom' },
  },
};

export interface Project {
  readonly dir: string;
  readonly articles: string;
  /** Write a stored article (relative to archive/articles), with an mtime safely in the past. */
  write(name: string, content: string | Uint8Array, ageSeconds?: number): string;
  config(raw?: unknown): void;
  cli(...args: string[]): SpawnSyncReturns<string>;
  context(now?: Date, raw?: unknown): RunContext;
  read(rel: string): string;
  /** Every file below the project (but node_modules) with its bytes' hash and mtime. */
  snapshot(): Record<string, { size: number; mtimeMs: number; text: string }>;
}

export function makeProject(raw: unknown = BASE_CONFIG): Project {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-test-'));
  const articles = join(dir, 'archive', 'articles');
  mkdirSync(articles, { recursive: true });
  const p: Project = {
    dir,
    articles,
    write(name, content, ageSeconds = 60) {
      const abs = join(articles, name);
      mkdirSync(dirname(abs), { recursive: true });
      writeFileSync(abs, content);
      // Old enough that the scan trusts its stat (see RACY_MS in archive/catalogue.ts).
      const t = Date.now() / 1000 - ageSeconds;
      utimesSync(abs, t, t);
      return abs;
    },
    config(value = raw) {
      writeFileSync(join(dir, 'feedkeeper.config.json'), JSON.stringify(value, null, 2));
    },
    cli(...args) {
      return spawnSync(process.execPath, [CLI, ...args], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, FEEDKEEPER_CONFIG: '' },
        timeout: RUN_LIMIT_MS,
      });
    },
    context(now = new Date('2026-11-25T08:00:00Z'), value = raw): RunContext {
      const config: ResolvedConfig = resolveConfig(value, dir);
      return { config, now: () => now, version: '0.0.0-test' };
    },
    read(rel) {
      return readFileSync(join(dir, rel), 'utf8');
    },
    snapshot() {
      const out: Record<string, { size: number; mtimeMs: number; text: string }> = {};
      const walk = (d: string): void => {
        for (const e of readdirSync(d, { withFileTypes: true })) {
          const abs = join(d, e.name);
          if (e.isDirectory()) walk(abs);
          else {
            const s = statSync(abs);
            out[relative(dir, abs)] = {
              size: s.size,
              mtimeMs: s.mtimeMs,
              text: readFileSync(abs, 'latin1'),
            };
          }
        }
      };
      walk(dir);
      return out;
    },
  };
  p.config(raw);
  return p;
}

/** Parse `--json` output of a CLI run. */
export const jsonOf = <T = Record<string, unknown>>(r: SpawnSyncReturns<string>): T =>
  JSON.parse(r.stdout) as T;

/** Every record in the project's records folder (hidden files, such as the marker, are not). */
export function recordsOf(p: Project): ArchiveRecord[] {
  const root = join(p.dir, 'archive', 'records');
  return readdirSync(root, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(root, f), 'utf8')) as ArchiveRecord);
}

/** The item ids of out/feed.json, in its order. */
export const feedIds = (p: Project): string[] =>
  (JSON.parse(p.read('out/feed.json')) as { items: { id: string }[] }).items.map((i) => i.id);

/** Every file below out/ whose text holds `needle` (compressed copies are not text: skipped). */
export function filesHolding(p: Project, needle: string): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const abs = join(dir, name);
      if (statSync(abs).isDirectory()) walk(abs);
      else if (!/\.(gz|br)$/.test(name) && readFileSync(abs, 'utf8').includes(needle))
        found.push(abs.slice(p.dir.length + 1));
    }
  };
  walk(join(p.dir, 'out'));
  return found;
}

/**
 * The compiled CLI under a time limit of its own: for tests of what used to hang (a FIFO or a
 * device where a file was), where the default RUN_LIMIT_MS would make a hang a slow failure.
 */
export const cliWithin = (
  p: Project,
  limitMs: number,
  ...args: string[]
): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd: p.dir,
    encoding: 'utf8',
    env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    timeout: limitMs,
  });

/** A named pipe at `path` (mkfifo(1)): nothing may open it waiting for a writer. */
export function mkfifo(path: string): void {
  const r = spawnSync('mkfifo', [path], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`mkfifo ${path}: ${r.stderr || r.error?.message}`);
}

/** Traces the modules a process loads (tests/fixtures/trace-loads/: ES modules and CommonJS). */
const TRACE = pathToFileURL(join(REPO, 'tests', 'fixtures', 'trace-loads', 'register.mjs')).href;

/** The CLI at `main` (the bundle, or a copy of it) run with every module it loads listed: URLs. */
export function tracedCli(
  main: string,
  p: Project,
  args: string[],
  env: Record<string, string> = {},
): { r: SpawnSyncReturns<string>; loads: string[] } {
  const trace = join(p.dir, `loads-${Date.now()}.txt`);
  const r = spawnSync(process.execPath, ['--import', TRACE, main, ...args], {
    cwd: p.dir,
    encoding: 'utf8',
    env: { ...process.env, FEEDKEEPER_CONFIG: '', FK_TRACE_LOADS: trace, ...env },
    timeout: RUN_LIMIT_MS,
  });
  const loads = existsSync(trace) ? readFileSync(trace, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(trace, { force: true });
  return { r, loads };
}
