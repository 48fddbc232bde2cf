import {
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  loadPageState,
  pageGroupsDir,
  pageStateFile,
  savePageState,
  type PageRow,
  type PageState,
} from '../../src/pipeline/page-state.js';
import { NextRows, WholeRows } from '../../src/pipeline/page-rows.js';

const stamp = (i: number): string => `2026-11-25T08:00:00Z||${i}|2026-11-25T08:00:00Z`;

function rows(n: number): Map<string, PageRow> {
  const records = new Map<string, PageRow>();
  for (let i = 0; i < n; i++)
    records.set(`2026/11/stire-${i}.json`, [stamp(i), `articles/stire-${i}.html`]);
  return records;
}

function state(n: number): PageState {
  // One key per part of 100 records: one more record moves the newest part's key alone.
  const parts = new Map<string, string>();
  for (let k = 0; k * 100 < n; k++)
    parts.set(k === 0 ? '2026/11' : `2026/11/${k + 1}`, `key-${Math.min(100, n - k * 100)}`);
  return {
    fingerprint: 'f1',
    records: new WholeRows(rows(n)),
    parts,
    months: ['2026/11'],
    folders: { '.': '1:2' },
  };
}

/** What a state says, its rows read whole. */
const said = (s: PageState | null): unknown =>
  s === null
    ? null
    : {
        fingerprint: s.fingerprint,
        rows: [...s.records.all()].sort(([a], [b]) => (a < b ? -1 : 1)),
        held: [...s.records.held].sort(),
        parts: [...s.parts],
        months: s.months,
        folders: s.folders,
      };

/** `before`'s rows with `set` set and `gone` gone, as a render leaves them. */
const next = (
  before: PageState,
  n: number,
  set: [string, PageRow][],
  gone: string[] = [],
): PageState => ({
  ...state(n),
  records: new NextRows(before.records, new Map(set), new Set(gone)),
});

