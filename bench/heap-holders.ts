/**
 * What holds a heap: the live objects of a V8 heap snapshot (`v8.writeHeapSnapshot`, the
 * format Chrome DevTools reads) grouped by what keeps them alive, so that the bench can say
 * why a run's memory misses its target (issue 15), not only by how much.
 *
 * An object's retained size is what would be freed with it: itself and everything only it
 * leads to, i.e. its subtree in the dominator tree (x dominates y when every path from the
 * roots to y passes x). The holders reported are the dominator tree's frontier at `minShare` of
 * the live heap: the objects retaining at least that much whose own parts are each smaller, named by the
 * properties, variables and classes on their dominator path ("KeyIndex",
 * "expected → items (Map)"). What a node retains beyond the holders below it (many pieces
 * under the threshold each, e.g. strings that several tables share, so that none of them
 * dominates them) counts as its own, under its own label.
 */

/** The parts of the `.heapsnapshot` JSON this reads. */
export interface HeapSnapshot {
  readonly snapshot: {
    readonly meta: {
      readonly node_fields: readonly string[];
      readonly node_types: readonly unknown[];
      readonly edge_fields: readonly string[];
      readonly edge_types: readonly unknown[];
    };
  };
  readonly nodes: readonly number[];
  readonly edges: readonly number[];
  readonly strings: readonly string[];
}

export interface Holder {
  readonly label: string;
  readonly bytes: number;
}

export interface HeapHolders {
  /** Every object reachable from the roots (weak references not followed). */
  readonly live: number;
  /** Largest first. */
  readonly holders: readonly Holder[];
}

/** Containers whose class says nothing of what they hold: named by what reaches them. */
const GENERIC = new Set(['Object', 'Array', 'Map', 'Set', 'Promise', 'Generator', 'WeakMap']);
const COLLECTIONS = new Set(['Map', 'Set', 'Array']);

