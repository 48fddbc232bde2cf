/**
 * Keys in use (the records' slugs, or their ids → record path), for a run that mints: answered
 * by a pass over the records while the run asks few questions, and from a map built once it
 * asks more. One new article among 100,000 asks two or three; building a set of every slug and
 * a map of every id for them cost 0.2 s of CPU and its garbage. Keys set during the run come
 * first; among the records, the last one with a key wins, as in a map built in their order.
 */
export class KeysInUse<V> {
  private built: Map<string, V> | null = null;
  private asked = 0;
  private readonly added = new Map<string, V>();

  constructor(
    /** The records' keys and values, as they are now. */
    private readonly all: () => Iterable<readonly [string, V]>,
    /** Asked more often than this, the map is built. */
    private readonly passes = 16,
  ) {}

  get(key: string): V | undefined {
    const mine = this.added.get(key);
    if (mine !== undefined) return mine;
    if (this.built === null && ++this.asked > this.passes) {
      this.built = new Map();
      for (const [k, v] of this.all()) this.built.set(k, v);
    }
    if (this.built !== null) return this.built.get(key);
    let found: V | undefined;
    for (const [k, v] of this.all()) if (k === key) found = v;
    return found;
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  set(key: string, value: V): void {
    this.added.set(key, value);
  }
}