describe('the page state (pipeline/page-state.ts): a root and groups of record rows', () => {
  it('loads back what was saved; one new record appends a line to one group and to the root; no change writes nothing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(5000), null);
    expect(readdirSync(pageGroupsDir(dir)).length).toBeGreaterThan(30);
    const before = loadPageState(dir);
    expect(said(before)).toEqual(said(state(5000)));
    const fresh = loadPageState(dir) as PageState;

    const added: [string, PageRow] = [
      '2026/11/stire-5000.json',
      [stamp(5000), 'articles/stire-5000.html'],
    ];
    const wrote = savePageState(dir, next(fresh, 5001, [added]), fresh);
    // The root's journal (twice: the save under way, then done) and one group's journal.
    expect(new Set(wrote).size).toBe(2);
    expect(wrote).toContain(join(dir, 'pages.journal'));
    expect(wrote.filter((f) => f.startsWith(`${pageGroupsDir(dir)}/`))).toHaveLength(1);
    expect(wrote.every((f) => f.endsWith('.journal'))).toBe(true);
    // It read the group the row goes to, not the others.
    expect(fresh.records.read.size).toBe(1);
    const after = loadPageState(dir);
    expect(said(after)).toEqual(said(state(5001)));

    expect(savePageState(dir, { ...(after as PageState) }, after)).toEqual([]);
    // A header field alone (the folders' stamps) is a change too.
    expect(savePageState(dir, { ...(after as PageState), folders: { '.': '1:3' } }, after)).toEqual(
      [join(dir, 'pages.journal')],
    );
    expect(loadPageState(dir)?.folders).toEqual({ '.': '1:3' });
  });

  it('rows gone, moved to another date and with a page of their own survive reloads; a group past its size is cut', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(300), null);
    let s = loadPageState(dir) as PageState;
    const want = rows(300);
    // Gone; dated anew (another month); a front-matter url's page; 150 more in one group.
    want.delete('2026/11/stire-1.json');
    const moved: PageRow = [
      '2026-12-02T08:00:00Z||m|2026-12-02T08:00:00Z',
      'articles/stire-7.html',
    ];
    want.set('2026/11/stire-7.json', moved);
    const own: PageRow = [stamp(9), 'despre/noi.html'];
    want.set('2026/11/stire-9.json', own);
    const more: [string, PageRow][] = [];
    for (let i = 0; i < 150; i++) {
      const row: PageRow = [
        `2026-11-25T09:00:00Z||x${i}|2026-11-25T09:00:00Z`,
        `articles/x-${i}.html`,
      ];
      more.push([`2026/11/x-${i}.json`, row]);
      want.set(`2026/11/x-${i}.json`, row);
    }
    // The old row of a record dated anew is found where it was, as a stray (render-pages.ts).
    const at = new Map([...want].map(([p, r]) => [p, r[0].slice(r[0].lastIndexOf('|') + 1)]));
    const strays = s.records.strays(at, () => false);
    expect([...strays.keys()].sort()).toEqual(['2026/11/stire-1.json', '2026/11/stire-7.json']);
    savePageState(
      dir,
      next(
        s,
        300,
        [['2026/11/stire-7.json', moved], ['2026/11/stire-9.json', own], ...more],
        [...strays.keys()],
      ),
      s,
    );
    for (let round = 0; round < 2; round++) {
      s = loadPageState(dir) as PageState;
      expect(new Map(s.records.all())).toEqual(want);
      expect([...s.records.held]).toEqual([['2026/11/stire-9.json', 'despre/noi.html']]);
      expect(s.records.row('2026/11/stire-7.json', '2026-12-02T08:00:00Z')).toEqual(moved);
      expect(s.records.row('2026/11/stire-1.json', '2026-11-25T08:00:00Z')).toBeUndefined();
      // Saved again unchanged: nothing written.
      expect(savePageState(dir, s, s)).toEqual([]);
    }
    // No group past its size.
    const sizes = readdirSync(pageGroupsDir(dir))
      .filter((f) => f.endsWith('.json'))
      .map((f) => (readFileSync(join(pageGroupsDir(dir), f), 'utf8').match(/\n\[/g) ?? []).length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(200);
  });

  it('a kill between a group saved and the root: the state is not trusted (null: every page rendered again)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(300), null);
    const s = loadPageState(dir) as PageState;
    const journal = join(dir, 'pages.journal');
    const rootBefore = existsSync(journal) ? readFileSync(journal) : Buffer.alloc(0);
    savePageState(
      dir,
      next(s, 301, [['2026/11/stire-300.json', [stamp(300), 'articles/stire-300.html']]]),
      s,
    );
    expect(loadPageState(dir)).not.toBeNull();
    // The root put back as it was before the save (what a kill before its last line leaves,
    // with the group already written): the group is not at the size the root says.
    writeFileSync(journal, rootBefore);
    expect(loadPageState(dir)).toBeNull();
    // And the line the save wrote first (the save under way), with nothing after it.
    savePageState(dir, state(300), null);
    const t = loadPageState(dir) as PageState;
    const wrote: string[] = [];
    savePageState(
      dir,
      next(t, 301, [['2026/11/stire-300.json', [stamp(300), 'articles/stire-300.html']]]),
      t,
      () => undefined,
    ).forEach((f) => wrote.push(f));
    const lines = readFileSync(journal, 'utf8').trimEnd().split('\n');
    writeFileSync(journal, `${lines.slice(0, -1).join('\n')}\n`);
    expect(JSON.parse(lines.at(-2) ?? '{}')).toMatchObject({ pending: true });
    expect(loadPageState(dir)).toBeNull();
  });

  it('a group changed by hand, its size kept: its rows are missing (their pages rendered again), and the next save writes it anew', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    savePageState(dir, state(100), null);
    const [group] = readdirSync(pageGroupsDir(dir)).filter((f) => f.endsWith('.json'));
    const file = join(pageGroupsDir(dir), group ?? '');
    // Another snapshot id, of the same length: what the root names is not there.
    writeFileSync(file, readFileSync(file, 'utf8').replace(/"id":"([0-9a-f])/, '"id":"x'));
    const s = loadPageState(dir) as PageState;
    expect(s).not.toBeNull();
    expect(s.records.row('2026/11/stire-3.json', '2026-11-25T08:00:00Z')).toBeUndefined();
    const row: PageRow = [stamp(3), 'articles/stire-3.html'];
    savePageState(dir, next(s, 100, [['2026/11/stire-3.json', row]]), s);
    const after = loadPageState(dir) as PageState;
    expect([...after.records.all()]).toEqual([['2026/11/stire-3.json', row]]);
  });

  it('a state of the layout before groups (version 4, every row in pages.json) is read, and the next save writes groups', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    const lines = [
      `{"version":4,"fingerprint":"f1","months":["2026/11"],"folders":{".":"1:2"},"id":"abc123","rows":[`,
      ...[...rows(3)].map(
        ([p, [st, f]], i, all) => `${JSON.stringify([p, st, f])}${i < all.length - 1 ? ',' : ''}`,
      ),
      `,["part:2026/11","key-3",""]`,
      ']}',
      '',
    ];
    writeFileSync(pageStateFile(dir), lines.join('\n').replace('\n,', ',\n'));
    const old = loadPageState(dir);
    expect(said(old)).toEqual(said(state(3)));
    savePageState(dir, state(3), old);
    expect(readFileSync(pageStateFile(dir), 'utf8')).toContain('"version":5');
    expect(said(loadPageState(dir))).toEqual(said(state(3)));
    expect(statSync(pageGroupsDir(dir)).isDirectory()).toBe(true);
  });

  it('rows saved with list entries (before 2026-11-30) load without them', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-'));
    const entry = { id: 'x', title: 'Știrea' };
    const body = [...rows(2)].map(([p, [st, f]]) => JSON.stringify([p, st, f, entry]));
    writeFileSync(
      pageStateFile(dir),
      `{"version":4,"fingerprint":"f1","months":["2026/11"],"folders":{".":"1:2"},"id":"abc123","rows":[\n${body.join(',\n')},\n["part:2026/11","key-2",""]\n]}\n`,
    );
    const before = loadPageState(dir);
    expect(new Map(before?.records.all())).toEqual(rows(2));
    expect(before?.saved).toBeUndefined();
    savePageState(dir, state(2), before);
    expect(readFileSync(pageStateFile(dir), 'utf8')).not.toContain('Știrea');
  });
});
