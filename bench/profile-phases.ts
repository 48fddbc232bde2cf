/**
 * Where a build's CPU time went, by phase of the pipeline: the samples of V8 `.cpuprofile`
 * files (written by `node --cpu-prof`) attributed to the innermost function on their stack
 * that names a phase. The bench prints this beside a missed target (issue 15: "says by how
 * much it is missed and why, with the profile that explains the rest").
 *
 * The names are those of src/ functions as the bundle keeps them (rolldown may add `$1`):
 * renaming one of them moves its time to its caller's phase, and tests/bench/profile-phases
 * checks on a real build that most of the time still lands in a named phase.
 */

/** The part of a V8 CPU profile this reads (the Profile type of the inspector protocol). */
export interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: { readonly functionName: string; readonly url: string };
    readonly children?: readonly number[];
  }[];
  readonly samples: readonly number[];
  /** Microseconds between samples (the first is relative to startTime). */
  readonly timeDeltas: readonly number[];
}

export const PHASES = [
  'garbage collection',
  'loading code',
  'listing the stored articles',
  'reading the catalogue and page state',
  'reading and normalizing articles',
  'planning the archive, writing records',
  'choosing entries, planning pages (over every record)',
  'rendering feeds, pages, archive documents',
  'proving the outputs (the gate)',
  'compressing (.gz, .br)',
  'writing and fsync',
  'other',
] as const;
export type Phase = (typeof PHASES)[number];

/** A function name (without rolldown's `$N`) that starts a phase for everything it calls. */
const BY_FUNCTION = new Map<string, Phase>(
  Object.entries({
    '(garbage collector)': 'garbage collection',
    compileSourceTextModule: 'loading code',
    compileForInternalLoader: 'loading code',
    evaluate: 'loading code',
    walkArticles: 'listing the stored articles',
    scanArticles: 'listing the stored articles',
    readTable: 'reading the catalogue and page state',
    openCatalogue: 'reading the catalogue and page state',
    loadRecordIndex: 'reading the catalogue and page state',
    loadPageState: 'reading the catalogue and page state',
    loadPublishState: 'reading the catalogue and page state',
    examineArticle: 'reading and normalizing articles',
    normalizeArticle: 'reading and normalizing articles',
    archiveOnce: 'planning the archive, writing records',
    archiveArticles: 'planning the archive, writing records',
    renderFeeds: 'rendering feeds, pages, archive documents',
    renderPages: 'rendering feeds, pages, archive documents',
    renderArchiveDoc: 'rendering feeds, pages, archive documents',
    proveOutputs: 'proving the outputs (the gate)',
    verifyOutputs: 'proving the outputs (the gate)',
    provePages: 'proving the outputs (the gate)',
    proveArchiveDoc: 'proving the outputs (the gate)',
    precompress: 'compressing (.gz, .br)',
    makeAllCopies: 'compressing (.gz, .br)',
    makeCopies: 'compressing (.gz, .br)',
    fsync: 'writing and fsync',
    fsyncSync: 'writing and fsync',
    writeFileAtomic: 'writing and fsync',
    saveTable: 'writing and fsync',
    saveCatalogue: 'writing and fsync',
    publishFiles: 'writing and fsync',
    flushFiles: 'writing and fsync',
    chooseEntries: 'choosing entries, planning pages (over every record)',
    selectEntries: 'choosing entries, planning pages (over every record)',
    planPages: 'choosing entries, planning pages (over every record)',
    archiveChain: 'choosing entries, planning pages (over every record)',
    docsDue: 'choosing entries, planning pages (over every record)',
  } satisfies Record<string, Phase>),
);

function phaseOfFrame(frame: {
  readonly functionName: string;
  readonly url: string;
}): Phase | null {
  const byName = BY_FUNCTION.get(frame.functionName.replace(/\$\d+$/, ''));
  if (byName !== undefined) return byName;
  // Node's module loader (resolving, reading, linking) in whatever it was called from.
  return frame.url.startsWith('node:internal/modules/') ? 'loading code' : null;
}

/** Milliseconds of CPU by phase, over any number of profiles (one per thread). */
export function phasesOf(profiles: readonly CpuProfile[]): Map<Phase, number> {
  const ms = new Map<Phase, number>(PHASES.map((p) => [p, 0]));
  for (const profile of profiles) {
    const parent = new Map<number, number>();
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
    // A node's phase is its own or its nearest caller's: computed once per node, not per sample.
    const phaseOfNode = new Map<number, Phase>();
    const resolve = (id: number): Phase => {
      const known = phaseOfNode.get(id);
      if (known !== undefined) return known;
      const node = byId.get(id);
      const up = parent.get(id);
      const own = node === undefined ? null : phaseOfFrame(node.callFrame);
      const phase = own ?? (up === undefined ? 'other' : resolve(up));
      phaseOfNode.set(id, phase);
      return phase;
    };
    profile.samples.forEach((id, i) => {
      // A sample's delta is the time since the previous sample: the time this stack was seen.
      const phase = resolve(id);
      const delta = profile.timeDeltas[i + 1] ?? 0;
      if (byId.get(id)?.callFrame.functionName === '(idle)') return;
      ms.set(phase, (ms.get(phase) ?? 0) + delta / 1000);
    });
  }
  return ms;
}

/** "loading code 120 ms (14 %), …", largest first, leaving out phases under 1 %. */
export function formatPhases(ms: ReadonlyMap<Phase, number>): string {
  const total = [...ms.values()].reduce((a, b) => a + b, 0);
  if (total === 0) return 'no samples';
  return [...ms]
    .filter(([, t]) => t / total >= 0.01)
    .sort((a, b) => b[1] - a[1])
    .map(([p, t]) => `${p} ${t.toFixed(0)} ms (${((100 * t) / total).toFixed(0)} %)`)
    .join(', ');
}
