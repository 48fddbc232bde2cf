import { editArticle, type ArticleGenerator } from './article.js';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { CLI, measureBuild, type BuildRun } from './measure.js';
import { phasesOf, type CpuProfile, type Phase } from './profile-phases.js';
import { heapHolders, type HeapHolders, type HeapSnapshot } from './heap-holders.js';
import { RATIO_TARGET_FROM } from './table.js';
import {
  AGE_SECONDS,
  assertArticlesOlderThan,
  resetBuild,
  rewriteArticle,
  writeArticle,
  type Workspace,
} from './workspace.js';

export type Scenario =
  'cold build' | 'no change' | 'one new article' | 'one edited article' | 'no change after a copy';

export interface Sample {
  readonly seconds: number;
  readonly peakKb: number | null;
  readonly cpuSeconds: number | null;
  readonly written: number;
  /** The wall time of the floor run just before this one (bench/floors.ts), if it has one. */
  readonly floorSeconds?: number;
}

export interface Row {
  /** Number of stored articles, or null for the `node -e 0` reference. */
  readonly size: number | null;
  readonly scenario: string;
  readonly samples: readonly Sample[];
  /** What its samples' floorSeconds measured ('list+stat', 'write N'). */
  readonly floor?: string;
  /** CPU ms by phase in one more run of the scenario, profiled (bench/profile-phases.ts). */
  readonly profile?: ReadonlyMap<Phase, number>;
  /**
   * What held the main thread's heap in one more run, once its outputs were proven
   * (bench/heap-holders.ts, src/pipeline/heap-snapshot.ts).
   */
  readonly heap?: HeapHolders;
}

/** The floors (bench/floors.ts): run in turn with a scenario's runs, one before each. */
export interface Floors {
  readonly list: () => Promise<number>;
  readonly write: () => Promise<number>;
}

export interface Runs {
  readonly cold: number;
  readonly noChange: number;
  readonly newArticle: number;
  readonly edited: number;
}

