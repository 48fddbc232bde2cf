import type { SavedTable } from '../io/journaled-table.js';
import type { RecordEntry, StoredChunk } from './catalogue.js';
import { compareKeys, type SortKey } from './record-chunks.js';

/**
 * The records table's chunks as its root names them, read one at a time when a row is asked
 * for (key-index.ts, RecordRows): the archive stage of a run that changes a few articles reads
 * the chunks of the rows it looks at, not the whole table (issue 15; docs/development.md,
 * "twentieth session, lazyrows"). `read` is the caller's (catalogue-file.ts: a chunk's files,
 * trusted only at the stamp the root names).
 */
export type ChunkReader = (
  chunk: StoredChunk,
) => { readonly entries: readonly [string, RecordEntry][]; readonly saved: SavedTable } | null;

/** A chunk could not be read as the root names it: the caller rebuilds the catalogue. */
export class RecordsUnreadableError extends Error {
  /** The files the run wrote before (pipeline/archive-articles.ts reports them). */
  written: string[] = [];
}

export class RowsOnDemand {
  /** The chunks, in order (compareKeys of their first keys). */
  #chunks: readonly StoredChunk[];
  /** The chunks whose rows are in the map, with the rows and files as read (a save reuses them). */
  readonly #loaded = new Map<string, ChunkRead | null>();
  /** How many chunk reads, and which chunks (for the tests and the figures). */
  chunksRead = 0;
  readonly read = new Set<string>();
  /** How many times every chunk had to be read (the map was iterated, or a path not found). */
  wholeLoads = 0;

  constructor(
    chunks: readonly StoredChunk[],
    private readonly reader: ChunkReader,
  ) {
    this.#chunks = [...chunks].sort((a, b) => compareKeys(a.first, b.first));
  }

  get chunks(): readonly StoredChunk[] {
    return this.#chunks;
  }

  /** Whether every chunk's rows are in the map. */
  get whole(): boolean {
    return this.#loaded.size === this.#chunks.length;
  }

  isLoaded(name: string): boolean {
    return this.#loaded.has(name);
  }

  /** The chunk whose range holds `key`, if any (its first key at or before it, its last after). */
  locate(key: SortKey): StoredChunk | undefined {
    let lo = 0;
    let hi = this.#chunks.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(this.#chunks[mid]!.first, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    const chunk = this.#chunks[lo - 1];
    return chunk !== undefined && compareKeys(key, chunk.last) <= 0 ? chunk : undefined;
  }

  /**
   * Read `chunk` (once): its rows in order. `keep`: hold them and its files' state for the
   * save (a chunk read to find a row, which the run is about to change); not for a whole load.
   */
  load(chunk: StoredChunk, keep: boolean): readonly [string, RecordEntry][] {
    const got = this.#readCounted(chunk);
    this.#loaded.set(chunk.name, keep ? got : null);
    return got.entries;
  }

  /**
   * `chunk`'s rows as its files hold them, read again without changing what the map holds (a
   * chunk read whole, or written, keeps no copy of its rows): counted as a read.
   */
  reread(chunk: StoredChunk): readonly [string, RecordEntry][] {
    return this.#readCounted(chunk).entries;
  }

  /** `chunk` read from its files and counted; one not as records.json names it is refused. */
  #readCounted(chunk: StoredChunk): NonNullable<ReturnType<typeof this.reader>> {
    const got = this.reader(chunk);
    if (got === null)
      throw new RecordsUnreadableError(
        `the catalogue's records chunk ${chunk.name} could not be read as records.json says`,
      );
    this.chunksRead++;
    this.read.add(chunk.name);
    return got;
  }

  /** The chunks not read yet, in order. */
  unread(): StoredChunk[] {
    return this.#chunks.filter((c) => !this.#loaded.has(c.name));
  }

  /** A chunk read for a row, as its files held it (for the save: record-chunks.ts planChunks). */
  kept(name: string): ChunkRead | undefined {
    return this.#loaded.get(name) ?? undefined;
  }

  /**
   * After a save: the chunks as the root now names them. The chunks written hold rows that are
   * all in the map now (the caller puts them), the others are as they were.
   */
  saved(chunks: readonly StoredChunk[], written: ReadonlySet<string>): void {
    const names = new Set(chunks.map((c) => c.name));
    for (const name of [...this.#loaded.keys()])
      if (!names.has(name) || written.has(name)) this.#loaded.delete(name);
    for (const name of written) if (names.has(name)) this.#loaded.set(name, null);
    this.#chunks = [...chunks].sort((a, b) => compareKeys(a.first, b.first));
  }
}

interface ChunkRead {
  readonly entries: readonly [string, RecordEntry][];
  readonly saved: SavedTable;
}
