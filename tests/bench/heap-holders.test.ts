import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeHeapSnapshot } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { heapHolders, type HeapSnapshot } from '../../bench/heap-holders.js';
import { CLI, makeProject, RUN_LIMIT_MS, sampleBytes } from '../helpers.js';

/** A snapshot made by hand: nodes [type, name, id, self size, edge count], edges [type, name, to]. */
function snapshot(
  nodes: readonly (readonly [string, string, number, number])[],
  edges: readonly (readonly [string, string | number, number])[][],
): HeapSnapshot {
  const nodeTypes = ['hidden', 'object', 'synthetic', 'closure', 'string'];
  const edgeTypes = ['property', 'element', 'context', 'internal', 'weak', 'shortcut', 'hidden'];
  const strings: string[] = [];
  const str = (s: string): number => {
    const i = strings.indexOf(s);
    return i >= 0 ? i : strings.push(s) - 1;
  };
  return {
    snapshot: {
      meta: {
        node_fields: ['type', 'name', 'id', 'self_size', 'edge_count'],
        node_types: [nodeTypes],
        edge_fields: ['type', 'name_or_index', 'to_node'],
        edge_types: [edgeTypes],
      },
    },
    nodes: nodes.flatMap(([type, name, id, self], i) => [
      nodeTypes.indexOf(type),
      str(name),
      id,
      self,
      edges[i]?.length ?? 0,
    ]),
    edges: edges.flatMap((list) =>
      list.flatMap(([type, name, to]) => [
        edgeTypes.indexOf(type),
        typeof name === 'number' ? name : str(name),
        to * 5,
      ]),
    ),
    strings,
  };
}

describe('heapHolders: what keeps a heap alive, by dominator', () => {
  // 0 root → 1 Store -rows→ 2 Map -[0]→ 3 (400 bytes); 0 → 4 Alpha -x→ 5, 0 → 6 Beta -y→ 5
  // (5 is shared: neither holds it alone); 0 -weak→ 7 (not live).
  const snap = snapshot(
    [
      ['synthetic', '(GC roots)', 1, 0],
      ['object', 'Store', 3, 10],
      ['object', 'Map', 5, 10],
      ['string', 'row', 7, 400],
      ['object', 'Alpha', 9, 20],
      ['object', 'Object', 11, 300],
      ['object', 'Beta', 13, 20],
      ['object', 'Lost', 15, 5000],
    ],
    [
      [
        ['element', 1, 1],
        ['element', 2, 4],
        ['element', 3, 6],
        ['weak', 4, 7],
      ],
      [['property', 'rows', 2]],
      [['internal', 0, 3]],
      [],
      [['property', 'x', 5]],
      [],
      [['property', 'y', 5]],
      [],
    ],
  );

  it('counts what is reachable but through weak edges, and names each holder by its path', () => {
    const held = heapHolders(snap, 0.1);
    expect(held.live).toBe(760);
    expect(held.holders).toEqual([
      { label: 'Store → rows (Map)', bytes: 400 },
      // Held by Alpha and Beta both: the roots hold it, not either of them.
      { label: 'object Object', bytes: 300 },
    ]);
  });

  it('counts what a node holds beyond its big parts as its own', () => {
    // 304 bytes and more: Store's 400 as before, and what the roots hold beside it (Alpha,
    // Beta and the 300 bytes they share, 340 bytes) under the roots' own label.
    expect(heapHolders(snap, 0.4).holders).toEqual([
      { label: 'Store → rows (Map)', bytes: 400 },
      {
        label:
          'pieces under 40 % each, held from the roots (the code loaded, and objects several holders share)',
        bytes: 340,
      },
    ]);
  });

  it('finds, in a real heap, the class instance that keeps 8 MB of strings', () => {
    class Hoard {
      readonly lines = Array.from({ length: 80_000 }, (_, i) => `line ${i} `.padEnd(100, 'x'));
    }
    const kept = new Hoard();
    const dir = mkdtempSync(join(tmpdir(), 'heap-holders-'));
    try {
      const file = writeHeapSnapshot(join(dir, 'test.heapsnapshot'));
      const held = heapHolders(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot, 0.01);
      const hoard = held.holders.find((h) => h.label.includes('Hoard'));
      expect(hoard?.label).toBe('Hoard → lines (Array)');
      expect(hoard?.bytes).toBeGreaterThan(8_000_000);
      expect(held.live).toBeGreaterThan(hoard?.bytes ?? 0);
    } finally {
      rmSync(dir, { recursive: true });
    }
    expect(kept.lines).toHaveLength(80_000);
  });
});

describe('FEEDKEEPER_HEAP_SNAPSHOT: the main thread’s heap, once a run has proven its outputs', () => {
  it('is written by a run that publishes, not by one with nothing to publish', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    const file = join(p.dir, 'main.heapsnapshot');
    const build = (): number | null =>
      spawnSync(process.execPath, [CLI, 'build'], {
        cwd: p.dir,
        encoding: 'utf8',
        env: { ...process.env, FEEDKEEPER_CONFIG: '', FEEDKEEPER_HEAP_SNAPSHOT: file },
        timeout: RUN_LIMIT_MS,
      }).status;
    expect(build()).toBe(0);
    const held = heapHolders(JSON.parse(readFileSync(file, 'utf8')) as HeapSnapshot, 0.01);
    expect(held.live).toBeGreaterThan(1_000_000);
    expect(held.holders.length).toBeGreaterThan(0);
    rmSync(file);
    expect(build()).toBe(0);
    expect(existsSync(file)).toBe(false);
  });
});

describe('heapHolders names what it cannot name by a path', () => {
  it('by its type and the start of its text, on one line', () => {
    const source = `function (exports, require) {\n${'  const x = 1;\n'.repeat(1000)}}`;
    const held = heapHolders(
      snapshot(
        [
          ['synthetic', '(GC roots)', 1, 0],
          ['string', source, 3, 9000],
        ],
        [[['element', 0, 1]], []],
      ),
      0.5,
    );
    expect(held.holders).toEqual([
      { label: 'string function (exports, require) { const x = …', bytes: 9000 },
    ]);
  });
});

describe('heapHolders on a deep heap', () => {
  it('walks a dominator chain far deeper than the call stack allows', () => {
    // 0 → 1 → 2 → … → 50,000: each link holds the rest of the chain.
    const n = 50_000;
    const nodes: [string, string, number, number][] = [['synthetic', '(GC roots)', 1, 0]];
    const edges: [string, string | number, number][][] = [[['element', 0, 1]]];
    for (let i = 1; i <= n; i++) {
      nodes.push(['object', 'Link', 2 * i + 1, 10]);
      edges.push(i < n ? [['property', 'next', i + 1]] : []);
    }
    const held = heapHolders(snapshot(nodes, edges), 0.5);
    expect(held.live).toBe(10 * n);
    // The frontier at half the heap: the link that holds 250,000 bytes (its next holds less).
    expect(held.holders).toEqual([{ label: 'Link', bytes: 250_000 }]);
  });
});
