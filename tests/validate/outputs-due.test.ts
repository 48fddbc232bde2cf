import { describe, expect, it } from 'vitest';
import { outputsDue, type ChangedRow, type DueInput } from '../../src/validate/outputs-due.js';
import { NOW, row } from './changed-rows.js';

/** What a run's changed records need among its rendered outputs (validate/outputs-due.ts). */

const input = (over: Partial<DueInput>): DueInput => ({
  changed: [],
  rows: new Map(),
  now: NOW,
  leftOut: new Set<string>(),
  pageOf: (path) => `articles/${path.slice(8, -5)}.html`,
  pages: new Map(),
  docs: new Set(),
  docsRemoved: new Set(),
  published: () => true,
  ...over,
});

const ALL_DOCS = (month: string): string[] =>
  ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `archive/${month}/${f}`);

describe('outputs a changed record needs', () => {
  it('a new article: its page, its month page and its archive documents', () => {
    const rows = new Map([
      ['2026/11/a.json', row('2026-11-02T08:00:00Z')],
      ['2026/11/b.json', row('2026-11-03T08:00:00Z')],
    ]);
    const due = outputsDue(input({ changed: ['2026/11/b.json'], rows }));
    expect(due.missing.map((m) => m.file)).toEqual([
      'articles/b.html',
      'archive/2026/11/index.html',
      ...ALL_DOCS('2026/11'),
    ]);
    expect(due.markers).toEqual([{ file: 'articles/b.html', gone: false }]);
    const rendered = outputsDue(
      input({
        changed: ['2026/11/b.json'],
        rows,
        pages: new Map([
          ['articles/b.html', '2026/11/b.json'],
          ['archive/2026/11/index.html', undefined],
        ]),
        docs: new Set(['2026/11']),
      }),
    );
    expect(rendered.missing).toEqual([]);
  });

  it('a page rendered from another record does not count', () => {
    const rows = new Map([['2026/11/b.json', row('2026-11-03T08:00:00Z')]]);
    const due = outputsDue(
      input({
        changed: ['2026/11/b.json'],
        rows,
        pageOf: () => 'articles/b.html',
        pages: new Map([
          ['articles/b.html', '2026/11/other.json'],
          ['archive/2026/11/index.html', undefined],
        ]),
        docs: new Set(['2026/11']),
      }),
    );
    expect(due.missing.map((m) => m.file)).toEqual(['articles/b.html']);
  });

  it('a withdrawn article: its notice page (410) and documents; no month page once none is live', () => {
    const rows = new Map([
      ['2026/10/c.json', row('2026-10-02T08:00:00Z', '2026-11-29T08:00:00Z')],
      ['2026/10/d.json', row('2026-10-03T08:00:00Z')],
    ]);
    const due = outputsDue(input({ changed: ['2026/10/c.json'], rows }));
    expect(due.missing.map((m) => [m.file, m.must])).toEqual(
      ['articles/c.html', 'archive/2026/10/index.html', ...ALL_DOCS('2026/10')].map((f) => [
        f,
        'render',
      ]),
    );
    expect(due.markers).toEqual([{ file: 'articles/c.html', gone: true }]);
  });

  it("the last live article of a part withdrawn: the part's published documents must go", () => {
    const rows = new Map([['2026/10/c.json', row('2026-10-02T08:00:00Z', '2026-11-29T08:00:00Z')]]);
    const due = outputsDue(input({ changed: ['2026/10/c.json'], rows }));
    // Not rendered (a document of no entries): removed, and no month page either.
    expect(due.missing.map((m) => [m.file, m.must])).toEqual([
      ['articles/c.html', 'render'],
      ...ALL_DOCS('2026/10').map((f) => [f, 'remove']),
    ]);
    const removed = outputsDue(
      input({
        changed: ['2026/10/c.json'],
        rows,
        pages: new Map([['articles/c.html', '2026/10/c.json']]),
        docsRemoved: new Set(['2026/10']),
      }),
    );
    expect(removed.missing).toEqual([]);
    // Nothing to remove when out/ has none of them (a state lost, a copy).
    const absent = outputsDue(
      input({
        changed: ['2026/10/c.json'],
        rows,
        pages: new Map([['articles/c.html', '2026/10/c.json']]),
        published: () => false,
      }),
    );
    expect(absent.missing).toEqual([]);
  });

  it('nothing for a record under embargo, one withdrawn before it was due, or one left out', () => {
    const rows = new Map([
      ['2026/12/e.json', row('2026-12-20T08:00:00Z')],
      ['2026/12/f.json', row('2026-12-21T08:00:00Z', '2026-11-29T08:00:00Z')],
      ['2026/11/g.json', row('2026-11-02T08:00:00Z')],
    ]);
    const due = outputsDue(
      input({
        changed: [...rows.keys()],
        rows,
        leftOut: new Set(['2026/11/g.json']),
      }),
    );
    expect(due).toEqual({ missing: [], markers: [] });
  });

  it('no page for a record whose URL gives none; a month of more than 100 is cut in parts', () => {
    const rows = new Map<string, ChangedRow>();
    for (let i = 0; i < 101; i++)
      rows.set(
        `2026/11/x${String(i).padStart(3, '0')}.json`,
        row(
          `2026-11-01T08:${String(Math.floor(i / 60)).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}Z`,
        ),
      );
    const due = outputsDue(input({ changed: ['2026/11/x100.json'], rows, pageOf: () => null }));
    expect(due.missing.map((m) => m.file)).toEqual([
      'archive/2026/11/2/index.html',
      ...ALL_DOCS('2026/11/2'),
    ]);
  });
});