export function heapHolders(snap: HeapSnapshot, minShare: number): HeapHolders {
  const { meta } = snap.snapshot;
  const NF = meta.node_fields.length;
  const EF = meta.edge_fields.length;
  const nType = meta.node_fields.indexOf('type');
  const nName = meta.node_fields.indexOf('name');
  const nSelf = meta.node_fields.indexOf('self_size');
  const nEdges = meta.node_fields.indexOf('edge_count');
  const eType = meta.edge_fields.indexOf('type');
  const eName = meta.edge_fields.indexOf('name_or_index');
  const eTo = meta.edge_fields.indexOf('to_node');
  const nodeTypes = meta.node_types[nType] as readonly string[];
  const edgeTypes = meta.edge_types[eType] as readonly string[];
  const { nodes, edges, strings } = snap;
  const N = nodes.length / NF;
  const at = (xs: readonly number[], i: number): number => xs[i] ?? 0;

  const first = new Uint32Array(N + 1);
  for (let v = 0, e = 0; v < N; v++) {
    first[v] = e;
    e += at(nodes, v * NF + nEdges) * EF;
    first[v + 1] = e;
  }
  const WEAK = edgeTypes.indexOf('weak');
  const SHORTCUT = edgeTypes.indexOf('shortcut');
  const followed = (e: number): boolean => {
    const t = at(edges, e + eType);
    return t !== WEAK && t !== SHORTCUT;
  };
  const target = (e: number): number => at(edges, e + eTo) / NF;

  // Depth-first postorder from the root (node 0), without recursion: snapshots are deep.
  const order = new Int32Array(N).fill(-1);
  const post = new Uint32Array(N);
  let count = 0;
  const stack = [0];
  const next = [first[0] ?? 0];
  order[0] = -2;
  while (stack.length > 0) {
    const v = stack[stack.length - 1] ?? 0;
    let e = next[next.length - 1] ?? 0;
    let descended = false;
    for (; e < (first[v + 1] ?? 0); e += EF) {
      if (!followed(e)) continue;
      const w = target(e);
      if (order[w] !== -1) continue;
      order[w] = -2;
      next[next.length - 1] = e + EF;
      stack.push(w);
      next.push(first[w] ?? 0);
      descended = true;
      break;
    }
    if (descended) continue;
    stack.pop();
    next.pop();
    order[v] = count;
    post[count++] = v;
  }

  // Predecessors of each reachable node, then the dominators (Cooper, Harvey and Kennedy's
  // iterative algorithm over reverse postorder: a few passes on a heap's shape).
  const predStart = new Uint32Array(N + 1);
  for (let v = 0; v < N; v++)
    if ((order[v] ?? -1) >= 0)
      for (let e = first[v] ?? 0; e < (first[v + 1] ?? 0); e += EF)
        if (followed(e)) {
          const w = target(e) + 1;
          predStart[w] = (predStart[w] ?? 0) + 1;
        }
  for (let v = 0; v < N; v++) predStart[v + 1] = (predStart[v + 1] ?? 0) + (predStart[v] ?? 0);
  const preds = new Uint32Array(predStart[N] ?? 0);
  const fill = predStart.slice();
  for (let v = 0; v < N; v++)
    if ((order[v] ?? -1) >= 0)
      for (let e = first[v] ?? 0; e < (first[v + 1] ?? 0); e += EF)
        if (followed(e)) {
          const w = target(e);
          const slot = fill[w] ?? 0;
          fill[w] = slot + 1;
          preds[slot] = v;
        }
  const idom = new Int32Array(N).fill(-1);
  idom[0] = 0;
  const rank = (v: number): number => order[v] ?? 0;
  const dom = (v: number): number => idom[v] ?? 0;
  const meet = (a: number, b: number): number => {
    while (a !== b) {
      while (rank(a) < rank(b)) a = dom(a);
      while (rank(b) < rank(a)) b = dom(b);
    }
    return a;
  };
  for (let changed = true; changed;) {
    changed = false;
    for (let k = count - 1; k >= 0; k--) {
      const v = post[k] ?? 0;
      if (v === 0) continue;
      let d = -1;
      for (let p = predStart[v] ?? 0; p < (predStart[v + 1] ?? 0); p++) {
        const u = preds[p] ?? 0;
        if (idom[u] === -1) continue;
        d = d === -1 ? u : meet(u, d);
      }
      if (d !== -1 && idom[v] !== d) {
        idom[v] = d;
        changed = true;
      }
    }
  }

  const retained = new Float64Array(N);
  const kids: number[][] = [];
  let live = 0;
  for (let k = 0; k < count; k++) {
    const v = post[k] ?? 0;
    const self = at(nodes, v * NF + nSelf);
    live += self;
    retained[v] = (retained[v] ?? 0) + self;
    if (v === 0) continue;
    const d = dom(v);
    retained[d] = (retained[d] ?? 0) + (retained[v] ?? 0);
    (kids[d] ??= []).push(v);
  }

  const typeOf = (v: number): string => nodeTypes[at(nodes, v * NF + nType)] ?? '';
  const nameOf = (v: number): string => strings[at(nodes, v * NF + nName)] ?? '';
  const specific = (v: number): boolean =>
    typeOf(v) === 'object' && /^[A-Z][A-Za-z0-9]*$/.test(nameOf(v)) && !GENERIC.has(nameOf(v));
  /** The name of the property or variable through which `from` holds `v`, if one does. */
  const named = (from: number, v: number): string | null => {
    for (let e = first[from] ?? 0; e < (first[from + 1] ?? 0); e += EF) {
      if (target(e) !== v) continue;
      const t = edgeTypes[at(edges, e + eType)];
      if (t === 'property' || t === 'context') return strings[at(edges, e + eName)] ?? null;
    }
    return null;
  };
  /** What a node reached through no property or variable is, in words. */
  const unnamed = (v: number): string => {
    const [type, name] = [typeOf(v), nameOf(v)];
    if (type === 'synthetic')
      return `pieces under ${minShare * 100} % each, held from the roots (the code loaded, and objects several holders share)`;
    if (name === 'Generator') return "a running async function's variables";
    if (name === 'system / Context') return "a function's variables";
    // A string's name is its text (a module's whole source, say): its start is enough.
    const text = name.replace(/\s+/g, ' ');
    return `${type} ${text.length > 40 ? `${text.slice(0, 40)}…` : text}`.trim();
  };
  const labelOf = (path: readonly number[]): string => {
    const parts: string[] = [];
    let collection: string | null = null;
    for (let i = 1; i < path.length; i++) {
      const v = path[i] ?? 0;
      // A function's variables are reached through the function: name the variable, not it.
      const part =
        typeOf(v) === 'closure' ? null : specific(v) ? nameOf(v) : named(path[i - 1] ?? 0, v);
      if (part !== null && parts[parts.length - 1] !== part) parts.push(part);
      if (typeOf(v) === 'object' && COLLECTIONS.has(nameOf(v))) collection = nameOf(v);
    }
    const shown = parts.slice(-3).join(' → ') || unnamed(path[path.length - 1] ?? 0);
    return collection === null ? shown : `${shown} (${collection})`;
  };

  const min = minShare * live;
  /** The dominators from the root down to `v`: the path its label is read from. */
  const pathTo = (v: number): number[] => {
    const path = [v];
    for (let u = v; u !== 0; u = dom(u)) path.push(dom(u));
    return path.reverse();
  };
  const holders: Holder[] = [];
  // Without recursion: a linked list or a promise chain is a dominator chain thousands deep.
  const todo = [0];
  while (todo.length > 0) {
    const v = todo.pop() ?? 0;
    const big = (kids[v] ?? []).filter((w) => (retained[w] ?? 0) >= min);
    let rest = retained[v] ?? 0;
    for (const w of big) {
      rest -= retained[w] ?? 0;
      todo.push(w);
    }
    if (big.length === 0 || rest >= min) holders.push({ label: labelOf(pathTo(v)), bytes: rest });
  }
  // A holder's own pieces and a big part of it share its label: one line.
  const byLabel = new Map<string, number>();
  for (const h of holders) byLabel.set(h.label, (byLabel.get(h.label) ?? 0) + h.bytes);
  return {
    live,
    holders: [...byLabel]
      .map(([label, bytes]) => ({ label, bytes }))
      .sort((a, b) => b.bytes - a.bytes),
  };
}
