import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { allRows, chunksOfRows } from '../../src/archive/record-view.js';
import { byKey } from '../../src/archive/record-chunks.js';
import { recordRow as row } from './table-rows.js';

describe('chunksOfRows', () => {
  const rows: [string, RecordEntry][] = [];
  for (let i = 0; i < 450; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    const month = i < 300 ? '11' : '12';
    rows.push([`2026/${month}/r${i}.json`, row(`2026-${month}-${day}T10:00:00Z`, `id-${i}`)]);
  }

  it('cuts the rows as a save would, and reads a chunk only when asked', () => {
    const view = chunksOfRows(rows, 100);
    expect(view.chunks.length).toBeGreaterThan(2);
    expect(view.chunks.every((c) => c.rows <= 100)).toBe(true);
    expect(view.read.size).toBe(0);
    const first = view.chunks[0]!;
    expect(view.rows(first).length).toBe(first.rows);
    expect([...view.read]).toEqual([first.name]);
  });

  it('gives back every row, in order, through allRows', () => {
    const view = chunksOfRows(rows, 100);
    const all = [...allRows(view)];
    expect(all.map(([p]) => p)).toEqual([...rows].sort(byKey).map(([p]) => p));
    expect(view.read.size).toBe(view.chunks.length);
  });

  it('refuses a chunk it does not hold', () => {
    const view = chunksOfRows(rows, 100);
    expect(() => view.rows({ ...view.chunks[0]!, name: 'nope' })).toThrow(/no chunk nope/);
  });
});
