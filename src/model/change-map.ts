/**
 * A Map that remembers the keys set or deleted since its rows were read: the rows the next save
 * appends to the journal, so that a run's catalogue writes follow its changes (the speed issue).
 */
export class ChangeMap<K, V> extends Map<K, V> {
  readonly changed = new Set<K>();

  override set(key: K, value: V): this {
    // The Map constructor calls set() before this class's fields exist.
    (this.changed as Set<K> | undefined)?.add(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.changed.add(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of this.keys()) this.changed.add(key);
    super.clear();
  }

  /**
   * Set a row read from the files: not a change. Counting 100,000 rows as changes while a table
   * is read, to forget them at once, cost a third of a second.
   */
  put(key: K, value: V): this {
    return super.set(key, value);
  }

  /** Rows read from the files are not changes. */
  settle(): void {
    this.changed.clear();
  }
}

/** The keys set or deleted since the map's rows were read; null: unknown (a plain Map). */
export const changedKeys = <K, V>(map: ReadonlyMap<K, V>): ReadonlySet<K> | null =>
  map instanceof ChangeMap ? (map.changed as Set<K>) : null;

export const settle = <K, V>(map: Map<K, V>): void => {
  if (map instanceof ChangeMap) map.settle();
};

/** Set a row read from the files (not a change, when `map` tracks changes). */
export const putRead = <K, V>(map: Map<K, V>, key: K, value: V): void => {
  if (map instanceof ChangeMap) map.put(key, value);
  else map.set(key, value);
};
