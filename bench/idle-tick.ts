import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../src/config/load-config.js';
import type { RunContext } from '../src/pipeline/context.js';
import { startService, type Service } from '../src/schedule/service.js';
import { readVersion } from '../src/version.js';
import { ArticleGenerator } from './article.js';
import { formatLoad } from './stability.js';
import { median } from './table.js';
import { createWorkspace } from './workspace.js';

/**
 * `npm run bench:tick -- [size] [ticks] [seed]`: what a tick of `feedkeeper schedule` costs when
 * nothing changed (schedule/tick-decision.ts). One generated archive (10,000 articles by
 * default), built once; then two services on it in this process, driven with tickNow() (their
 * cron expression never fires): one watching (its ticks skip the build), one with --no-watch
 * (each tick is a whole no-change build, what every tick cost before). Their ticks alternate,
 * so the load of a shared machine falls on both; medians of wall and CPU time (user + system)
 * of each, and the ratio of the medians. A watching tick that built is reported, not hidden.
 */
const [sizeArg, ticksArg, seedArg] = process.argv.slice(2);
const size = Number(sizeArg ?? 10_000);
const ticks = Number(ticksArg ?? 20);
const seed = Number(seedArg ?? 20261125);
const log = (line: string): void => void process.stderr.write(`${line}\n`);

const root = mkdtempSync(join(tmpdir(), 'feedkeeper-tick-bench-'));
try {
  const ws = createWorkspace(join(root, 'site'), size, new ArticleGenerator(seed));
  const context = (): RunContext => ({
    config: loadConfig(join(ws.dir, 'feedkeeper.config.json')),
    now: () => new Date(),
    version: readVersion(),
  });
  const kinds: string[] = [];
  const start = (watch: boolean): Service =>
    startService(
      {
        cron: '0 0 1 1 *',
        timezone: 'UTC',
        context,
        watch,
        onRun: (run, why) => kinds.push(`${watch ? 'watch' : 'no-watch'} ${run.kind} ${why ?? ''}`),
      },
      join(ws.dir, '.feedkeeper'),
    );
  mkdirSync(join(ws.dir, '.feedkeeper'), { recursive: true });
  let t = performance.now();
  const watching = start(true);
  const cold = await watching.firstRun;
  if (cold?.kind !== 'ran') throw new Error(`the cold build did not run: ${cold?.kind}`);
  log(
    `[${size}] cold build by the service's first tick: ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  t = performance.now();
  const scanning = start(false);
  await scanning.firstRun;
  log(`[${size}] first no-change build: ${((performance.now() - t) / 1000).toFixed(1)} s`);

  const measureTick = async (s: Service): Promise<{ wall: number; cpu: number; kind: string }> => {
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await s.tickNow();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    return { wall, cpu: (cpu.user + cpu.system) / 1000, kind: r?.kind ?? 'none' };
  };
  const idle: { wall: number; cpu: number }[] = [];
  const built: { wall: number; cpu: number }[] = [];
  const watchBuilt: string[] = [];
  const loadAtStart = loadavg();
  for (let i = 0; i < ticks; i++) {
    // Alternate which goes first.
    const order = i % 2 === 0 ? [watching, scanning] : [scanning, watching];
    for (const s of order) {
      const m = await measureTick(s);
      if (s === watching) {
        if (m.kind === 'idle') idle.push(m);
        else watchBuilt.push(kinds.at(-1) ?? m.kind);
      } else built.push(m);
    }
  }
  await watching.stop();
  await scanning.stop();
  const med = (xs: { wall: number; cpu: number }[], k: 'wall' | 'cpu'): number =>
    median(xs.map((x) => x[k]));
  const ms = (x: number): string => `${x.toFixed(1)} ms`;
  const wallIdle = med(idle, 'wall');
  const wallBuild = med(built, 'wall');
  console.log(
    `feedkeeper schedule, idle tick, Node ${process.version}, ${size} articles, ${ticks} paired ticks`,
  );
  console.log(
    `load average (1/5/15 min): ${formatLoad(loadAtStart)} at start, ${formatLoad(loadavg())} at end`,
  );
  console.log('| tick | median wall | max wall | median CPU |');
  console.log('| --- | --- | --- | --- |');
  console.log(
    `| watching, nothing changed (skips the build) | ${ms(wallIdle)} | ${ms(Math.max(...idle.map((x) => x.wall)))} | ${ms(med(idle, 'cpu'))} |`,
  );
  console.log(
    `| --no-watch (a no-change build) | ${ms(wallBuild)} | ${ms(Math.max(...built.map((x) => x.wall)))} | ${ms(med(built, 'cpu'))} |`,
  );
  console.log(
    `ratio of the medians (wall): ${(wallBuild / wallIdle).toFixed(0)}× ; idle ticks: ${idle.length}/${ticks}${watchBuilt.length > 0 ? `; the watching service built at ${watchBuilt.length} tick(s): ${watchBuilt.join(' | ')}` : ''}`,
  );
  console.log(`target: < 50 ms (issue 15): ${wallIdle < 50 ? 'met' : 'missed'}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
