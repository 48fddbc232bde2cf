import { describe, expect, it } from 'vitest';
import { PART_SIZE } from '../../src/model/feed-history.js';
import { outputsAround, type AroundInput } from '../../src/validate/outputs-around.js';
import type { ChangedRow } from '../../src/validate/outputs-due.js';
import { NOW, row } from './changed-rows.js';

/** The outputs beside a run's changed records (validate/outputs-around.ts), from rows alone. */

const around = (
  rows: [string, ChangedRow][],
  changed: string[],
  was: [string, 'live' | 'withdrawn'][] = [],
): string[] =>
  outputsAround({
    changed,
    was: new Map(was),
    rows: new Map(rows),
    now: NOW,
    leftOut: new Set<string>(),
  } satisfies AroundInput)
    .map((o) => `${o.kind} ${o.part}`)
    .sort();

const OCT = ['2026/10/o.json', row('2026-10-02T08:00:00Z')] as [string, ChangedRow];
const SEP = ['2026/09/s.json', row('2026-09-02T08:00:00Z')] as [string, ChangedRow];
const NOV = ['2026/11/a.json', row('2026-11-02T08:00:00Z')] as [string, ChangedRow];
const NEW = ['2026/11/b.json', row('2026-11-03T08:00:00Z')] as [string, ChangedRow];

describe('outputs beside the changed records', () => {
  it('an article added to a month that has others asks for nothing beside it', () => {
    expect(around([SEP, OCT, NOV, NEW], ['2026/11/b.json'])).toEqual([]);
  });

  it('a revision asks for nothing beside it, even of a month of one article', () => {
    expect(around([SEP, OCT, NOV], ['2026/10/o.json'], [['2026/10/o.json', 'live']])).toEqual([]);
  });

  it('a month that appears: the first pages and documents of the months on either side', () => {
    expect(around([SEP, OCT, NOV], ['2026/10/o.json'])).toEqual([
      'documents 2026/09',
      'documents 2026/11',
      'page 2026/09',
      'page 2026/11',
    ]);
  });

  it('a month that vanishes or comes back: the same', () => {
    const gone = ['2026/10/o.json', row('2026-10-02T08:00:00Z', '2026-11-29T08:00:00Z')] as [
      string,
      ChangedRow,
    ];
    const both = ['documents 2026/09', 'documents 2026/11', 'page 2026/09', 'page 2026/11'];
    expect(around([SEP, gone, NOV], ['2026/10/o.json'], [['2026/10/o.json', 'live']])).toEqual(
      both,
    );
    expect(around([SEP, OCT, NOV], ['2026/10/o.json'], [['2026/10/o.json', 'withdrawn']])).toEqual(
      both,
    );
  });

  it('a new part: the first page, the part before it, and its neighbours in the chain', () => {
    const rows: [string, ChangedRow][] = [];
    for (let i = 0; i <= PART_SIZE; i++) {
      const at = new Date(Date.parse('2026-10-01T00:00:00Z') + i * 60_000).toISOString();
      rows.push([`2026/10/${String(i).padStart(3, '0')}.json`, row(`${at.slice(0, 19)}Z`)]);
    }
    const last = rows[PART_SIZE]?.[0] ?? '';
    // (The new part's own page and documents are outputs-due.ts's.)
    expect(around([...rows, NOV], [last])).toEqual([
      'documents 2026/10',
      'documents 2026/11',
      'page 2026/10',
    ]);
    // The oldest of the month added instead: every part after its own holds another record.
    const first = rows[0]?.[0] ?? '';
    expect(around([...rows, NOV], [first])).toEqual([
      'documents 2026/10/2',
      'documents 2026/11',
      'page 2026/10/2',
    ]);
    // A revision there moves nothing.
    expect(around([...rows, NOV], [first], [[first, 'live']])).toEqual([]);
  });
});
