/**
 * A Map that remembers the keys set or deleted since its rows were read: the rows the next save
 * appends to the journal, so that a run's catalogue writes follow its changes (the speed issue).
 */
export class ChangeMap<K, V> extends Map<K, V> {
  readonly changed = new Set<K>();
  /**
   * The value each changed key had when it was first changed since the rows were read
   * (undefined: it had none): where a save finds the row it must take out of the file that
   * held it (the records' month chunks, archive/record-chunks.ts).
   */
  readonly before = new Map<K, V | undefined>();

  private noteChange(key: K): void {
    // The Map constructor calls set() before this class's fields exist (a method, not a
    // #private one: those are not there yet either).
    const changed = this.changed as Set<K> | undefined;
    if (changed === undefined || changed.has(key)) return;
    changed.add(key);
    this.before.set(key, super.get(key));
  }

  override set(key: K, value: V): this {
    this.noteChange(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.noteChange(key);
    return super.delete(key);
  }

  override clear(): void {
    for (const key of this.keys()) this.noteChange(key);
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
    this.before.clear();
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
