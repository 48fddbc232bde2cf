import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { recordEntryOf, type Catalogue } from '../archive/catalogue.js';
import { keyIndexOf } from '../archive/key-index.js';
import { markDirty, newGeneration, type CatalogueFiles } from '../archive/catalogue-file.js';
import { readRecord } from '../archive/read-record.js';
import { slugOfRecordPath } from '../archive/record-path.js';
import { serializeRecord } from '../archive/serialize-record.js';
import { WritePool } from '../io/write-pool.js';
import type { ArchiveRecord } from '../model/record.js';
import { markPublishPending } from './publish-state.js';

/**
 * The catalogue said something the records contradict: a record it does not know at a path it
 * would mint, or another record than it says at a path it would revise. Nothing was written
 * over it; the run starts again from a catalogue rebuilt from the records (archive-articles.ts).
 */
export class StaleCatalogueError extends Error {
  /** Records written before it was found (each checked like this one), relative to the root. */
  written: string[] = [];
}

/**
 * The records as one run reads and writes them, with the catalogue kept in step: writes go
 * through the write pool (a worker thread on big runs); the first one marks the catalogue dirty
 * and the feeds pending, and gives the records folder a new generation (catalogue-file.ts), so
 * a run killed half-way is finished by the next and no other state folder believes its
 * catalogue any more. A dry run writes nothing and keeps what it would have written in memory.
 *
 * Every write is checked against the file it replaces: a new record never lands on a file that
 * is there, a revised one only on the record of the same id.
 */
export class RecordStore {
  /** A dry run's records, by path (a real run keeps no record body in memory). */
  readonly fresh = new Map<string, ArchiveRecord>();
  /** Slugs in use, or reserved by a corrupt record: a new record never takes one. */
  readonly slugs: { has(slug: string): boolean };
  /** The record holding each id (a live one first): a new record never takes one (apply-plan.ts). */
  readonly ids: { get(id: string): string | undefined; has(id: string): boolean };
  /** Whether the catalogue's index rows changed. */
  changed = false;
  private readonly pool: WritePool;
  /** Whether this run's first write happened: the catalogue is dirty, the generation new. */
  marked = false;

  constructor(
    private readonly cat: Catalogue,
    private readonly where: {
      readonly records: string;
      readonly state: string;
      readonly files: CatalogueFiles;
      readonly root: string;
    },
    private readonly dryRun: boolean,
    expectedWrites: number,
    /** The catalogue was rebuilt from the records in this run: what it says is what is there. */
    private readonly rebuilt: boolean,
  ) {
    this.pool = new WritePool(expectedWrites);
    // Asked of the records' index by key (archive/key-index.ts), kept in step with every row
    // set in this run: one new article among 100,000 reads a bucket or two of it, where a set
    // of every slug and a map of every id were built from all the rows.
    const reserved = new Set([...cat.corrupt.keys()].map((path) => slugOfRecordPath(path)));
    const holders = (kind: 'slug' | 'id', key: string): readonly string[] =>
      keyIndexOf(cat.records).holders(kind, key);
    this.slugs = { has: (slug) => reserved.has(slug) || holders('slug', slug).length > 0 };
    const holder = (id: string): string | undefined => {
      const paths = holders('id', id);
      return paths.find((p) => cat.records.get(p)?.withdrawn === false) ?? paths[0];
    };
    this.ids = { get: holder, has: (id) => holder(id) !== undefined };
  }

  async save(rel: string, record: ArchiveRecord, fingerprint: string): Promise<void> {
    if (!this.dryRun) {
      // Before the first record changes: the catalogue and the feeds are behind until the end.
      if (!this.marked) {
        markDirty(this.where.files);
        markPublishPending(this.where.state);
        this.cat.generation = newGeneration(this.where.files);
        this.marked = true;
      }
      await this.pool.write(join(this.where.records, rel), serializeRecord(record));
    } else this.fresh.set(rel, record);
    // Its slug and id are in use from now on: the index follows the rows.
    this.cat.records.set(rel, recordEntryOf(record, fingerprint));
    this.changed = true;
  }

  /**
   * Whether a new record may not go to `rel` (its slug is free in the catalogue): a file is
   * there. One the catalogue does not know means it is stale (unless it was just rebuilt: then
   * another process wrote it during this run, and the new record takes another slug).
   */
  occupied(rel: string): boolean {
    if (this.fresh.has(rel) || this.cat.records.has(rel) || this.cat.corrupt.has(rel)) return true;
    if (!existsSync(join(this.where.records, rel))) return false;
    if (this.rebuilt) return true;
    throw new StaleCatalogueError(
      `a record the catalogue does not know is at ${relative(this.where.root, join(this.where.records, rel))}`,
    );
  }

  /**
   * The record, or null if it cannot be read (then it is in `catalogue.corrupt`, reported).
   * Throws StaleCatalogueError if the file holds another record than the catalogue says.
   */
  async load(rel: string): Promise<ArchiveRecord | null> {
    const saved = this.fresh.get(rel); // a dry run's record saved earlier in this run
    if (saved) return saved;
    await this.pool.settled(join(this.where.records, rel)); // saved earlier in this run
    const read = readRecord(this.where.records, rel, this.where.root);
    const known = this.cat.records.get(rel);
    if ('record' in read && known !== undefined && known.id !== read.record.id)
      throw new StaleCatalogueError(
        `${relative(this.where.root, join(this.where.records, rel))} holds ${read.record.id}, not ${known.id} as the catalogue says`,
      );
    this.changed ||= this.cat.corrupt.delete(rel) || 'issue' in read;
    if ('record' in read) return read.record;
    this.cat.corrupt.set(rel, read.issue);
    return null;
  }

  /** Wait for every write; the files written, relative to the working directory. */
  async drain(): Promise<string[]> {
    await this.pool.drain();
    return this.pool.written.map((abs) => relative(this.where.root, abs));
  }
}
