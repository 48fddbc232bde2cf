import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ArticleGenerator } from './article.js';
import { CLI } from './measure.js';
import { formatLoad } from './stability.js';
import { countFiles, createHugoSite, hugoAvailable, writeHugoArticle } from './hugo-site.js';
import {
  createWorkspace,
  discard,
  resetBuild,
  writeArticle,
  AGE_SECONDS,
  type Workspace,
} from './workspace.js';

/**
 * `npm run bench:pages -- <no-pages main.js> [size] [runs]`: what the pages cost, paired. One
 * generated archive, copied twice: this build (with pages) and another feedkeeper's
 * dist/src/main.js (main before pages, built from `git archive main`) run the same scenarios,
 * alternating (this one first, then the other, then the other first), so that the load of a
 * shared machine falls on both. Each run is a whole `build --json` child under GNU time:
 * wall seconds, CPU seconds (user + system) and peak RSS, and the files it wrote.
 *
 * When `hugo` is on PATH (Debian: `apt-get install hugo`), the same articles as a Hugo site
 * (bench/hugo-site.ts) are built in the same loop, after each pair: a cold build (public/ and
 * resources/ removed) and a rebuild after one new article. Without it, a note says so.
 */
interface Sample {
  readonly wall: number;
  readonly cpu: number;
  readonly peakMb: number;
  readonly written: number;
}

const [other, sizeArg, runsArg] = process.argv.slice(2);
if (other === undefined) {
  console.error(
    'usage: npm run bench:pages -- <path of a no-pages dist/src/main.js> [size] [runs]',
  );
  process.exit(2);
}
const size = Number(sizeArg ?? 10_000);
const runs = Number(runsArg ?? 3);
const root = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-bench-'));
const timeFile = join(root, 'time.txt');
const trash = join(root, 'trash');

function timed(
  command: string[],
  cwd: string,
): { wall: number; cpu: number; peakMb: number; stdout: string } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%U %S %M', '-o', timeFile, ...command], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 1 << 30,
    env: { ...process.env, FEEDKEEPER_CONFIG: '' },
  });
  const wall = (performance.now() - t) / 1000;
  if (r.status !== 0)
    throw new Error(`${command.join(' ')} failed (${r.status}): ${r.stderr.slice(0, 500)}`);
  const [user, sys, kb] = readFileSync(timeFile, 'utf8').trim().split('\n').at(-1)!.split(' ');
  return { wall, cpu: Number(user) + Number(sys), peakMb: Number(kb) / 1024, stdout: r.stdout };
}

function run(cli: string, ws: Workspace): Sample {
  const t = timed([process.execPath, cli, 'build', '--json'], ws.dir);
  const report = JSON.parse(t.stdout) as { written: string[] };
  return { wall: t.wall, cpu: t.cpu, peakMb: t.peakMb, written: report.written.length };
}

/** One Hugo build; it writes every page every time, so `written` is every file in public/. */
function runHugo(dir: string): Sample {
  const t = timed(['hugo', '--quiet'], dir);
  return { wall: t.wall, cpu: t.cpu, peakMb: t.peakMb, written: countFiles(join(dir, 'public')) };
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

const gen = new ArticleGenerator(20261125);
const base = createWorkspace(join(root, 'base'), size, gen);
const copy = (name: string): Workspace => {
  cpSync(base.dir, join(root, name), { recursive: true, preserveTimestamps: true });
  return { dir: join(root, name), articles: join(root, name, 'archive', 'articles'), names: [] };
};
const sides = { pages: copy('pages'), nopages: copy('nopages') };
const clis = { pages: CLI, nopages: other };
const hugo = hugoAvailable();
const hugoDir = join(root, 'hugo');
// Every article of the Hugo site, the new ones too, dated in the past, one second apart.
const hugoSince = Date.now() - (2 * size + 3600) * 1000;
if (hugo !== null) {
  createHugoSite(hugoDir);
  for (let i = 0; i < size; i++) writeHugoArticle(hugoDir, gen, i, hugoSince);
}
const load0 = loadavg();
const results: Record<string, { pages: Sample[]; nopages: Sample[]; hugo: Sample[] }> = {};
const scenario = (
  name: string,
  n: number,
  before: (i: number) => void,
  withHugo: (i: number) => boolean,
): void => {
  const got = { pages: [] as Sample[], nopages: [] as Sample[], hugo: [] as Sample[] };
  for (let i = 0; i < n; i++) {
    before(i);
    const order = i % 2 === 0 ? (['pages', 'nopages'] as const) : (['nopages', 'pages'] as const);
    for (const side of order) got[side].push(run(clis[side], sides[side]));
    if (hugo !== null && withHugo(i)) got.hugo.push(runHugo(hugoDir));
    process.stderr.write(`${name} ${i + 1}/${n}\n`);
  }
  results[name] = got;
};
scenario(
  'cold build',
  runs,
  (i) => {
    if (i > 0) for (const ws of Object.values(sides)) resetBuild(ws, trash);
  },
  () => {
    for (const d of ['public', 'resources']) discard(join(hugoDir, d), trash);
    return true;
  },
);
scenario(
  'no change',
  runs,
  () => undefined,
  () => false,
);
scenario(
  'one new article',
  runs,
  (i) => {
    const past = Date.now() / 1000 - AGE_SECONDS;
    for (const ws of Object.values(sides)) writeArticle(ws, gen, size + i, past);
  },
  (i) => {
    if (hugo !== null) writeHugoArticle(hugoDir, gen, size + i, hugoSince);
    return true;
  },
);

const m = (xs: Sample[], k: keyof Sample): number => median(xs.map((x) => x[k]));
const f = (xs: Sample[]): string =>
  xs.length === 0
    ? '—'
    : `${m(xs, 'wall').toFixed(2)} / ${m(xs, 'cpu').toFixed(2)} / ${m(xs, 'peakMb').toFixed(0)} / ${m(xs, 'written')}`;
const ratio = (a: Sample[], b: Sample[]): string =>
  a.length === 0 || b.length === 0
    ? '—'
    : `${(m(a, 'wall') / m(b, 'wall')).toFixed(2)} / ${(m(a, 'cpu') / m(b, 'cpu')).toFixed(2)} / ${(m(a, 'peakMb') / m(b, 'peakMb')).toFixed(2)}`;
console.log(
  `${size} articles, ${runs} paired runs each; load ${formatLoad(load0)} → ${formatLoad(loadavg())}`,
);
console.log(hugo === null ? 'hugo: not on PATH, not measured (apt-get install hugo)' : `${hugo}`);
console.log(
  '| scenario | with pages: wall s / CPU s / peak MB / files | without pages | Hugo | with/without: wall / CPU / MB | with/Hugo: wall / CPU / MB |',
);
console.log('| --- | --- | --- | --- | --- | --- |');
for (const [name, { pages, nopages, hugo: h }] of Object.entries(results))
  console.log(
    `| ${name} | ${f(pages)} | ${f(nopages)} | ${f(h)} | ${ratio(pages, nopages)} | ${ratio(pages, h)} |`,
  );
rmSync(root, { recursive: true, force: true });
