import { CLI, measure } from './measure.js';
import type { Row, Sample } from './scenarios.js';
import type { Workspace } from './workspace.js';

/**
 * `feedkeeper archive list` (every published record, from the catalogue, printed to a pipe) and
 * `feedkeeper archive verify` (every record read and checked, every stored article hashed, the
 * three archive chains walked) on the archive the build scenarios left. Targets (issue 13):
 * list under 0.5 s at 100,000; verify fast enough for a weekly cron job.
 */
export async function runArchiveScenarios(
  ws: Workspace,
  runs: number,
  timeFile: string,
): Promise<Row[]> {
  const size = ws.names.length;
  const rows: Row[] = [];
  for (const [scenario, args, n] of [
    ['archive list', ['archive', 'list'], runs],
    ['archive list --json', ['archive', 'list', '--json'], runs],
    ['archive verify', ['archive', 'verify'], 1],
  ] as const) {
    const samples: Sample[] = [];
    for (let i = 0; i < n; i++) {
      const m = await measure(process.execPath, [CLI, ...args], ws.dir, timeFile);
      if (m.status !== 0)
        throw new Error(
          `${size} ${scenario}: exit ${m.status}: ${m.stdout.slice(0, 2000)}${m.stderr}`,
        );
      const lines = m.stdout.split('\n').length - 1;
      samples.push({ seconds: m.seconds, peakKb: m.peakKb, written: 0 });
      process.stderr.write(
        `  [${size}] ${scenario} ${i + 1}/${n}: ${m.seconds.toFixed(3)} s, ${lines} lines\n`,
      );
    }
    rows.push({ size, scenario, samples });
  }
  return rows;
}
