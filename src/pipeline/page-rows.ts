import {
  addDigest,
  digestText,
  groupsByMonth,
  mintedFile,
  placeOf,
  type GroupSummary,
  type PageRow,
} from './page-groups.js';
import type { SavedTable } from '../io/journaled-table.js';

/**
 * The page state's record rows as a run asks for them: the row of one record (its group read
 * on the first ask), the rows that left their place since the last save (strays), and every
 * row for the few consumers that still need them all (docs/development.md, the consumer
 * table). `read` names the groups read, so that a test counts them.
 */
export interface PageRows {
  /** The row of the record at `path`, dated `publishedAt` (where its row is filed). */
  row(path: string, publishedAt: string): PageRow | undefined;
  /** Every row (reads every group). */
  all(): ReadonlyMap<string, PageRow>;
  /** Path → page file of the rows whose file is not mintedFile(path) and not '' (few). */
  readonly held: ReadonlyMap<string, string>;
  /**
   * The rows not where `visible` (every record the pages are planned for, path → publishedAt)
   * places them: a record gone or no longer visible, or dated anew (its row filed under its
   * old date). `trusted(path)`: the record's row is known to be where its date places it, as
   * saved (its month part's key did not move): a group whose every visible row is trusted and
   * whose count of rows is theirs is not read.
   */
  strays(
    visible: ReadonlyMap<string, string>,
    trusted: (path: string) => boolean,
  ): ReadonlyMap<string, PageRow>;
  /** The names of the groups read so far. */
  readonly read: ReadonlySet<string>;
}

/** Rows held whole (a state of the layout before groups, a test's). */
export class WholeRows implements PageRows {
  readonly read = new Set<string>();
  readonly held: ReadonlyMap<string, string>;
  constructor(private readonly rows: ReadonlyMap<string, PageRow>) {
    this.held = heldOf(rows);
  }
  row(path: string): PageRow | undefined {
    return this.rows.get(path);
  }
  all(): ReadonlyMap<string, PageRow> {
    return this.rows;
  }
  strays(visible: ReadonlyMap<string, string>): ReadonlyMap<string, PageRow> {
    const out = new Map<string, PageRow>();
    for (const [path, row] of this.rows) if (!visible.has(path)) out.set(path, row);
    return out;
  }
}

export function heldOf(rows: Iterable<readonly [string, PageRow]>): Map<string, string> {
  const held = new Map<string, string>();
  for (const [path, [, file]] of rows)
    if (file !== '' && file !== mintedFile(path)) held.set(path, file);
  return held;
}

/** One group's rows as read, and where its files stood. */
export interface ReadGroup {
  readonly rows: Map<string, PageRow>;
  /** null: its files were not as the root says (read as empty; the next save writes it anew). */
  readonly saved: SavedTable | null;
}

/**
 * Rows in groups (page-state.ts): the root's summaries, and each group read on demand through
 * `load` (which throws when its files are not as the root says).
 */
export class GroupRows implements PageRows {
  readonly read = new Set<string>();
  readonly byMonth: Map<string, GroupSummary[]>;
  readonly loaded = new Map<string, ReadGroup>();

  constructor(
    readonly groups: readonly GroupSummary[],
    readonly held: ReadonlyMap<string, string>,
    private readonly load: (group: GroupSummary) => ReadGroup,
    /** Groups already read (the state a save left). */
    loaded?: ReadonlyMap<string, ReadGroup>,
  ) {
    this.byMonth = groupsByMonth(groups);
    for (const [name, g] of loaded ?? []) this.loaded.set(name, g);
  }

  /** The rows of `group`, read on the first ask. */
  rowsOf(group: GroupSummary): ReadGroup {
    let got = this.loaded.get(group.name);
    if (got === undefined) {
      got = this.load(group);
      this.loaded.set(group.name, got);
      this.read.add(group.name);
    }
    return got;
  }

  row(path: string, publishedAt: string): PageRow | undefined {
    const group = placeOf(this.byMonth, [publishedAt, path]);
    return group === undefined ? undefined : this.rowsOf(group).rows.get(path);
  }

