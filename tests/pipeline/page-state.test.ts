import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadPageState,
  pageStateFile,
  savePageState,
  type PageRow,
  type PageState,
} from '../../src/pipeline/page-state.js';

function state(n: number): PageState {
  const records = new Map<string, PageRow>();
  for (let i = 0; i < n; i++)
    records.set(`2026/11/stire-${i}.json`, [
      `2026-11-25T08:00:00Z||${i}|2026-11-25T08:00:00Z`,
      `articles/stire-${i}.html`,
    ]);
  // One key per part of 100 records: one more record moves the newest part's key alone.
  const parts = new Map<string, string>();
  for (let k = 0; k * 100 < n; k++)
    parts.set(k === 0 ? '2026/11' : `2026/11/${k + 1}`, `key-${Math.min(100, n - k * 100)}`);
  return { fingerprint: 'f1', records, parts, months: ['2026/11'], folders: { '.': '1:2' } };
}

const without = (s: PageState | null): Omit<PageState, 'saved'> | null => {
  if (s === null) return null;
  const rest: PageState = { ...s };
  delete (rest as { saved?: unknown }).saved;
  return rest;
};

describe('the page state (pipeline/page-state.ts) is a journaled table', () => {
  it('loads back what was saved; a run that adds one record appends one line; no change writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    expect(savePageState(dir, state(5000), null)).toEqual([pageStateFile(dir)]);
    const snapshot = statSync(pageStateFile(dir)).size;
    const before = loadPageState(dir);
    expect(without(before)).toEqual(state(5000));

    const next = state(5001);
    const wrote = savePageState(dir, next, before);
    expect(wrote).toEqual([join(dir, 'pages.journal')]);
    expect(statSync(pageStateFile(dir)).size).toBe(snapshot);
    expect(statSync(join(dir, 'pages.journal')).size).toBeLessThan(1024);
    const after = loadPageState(dir);
    expect(without(after)).toEqual(next);

    expect(savePageState(dir, next, after)).toEqual([]);
    // A header field alone (the folders' stamps) is a change too.
    expect(savePageState(dir, { ...next, folders: { '.': '1:3' } }, after)).toEqual([
      join(dir, 'pages.journal'),
    ]);
    expect(loadPageState(dir)?.folders).toEqual({ '.': '1:3' });
  });

  it('a record gone from the state is gone after loading; an unreadable state is null', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(3), null);
    const before = loadPageState(dir);
    const kept = new Map(state(3).records);
    kept.delete('2026/11/stire-1.json');
    savePageState(dir, { ...state(3), records: kept }, before);
    expect([...(loadPageState(dir)?.records.keys() ?? [])]).toEqual([
      '2026/11/stire-0.json',
      '2026/11/stire-2.json',
    ]);
    const empty = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    expect(existsSync(pageStateFile(empty))).toBe(false);
    expect(loadPageState(empty)).toBeNull();
  });

  it('rows saved with list entries (before 2026-11-30) load without them, and the next save drops them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(200), null);
    const fresh = statSync(pageStateFile(dir)).size;
    const entry = {
      id: 'x',
      title: 'Știrea',
      url: 'u',
      publishedAt: 'p',
      summary: 's',
      language: 'ro',
    };
    const file = pageStateFile(dir);
    // The old shape: a fourth item on every record's row.
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace(
        /("articles\/stire-\d+\.html")\]/g,
        `$1,${JSON.stringify(entry)}]`,
      ),
    );
    const big = statSync(file).size;
    const before = loadPageState(dir);
    expect(without(before)).toEqual(state(200));
    expect(before?.saved).toBeUndefined();
    expect(savePageState(dir, state(200), before)).toEqual([file]);
    expect(big).toBeGreaterThan(fresh);
    expect(statSync(file).size).toBe(fresh);
    expect(readFileSync(file, 'utf8')).not.toContain('Știrea');
    expect(without(loadPageState(dir))).toEqual(state(200));
    expect(loadPageState(dir)?.saved).toBeDefined();
  });
});