const past = (offsetSeconds = 0): number => Date.now() / 1000 - AGE_SECONDS + offsetSeconds;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** All four scenarios, in order, on one generated archive of `size` articles. */
export async function runScenarios(
  ws: Workspace,
  gen: ArticleGenerator,
  seed: number,
  runs: Runs,
  timeFile: string,
  trash: string,
  floors: Floors,
): Promise<Row[]> {
  const size = ws.names.length;
  const rows: Row[] = [];
  const repeat = async (
    scenario: Scenario,
    n: number,
    before: (i: number) => void,
    check: (run: BuildRun) => string | null,
    floor: 'list' | 'write' = 'list',
    /** Run it once more under `--cpu-prof` (not counted in the samples), to explain a miss. */
    profiled = false,
    /** And once more with a heap snapshot, to explain its memory. */
    heaped = false,
  ): Promise<void> => {
    const samples: Sample[] = [];
    for (let i = 0; i < n; i++) {
      // The floor first, then the run: pairs on the same machine state (issue 15).
      const floorSeconds = await floors[floor]();
      before(i);
      const run = await measureBuild(ws.dir, timeFile);
      const problem = check(run);
      if (problem !== null) throw new Error(`${size} ${scenario}, run ${i + 1}: ${problem}`);
      const sample = {
        seconds: run.seconds,
        peakKb: run.peakKb,
        cpuSeconds: run.cpuSeconds,
        written: run.report.written.length,
        floorSeconds,
      };
      samples.push(sample);
      const mb = sample.peakKb === null ? '?' : (sample.peakKb / 1024).toFixed(0);
      log(
        `  [${size}] ${scenario} ${i + 1}/${n}: ${sample.seconds.toFixed(3)} s, ${mb} MB, ${sample.written} files written`,
      );
    }
    let profile: ReadonlyMap<Phase, number> | undefined;
    if (profiled) {
      before(n);
      const dir = mkdtempSync(join(timeFile, '..', 'profile-'));
      const run = await measureBuild(ws.dir, timeFile, ['--cpu-prof', `--cpu-prof-dir=${dir}`]);
      const problem = check(run);
      if (problem !== null) throw new Error(`${size} ${scenario}, profiled run: ${problem}`);
      profile = phasesOf(
        readdirSync(dir).map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile),
      );
      rmSync(dir, { recursive: true });
      log(`  [${size}] ${scenario}, profiled: ${run.seconds.toFixed(3)} s`);
    }
    let heap: HeapHolders | undefined;
    if (heaped) {
      before(n + 1);
      const file = join(timeFile, '..', 'main-thread.heapsnapshot');
      const run = await measureBuild(ws.dir, timeFile, [], { FEEDKEEPER_HEAP_SNAPSHOT: file });
      const problem = check(run);
      if (problem !== null) throw new Error(`${size} ${scenario}, heap snapshot run: ${problem}`);
      const snapshot = JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot;
      rmSync(file);
      // Holders of 1 % of the live heap or more: a dozen lines, the rest summed by holder.
      heap = heapHolders(snapshot, 0.01);
      log(`  [${size}] ${scenario}, heap snapshot: ${run.seconds.toFixed(3)} s`);
    }
    rows.push({
      size,
      scenario,
      samples,
      floor: floor === 'list' ? 'list+stat' : 'write N',
      ...(profile === undefined ? {} : { profile }),
      ...(heap === undefined ? {} : { heap }),
    });
  };

  await repeat(
    'cold build',
    runs.cold,
    () => resetBuild(ws, trash),
    (r) => {
      const a = r.report.archive;
      if (r.report.issues.length > 0)
        log(`  warning: ${r.report.issues.length} issues, first: ${r.report.issues[0]?.code}`);
      return a.added.length === size && a.rejected === 0 && a.duplicates === 0
        ? null
        : `expected ${size} added, got ${a.added.length} (rejected ${a.rejected}, duplicates ${a.duplicates})`;
    },
    'write',
    // A profiled cold build of 100,000 would cost another half hour.
    size <= 10_000,
    // Its memory target is missed (issue 15): what holds it, where the targets start.
    size === RATIO_TARGET_FROM,
  );
  await repeat(
    'no change',
    runs.noChange,
    () => assertArticlesOlderThan(ws, 2),
    (r) => {
      const a = r.report.archive;
      const changed = a.added.length + a.revised.length + a.withdrawn.length;
      return changed === 0 ? null : `expected no change, got ${changed} changed records`;
    },
  );
  await repeat(
    'one new article',
    runs.newArticle,
    (i) => ws.names.push(writeArticle(ws, gen, size + i, past())),
    (r) => {
      // Issue 13: at most 6 feed files (the three subscription documents and the three of the
      // newest month; 9 once a month, when a new month or part gives the last one its link).
      log(`    written: ${describeWritten(r.report.written)}`);
      return r.report.archive.added.length === 1 ? null : `added ${r.report.archive.added.length}`;
    },
    'list',
    true,
  );
  await repeat(
    'one edited article',
    runs.edited,
    (i) => {
      // runs.edited + 1: the profiled run after them edits an article of its own.
      const index = Math.floor(((i + 0.5) * size) / (runs.edited + 1));
      const name = ws.names[index];
      if (name === undefined) throw new Error(`no article ${index}`);
      rewriteArticle(ws, name, (text) => editArticle(text, seed, index, i), past(60 * (i + 1)));
    },
    (r) =>
      r.report.archive.revised.length === 1 ? null : `revised ${r.report.archive.revised.length}`,
    'list',
    true,
  );
  // An import by a copy that does not keep time stamps (cp -r, rsync without -t, a checkout):
  // every file's mtime becomes the same second. The first two runs read every file (the second
  // because the first scan was too close to that second); from the third on, a run must cost
  // what a no-change run costs (it cost 4.2 times the floor, forever, before the scan time
  // moved on after a verified scan).
  await repeat(
    'no change after a copy',
    runs.noChange,
    (i) => {
      if (i > 0) return;
      const now = Date.now() / 1000;
      for (const name of ws.names) utimesSync(join(ws.articles, name), now, now);
      for (let k = 0; k < 2; k++) {
        const r = spawnSync(process.execPath, [CLI, 'build', '--json'], { cwd: ws.dir });
        if (r.status !== 0) throw new Error(`build after the copy: exit ${r.status}`);
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2100);
      }
    },
    (r) => {
      const a = r.report.archive;
      const changed = a.added.length + a.revised.length + a.withdrawn.length;
      if (changed !== 0) return `expected no change, got ${changed} changed records`;
      return r.report.written.length === 0 ? null : `wrote ${r.report.written.length} files`;
    },
  );
  return rows;
}

/** What a run wrote, by kind: feed files, their .gz/.br copies, records, state, the rest. */
export function describeWritten(written: readonly string[]): string {
  const kinds = { 'feed files': 0, '.gz/.br copies': 0, records: 0, state: 0, other: 0 };
  for (const f of written) {
    if (/^out\/.*\.(gz|br)$/.test(f)) kinds['.gz/.br copies']++;
    else if (/^out\/.*\.(xml|json)$/.test(f)) kinds['feed files']++;
    else if (f.startsWith('archive/records/') && f.endsWith('.json')) kinds.records++;
    // The catalogue, the publish state, and the records folder's generation marker.
    else if (f.startsWith('.feedkeeper/') || f.endsWith('/.feedkeeper-generation')) kinds.state++;
    else kinds.other++;
  }
  const feeds = written.filter((f) => /^out\/.*\.(xml|json)$/.test(f));
  return `${Object.entries(kinds)
    .map(([k, n]) => `${n} ${k}`)
    .join(', ')} (feed files: ${feeds.join(' ')})`;
}
