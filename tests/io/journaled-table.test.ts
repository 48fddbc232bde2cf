import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendJournal, readJournal } from '../../src/io/journal.js';
import {
  readTable,
  saveTable,
  type SavedTable,
  type TablePaths,
} from '../../src/io/journaled-table.js';
import { ChangeMap } from '../../src/model/change-map.js';

type Row = [key: string, value: number];

function table(): TablePaths {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-table-'));
  return { snapshot: join(dir, 't.json'), journal: join(dir, 't.journal') };
}

function rowsOf(n: number): ChangeMap<string, number> {
  const m = new ChangeMap<string, number>();
  for (let i = 0; i < n; i++) m.set(`key-${i}`, i);
  return m;
}

function save(
  paths: TablePaths,
  saved: SavedTable | null,
  rows: ChangeMap<string, number>,
  state: Record<string, unknown> = { note: 'x' },
): { saved: SavedTable; wrote: string[] } {
  const wrote: string[] = [];
  const next = saveTable<number, Row>(paths, saved, state, rows, (k, v) => [k, v], wrote);
  rows.settle();
  return { saved: next, wrote };
}

function read(paths: TablePaths): { rows: Map<string, number>; state: Record<string, unknown> } {
  const rows = new Map<string, number>();
  const { state } = readTable<Record<string, unknown>, Row>(
    paths,
    ([k, v]) => rows.set(k, v),
    (k) => rows.delete(k),
  );
  return { rows, state };
}

describe('a journaled table', () => {
  it('a save of one changed row appends one line; reading gives the table as saved', () => {
    const paths = table();
    const rows = rowsOf(2000);
    let { saved } = save(paths, null, rows);
    const snapshotBytes = statSync(paths.snapshot).size;
    rows.set('key-5', 500);
    rows.delete('key-6');
    rows.set('new', 1);
    const second = save(paths, saved, rows, { note: 'y' });
    saved = second.saved;
    expect(second.wrote).toEqual([paths.journal]);
    // The snapshot was not touched; the journal holds the three changes only.
    expect(statSync(paths.snapshot).size).toBe(snapshotBytes);
    expect(readJournal(paths.journal).lines).toHaveLength(1);
    expect(statSync(paths.journal).size).toBeLessThan(200);
    const back = read(paths);
    expect(back.rows).toEqual(new Map(rows));
    expect(back.state.note).toBe('y');
  });

  it('a torn last line (a killed append) is not part of it, and the next append cuts it off', () => {
    const paths = table();
    const rows = rowsOf(2000);
    let { saved } = save(paths, null, rows);
    rows.set('key-1', -1);
    saved = save(paths, saved, rows).saved;
    writeFileSync(paths.journal, `${readFileSync(paths.journal, 'utf8')}{"snapshot":"x","ro`);
    expect(read(paths).rows.get('key-1')).toBe(-1);
    rows.set('key-2', -2);
    save(paths, saved, rows);
    const text = readFileSync(paths.journal, 'utf8');
    expect(text).not.toContain('"ro{');
    expect(text.endsWith('\n')).toBe(true);
    expect(read(paths).rows).toEqual(new Map(rows));
  });

  it('lines of an older snapshot (killed between a new snapshot and the journal removal) are not applied', () => {
    const paths = table();
    const rows = rowsOf(100);
    const { saved } = save(paths, null, rows);
    rows.set('key-1', -1);
    save(paths, saved, rows);
    const oldJournal = `${paths.journal}.old`;
    copyFileSync(paths.journal, oldJournal);
    rows.set('key-1', 1);
    save(paths, null, rows); // a new snapshot: the journal is removed
    expect(existsSync(paths.journal)).toBe(false);
    copyFileSync(oldJournal, paths.journal);
    expect(read(paths).rows.get('key-1')).toBe(1);
  });

  it('a journal grown past a quarter of its snapshot is folded into a new snapshot', () => {
    const paths = table();
    const rows = rowsOf(4000);
    let { saved } = save(paths, null, rows);
    const snapshotBytes = statSync(paths.snapshot).size;
    let snapshots = 0;
    let appended = 0;
    for (let i = 0; i < 4000; i += 50) {
      for (let j = i; j < i + 50; j++) rows.set(`key-${j}`, -j - 1);
      const r = save(paths, saved, rows);
      saved = r.saved;
      if (r.wrote.includes(paths.snapshot)) snapshots++;
      else appended++;
      expect(statSync(paths.journal, { throwIfNoEntry: false })?.size ?? 0).toBeLessThanOrEqual(
        Math.max(16 * 1024, statSync(paths.snapshot).size / 4),
      );
    }
    expect(snapshots).toBeGreaterThan(0);
    expect(appended).toBeGreaterThan(snapshots);
    expect(read(paths).rows).toEqual(new Map(rows));
    expect(snapshotBytes).toBeGreaterThan(16 * 1024);
  });

  it('a plain Map (changes unknown) is saved as a whole snapshot', () => {
    const paths = table();
    const rows = rowsOf(100);
    const { saved } = save(paths, null, rows);
    const wrote: string[] = [];
    saveTable<number, Row>(paths, saved, {}, new Map(rows), (k, v) => [k, v], wrote);
    expect(wrote).toEqual([paths.snapshot]);
  });

  it('an append refuses a journal that changed since it was read', () => {
    const paths = table();
    writeFileSync(paths.journal, '{"a":1}\n{"b":2}\n');
    expect(appendJournal(paths.journal, '{"c":3}', 8)).toBe(false);
    expect(appendJournal(paths.journal, '{"c":3}', 16)).toBe(true);
    expect(readJournal(paths.journal).lines).toEqual(['{"a":1}', '{"b":2}', '{"c":3}']);
  });
});
