import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatPhases, phasesOf, type CpuProfile } from '../../bench/profile-phases.js';
import { CLI, makeProject, sampleBytes } from '../helpers.js';

/** A profile of one thread: each stack is a list of function names, root first. */
function profileOf(samples: readonly [stack: readonly string[], ms: number][]): CpuProfile {
  const nodes: {
    id: number;
    callFrame: { functionName: string; url: string };
    children: number[];
  }[] = [{ id: 1, callFrame: { functionName: '(root)', url: '' }, children: [] }];
  const ids: number[] = [];
  for (const [stack] of samples) {
    let at = nodes[0]!;
    for (const name of stack) {
      const [functionName, url = ''] = name.split('@');
      let next = at.children
        .map((c) => nodes[c - 1]!)
        .find((n) => n.callFrame.functionName === functionName && n.callFrame.url === url);
      if (next === undefined) {
        next = {
          id: nodes.length + 1,
          callFrame: { functionName: functionName!, url },
          children: [],
        };
        nodes.push(next);
        at.children.push(next.id);
      }
      at = next;
    }
    ids.push(at.id);
  }
  // Sample i lasts until sample i + 1: its time is the next delta.
  return { nodes, samples: ids, timeDeltas: [0, ...samples.map(([, ms]) => ms * 1000)] };
}

describe('phasesOf: CPU time by phase, from the innermost named function', () => {
  it('attributes each sample to the nearest caller that names a phase', () => {
    const ms = phasesOf([
      profileOf([
        [['main', 'renderFeeds', 'render'], 10],
        [['main', 'renderFeeds', 'proveOutputs', 'parseXml'], 20],
        [['main', 'renderFeeds$1', 'loadRecordIndex$2', 'JSON.parse'], 5],
        [['(garbage collector)'], 7],
        [['(idle)'], 100],
        [['main', 'walkArticles', 'lstat'], 3],
        [['(anon)@node:internal/modules/esm/loader', 'readFile'], 4],
        [['main', 'somethingElse'], 2],
      ]),
      profileOf([[['worker', 'precompress', 'zlibBufferSync'], 6]]),
    ]);
    expect(Object.fromEntries([...ms].filter(([, t]) => t > 0))).toEqual({
      'rendering feeds, pages, archive documents': 10,
      'proving the outputs (the gate)': 20,
      'reading the catalogue and page state': 5,
      'garbage collection': 7,
      'listing the stored articles': 3,
      'loading code': 4,
      'compressing (.gz, .br)': 6,
      other: 2,
    });
    expect(formatPhases(ms)).toMatch(
      /^proving the outputs \(the gate\) 20 ms \(35 %\), rendering feeds, pages, archive documents 10 ms \(18 %\), /,
    );
  });

  it('puts a profile of unknown functions under "other", so a renamed phase shows', () => {
    // toString: a name that is also a property of every object must not be taken for a phase.
    const ms = phasesOf([
      profileOf([
        [['a', 'b'], 10],
        [['toString'], 1],
      ]),
    ]);
    expect(ms.get('other')).toBe(11);
    expect(formatPhases(new Map())).toBe('no samples');
  });

  it('still finds the phases in a real build of the current code', () => {
    // Guards the names: if src/ renames proveOutputs, its time moves to "other" and this fails.
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-prof-'));
    const r = spawnSync(
      process.execPath,
      ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`, CLI, 'build'],
      {
        cwd: p.dir,
        encoding: 'utf8',
        env: { ...process.env, FEEDKEEPER_CONFIG: '' },
      },
    );
    expect(r.status, r.stderr).toBe(0);
    const profiles = readdirSync(dir).map(
      (f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as CpuProfile,
    );
    const ms = phasesOf(profiles);
    const total = [...ms.values()].reduce((a, b) => a + b, 0);
    for (const phase of [
      // Each of these takes tens of ms even for one article (listing one file may take none).
      'loading code',
      'reading and normalizing articles',
      'rendering feeds, pages, archive documents',
      'proving the outputs (the gate)',
      'writing and fsync',
    ] as const)
      expect(ms.get(phase), `${phase} in ${formatPhases(ms)}`).toBeGreaterThan(0);
    expect(ms.get('other')! / total, formatPhases(ms)).toBeLessThan(0.25);
  });
});
