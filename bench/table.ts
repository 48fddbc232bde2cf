import type { Row, Sample } from './scenarios.js';

/** The targets from the issue: median wall time (s) and peak RSS (MiB), by size and scenario. */
interface Target {
  readonly seconds?: number;
  readonly peakMb?: number;
}

const TIME_TARGETS: Record<string, number> = {
  '10000/no change': 0.3,
  '100000/no change': 1.5,
  // The same as a no-change run: a copy that drops time stamps costs two full reads, then none.
  '10000/no change after a copy': 0.3,
  '100000/no change after a copy': 1.5,
  '10000/one new article': 0.5,
  '10000/cold build': 6,
  // Issue 13: from the catalogue alone, and a new article in an archive of 100,000.
  '100000/archive list': 0.5,
  // Issue 11 (pages): at 100,000, one new article under 2 s and a no-change run under 1 s.
  '100000/one new article': 2,
};
/** Issue 15: a cold build costs at most this times writing as many record-sized files. */
export const COLD_TARGET = 4;
/**
 * Issue 15, as ratios to the floors measured in the same run (medians of per-pair ratios):
 * absolute times drift by 2x on this kind of machine from one day to the next; ratios do not.
 */
const FLOOR_TARGETS: Record<string, number> = {
  'no change': 1.5,
  'no change after a copy': 1.5,
  'cold build': COLD_TARGET,
};
/** The smallest archive issue 15's ratio targets are set for. */
export const RATIO_TARGET_FROM = 10_000;
/** Issue 15: one new or edited article costs at most this times a no-change run. */
export const CHANGE_TARGET = 1.3;
export const isChange = (scenario: string): boolean => /^one (new|edited) article$/.test(scenario);
/** Peak RSS (MB) by size; issue 15's own at 100,000 by scenario, issue 11's for a cold build. */
export function memoryTarget(size: number, scenario: string): number | undefined {
  if (scenario === 'cold build') return { 10000: 250, 100000: 400 }[size];
  if (size === 100_000 && scenario.startsWith('no change')) return 150;
  if (size === 100_000 && isChange(scenario)) return 200;
  return { 10000: 200, 100000: 400 }[size];
}

function targetOf(row: Row): Target {
  if (row.size === null) return {};
  return {
    seconds: TIME_TARGETS[`${row.size}/${row.scenario}`],
    peakMb: memoryTarget(row.size, row.scenario),
  };
}

/** The median of each run's wall time over its floor's (null when the row has no floor). */
function pairedRatio(samples: readonly Sample[]): number | null {
  const ratios = samples.flatMap((s) =>
    s.floorSeconds !== undefined && s.floorSeconds > 0 ? [s.seconds / s.floorSeconds] : [],
  );
  return ratios.length === 0 ? null : median(ratios);
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const hi = s[mid] ?? NaN;
  return s.length % 2 === 1 ? hi : ((s[mid - 1] ?? NaN) + hi) / 2;
}

/** The highest peak RSS (MiB) over the samples, or null when none was measured. */
export const peakMbOf = (samples: readonly Sample[]): number | null => {
  const kbs = samples.map((s) => s.peakKb).filter((kb): kb is number => kb !== null);
  return kbs.length === 0 ? null : Math.max(...kbs) / 1024;
};

/** The results as a Markdown table: one line per size and scenario. */
export function formatTable(rows: readonly Row[]): string {
  // The floor: Node starting and exiting (`node -e 0`), measured in the same run. On a shared
  // machine the absolute times move with the load; a median as a multiple of the floor moves less.
  const floorRow = rows.find((r) => r.size === null);
  const floor = floorRow === undefined ? NaN : median(floorRow.samples.map((s) => s.seconds));
  const lines = [
    '| size | scenario | runs | median s | min s | × floor (paired) | × node -e 0 | median CPU s | peak MB | files written | target | met |',
    '| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |',
  ];
  for (const row of rows) {
    const times = row.samples.map((s) => s.seconds);
    const med = median(times);
    const cpu = row.samples.map((s) => s.cpuSeconds).filter((c): c is number => c !== null);
    const ratio = Number.isFinite(floor) && floor > 0 ? (med / floor).toFixed(1) : '?';
    const paired = pairedRatio(row.samples);
    const peak = peakMbOf(row.samples);
    const t = targetOf(row);
    const goals: string[] = [];
    const verdicts: string[] = [];
    // Issue 15 sets its ratios for 10,000 and 100,000 articles; smaller archives are references.
    const ratioTargets = row.size !== null && row.size >= RATIO_TARGET_FROM;
    const floorTarget = ratioTargets ? FLOOR_TARGETS[row.scenario] : undefined;
    if (floorTarget !== undefined && paired !== null) {
      goals.push(`≤ ${floorTarget}× ${row.floor ?? 'floor'}`);
      verdicts.push(paired <= floorTarget ? 'ratio ok' : '**ratio MISSED**');
    }
    const noChange = rows.find((r) => r.size === row.size && r.scenario === 'no change');
    if (ratioTargets && isChange(row.scenario) && noChange !== undefined) {
      const x = med / median(noChange.samples.map((s) => s.seconds));
      goals.push(`≤ ${CHANGE_TARGET}× no change (${x.toFixed(2)}×)`);
      verdicts.push(x <= CHANGE_TARGET ? 'ratio ok' : '**ratio MISSED**');
    }
    if (t.seconds !== undefined) {
      goals.push(`< ${t.seconds} s`);
      verdicts.push(med < t.seconds ? 'time ok' : '**time MISSED**');
    }
    if (t.peakMb !== undefined) {
      goals.push(`< ${t.peakMb} MB`);
      verdicts.push(
        peak === null ? 'memory ?' : peak < t.peakMb ? 'memory ok' : '**memory MISSED**',
      );
    }
    const written =
      row.size === null ? '' : [...new Set(row.samples.map((s) => s.written))].join('/');
    const cells = [
      row.size === null ? '—' : row.size.toLocaleString('en-US'),
      row.scenario,
      String(row.samples.length),
      med.toFixed(3),
      Math.min(...times).toFixed(3),
      paired === null ? '' : `${paired.toFixed(2)} (${row.floor ?? '?'})`,
      ratio,
      cpu.length === 0 ? '?' : median(cpu).toFixed(3),
      peak === null ? '?' : peak.toFixed(0),
      written,
      goals.join(', '),
      verdicts.join(', '),
    ];
    lines.push(`| ${cells.join(' | ')} |`);
  }
  return lines.join('\n');
}
