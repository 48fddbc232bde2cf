import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, platform, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { ArticleGenerator } from './article.js';
import { parseBenchArgs, type BenchOptions } from './args.js';
import { CLI, hasGnuTime, measure, measureBuild } from './measure.js';
import { runScenarios, type Floors, type Row, type Runs, type Sample } from './scenarios.js';
import { runArchiveScenarios } from './archive-scenarios.js';
import { explainMisses, FIXED_COST_SIZE } from './explain.js';
import { codeHash, formatLoad } from './stability.js';
import { formatTable } from './table.js';
import {
  AGE_SECONDS,
  createWorkspace,
  discard,
  rewriteArticle,
  writeArticle,
} from './workspace.js';

/**
 * `npm run bench`: synthetic archives of 1,000 / 10,000 / 100,000 stored articles (and always
 * one of 100 first, the fixed cost: bench/explain.ts); for each, a cold build, no-change runs,
 * one-new-article runs and one-edited-article runs, each a whole `node dist/bin/main.js build
 * --json` child process. Progress on stderr; the table, then why each target was missed, on
 * stdout.
 */
const log = (line: string): void => void process.stderr.write(`${line}\n`);

function runsFor(size: number, opts: BenchOptions): Runs {
  const n = opts.runs;
  return {
    cold: size >= 100_000 ? 1 : (n ?? 3),
    noChange: n ?? 5,
    newArticle: n ?? 3,
    edited: n ?? 3,
  };
}

/**
 * One untimed pass over a small archive before anything is measured: a cold build, one new
 * article, one edited article. An install keeps V8's code cache and the page shapes it judged
 * (`dist/code-cache/`, src/cli/code-cache.ts), so every run but the first few after an install
 * starts from them; without this pass, the first size's runs (the fixed cost every other size is
 * compared with) alone paid for compiling their code and loading html-validate, and a one-new
 * run at 100 articles took longer than one at 10,000.
 */
async function warmUp(root: string, timeFile: string, trash: string, seed: number): Promise<void> {
  const gen = new ArticleGenerator(seed);
  const ws = createWorkspace(join(root, 'warm-up'), 20, gen);
  const past = Date.now() / 1000 - AGE_SECONDS;
  await measureBuild(ws.dir, timeFile);
  ws.names.push(writeArticle(ws, gen, 20, past));
  await measureBuild(ws.dir, timeFile);
  rewriteArticle(ws, ws.names[3]!, (text) => `${text}\n\nUn paragraf adăugat.\n`, past + 60);
  await measureBuild(ws.dir, timeFile);
  discard(ws.dir, trash);
  log('warm-up: a cold build, one new and one edited article on 20 articles (not measured)');
}

async function bench(opts: BenchOptions, root: string): Promise<Row[]> {
  const timeFile = join(root, 'time.txt');
  const trash = join(root, 'trash'); // deleted at the end, not between runs: see discard()
  const rows: Row[] = [];
  await warmUp(root, timeFile, trash, opts.seed);
  const startup: Sample[] = [];
  for (let i = 0; i < (opts.runs ?? 5); i++) {
    const m = await measure(process.execPath, ['-e', '0'], root, timeFile);
    startup.push({ seconds: m.seconds, peakKb: m.peakKb, cpuSeconds: m.cpuSeconds, written: 0 });
  }
  rows.push({ size: null, scenario: 'startup: node -e 0', samples: startup });

  // The smallest archive first: its one-new run is the fixed cost the others are compared with.
  const sizes = [...new Set([FIXED_COST_SIZE, ...opts.sizes])];
  for (const size of sizes) {
    const dir = join(root, `articles-${size}`);
    const gen = new ArticleGenerator(opts.seed);
    let t = performance.now();
    const ws = createWorkspace(dir, size, gen);
    log(`[${size}] generated in ${((performance.now() - t) / 1000).toFixed(1)} s: ${dir}`);
    t = performance.now();
    const floors = floorsFor(ws.dir, ws.articles, size, root, timeFile, trash);
    rows.push(
      ...(await runScenarios(ws, gen, opts.seed, runsFor(size, opts), timeFile, trash, floors)),
    );
    if (size !== FIXED_COST_SIZE)
      rows.push(...(await runArchiveScenarios(ws, opts.runs ?? 3, timeFile, size)));
    log(`[${size}] measured in ${((performance.now() - t) / 1000).toFixed(1)} s`);
    log(formatTable(rows));
    if (!opts.keep) discard(dir, trash);
  }
  return rows;
}

/** A record's size in the generated archives (about 7 KB): what the write-N floor writes. */
const RECORD_BYTES = 7000;

function floorsFor(
  dir: string,
  articles: string,
  size: number,
  root: string,
  timeFile: string,
  trash: string,
): Floors {
  const FLOORS = join(dirname(CLI), '..', 'bench', 'floors.js');
  let k = 0;
  return {
    list: async () =>
      (await measure(process.execPath, [FLOORS, 'list', articles], dir, timeFile)).seconds,
    write: async () => {
      const target = join(root, `floor-${k++}`);
      const m = await measure(
        process.execPath,
        [FLOORS, 'write', target, String(size), String(RECORD_BYTES)],
        dir,
        timeFile,
      );
      discard(target, trash);
      return m.seconds;
    },
  };
}

const opts = parseBenchArgs(process.argv.slice(2));
const root = mkdtempSync(join(tmpdir(), 'feedkeeper-bench-'));
const cleanup = (): void => {
  if (opts.keep) log(`kept ${root}`);
  else rmSync(root, { recursive: true, force: true });
};
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    cleanup();
    process.exit(130);
  });
}
const code = dirname(CLI);
const codeAtStart = codeHash(code);
const loadAtStart = loadavg();
try {
  if (!hasGnuTime) log('warning: /usr/bin/time (GNU time) not found: peak memory is not measured');
  const rows = await bench(opts, root);
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `feedkeeper build, Node ${process.version}, ${platform()}, ${cpus().length} × ${cpu}`,
  );
  console.log(
    `load average (1/5/15 min): ${formatLoad(loadAtStart)} at start, ${formatLoad(loadavg())} at end`,
  );
  if (codeHash(code) !== codeAtStart)
    console.log(
      `WARNING: ${code} changed during the run: the results mix two versions of feedkeeper.`,
    );
  console.log(
    'wall time of the whole child process; CPU s = its user + system time; × floor (paired) = median over the runs of the wall time of each run / that of the floor run just before it (list+stat: a plain loop listing and stat-ing the stored articles; write N: writing N record-sized files, then one syncfs); × node -e 0 = median wall time over that of node -e 0; peak MB = max RSS (MiB) over the runs\n',
  );
  console.log(formatTable(rows));
  const why = explainMisses(rows);
  if (why.length > 0)
    console.log(`\nWhy (issue 15: by how much, and the profile):\n\n${why.join('\n')}`);
} finally {
  cleanup();
}