  all(): ReadonlyMap<string, PageRow> {
    const out = new Map<string, PageRow>();
    for (const g of this.groups) for (const [path, row] of this.rowsOf(g).rows) out.set(path, row);
    return out;
  }

  strays(
    visible: ReadonlyMap<string, string>,
    trusted: (path: string) => boolean,
  ): ReadonlyMap<string, PageRow> {
    // How many visible records each group's range holds, and whether one is not trusted.
    const counts = new Map<string, number>();
    const doubt = new Set<string>();
    for (const [path, publishedAt] of visible) {
      const g = placeOf(this.byMonth, [publishedAt, path]);
      if (g === undefined) continue;
      counts.set(g.name, (counts.get(g.name) ?? 0) + 1);
      if (!trusted(path)) doubt.add(g.name);
    }
    const out = new Map<string, PageRow>();
    for (const g of this.groups) {
      // Every visible row of its range trusted, so in it; as many rows as those: no other.
      if (!this.loaded.has(g.name) && !doubt.has(g.name) && counts.get(g.name) === g.rows) continue;
      for (const [path, row] of this.rowsOf(g).rows) {
        const at = visible.get(path);
        if (at === undefined || placeOf(this.byMonth, [at, path])?.name !== g.name)
          out.set(path, row);
      }
    }
    return out;
  }

  /**
   * The groups whose rows are exactly `records`' (path → stamp) that their range holds, each
   * at its stamp (page-groups.ts digestOf): learnt without reading them.
   */
  asSaved(
    records: Iterable<readonly [path: string, publishedAt: string, stamp: string]>,
  ): Set<string> {
    const sums = new Map<string, [number, number]>();
    for (const [path, publishedAt, stamp] of records) {
      const g = placeOf(this.byMonth, [publishedAt, path]);
      if (g === undefined) continue;
      let sum = sums.get(g.name);
      if (sum === undefined) sums.set(g.name, (sum = [0, 0]));
      addDigest(sum, path, stamp);
    }
    const out = new Set<string>();
    for (const g of this.groups) {
      const sum = sums.get(g.name) ?? [0, 0];
      if (g.digest !== undefined && g.digest === digestText(sum)) out.add(g.name);
    }
    return out;
  }

  /** The group a row dated `publishedAt` is filed in (undefined: none, its month has none). */
  groupOf(path: string, publishedAt: string): string | undefined {
    return placeOf(this.byMonth, [publishedAt, path])?.name;
  }

  /** The group a row read from the files is in (undefined: in none read). */
  groupHolding(path: string): string | undefined {
    for (const [name, g] of this.loaded) if (g.rows.has(path)) return name;
    return undefined;
  }
}

/**
 * The rows a render leaves (render-pages.ts): those of `base` (the state it started from), with
 * the rows it set and without those it found gone or moved. Only `set` and `gone` are saved.
 */
export class NextRows implements PageRows {
  constructor(
    readonly base: PageRows | null,
    readonly set: ReadonlyMap<string, PageRow>,
    readonly gone: ReadonlySet<string>,
  ) {}
  get read(): ReadonlySet<string> {
    return this.base?.read ?? new Set();
  }
  row(path: string, publishedAt: string): PageRow | undefined {
    const own = this.set.get(path);
    if (own !== undefined || this.gone.has(path)) return own;
    return this.base?.row(path, publishedAt);
  }
  all(): ReadonlyMap<string, PageRow> {
    const out = new Map<string, PageRow>();
    for (const [path, row] of this.base?.all() ?? []) if (!this.gone.has(path)) out.set(path, row);
    for (const [path, row] of this.set) out.set(path, row);
    return out;
  }
  get held(): ReadonlyMap<string, string> {
    const out = new Map<string, string>();
    for (const [path, file] of this.base?.held ?? [])
      if (!this.gone.has(path) && !this.set.has(path)) out.set(path, file);
    for (const [path, file] of heldOf(this.set)) out.set(path, file);
    return out;
  }
  strays(visible: ReadonlyMap<string, string>): ReadonlyMap<string, PageRow> {
    return new WholeRows(this.all()).strays(visible);
  }
}
