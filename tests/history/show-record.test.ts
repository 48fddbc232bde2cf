import { describe, expect, it } from 'vitest';
import { formatHistory } from '../../src/history/show-record.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { record } from '../pages/page-fixtures.js';

/** `archive history` of a record that was withdrawn, restored, or both, at their times. */
const plain: ArchiveRecord = {
  ...record,
  title: 'First title',
  publishedAt: '2026-11-25T08:00:00Z',
  updatedAt: '2026-11-25T08:00:00Z',
  withdrawnAt: null,
  revisions: [],
};
const edited = (r: ArchiveRecord, at: string): ArchiveRecord => ({
  ...r,
  title: 'Second title',
  updatedAt: at,
  revisions: [
    {
      url: r.url,
      title: r.title,
      section: r.section,
      tags: r.tags,
      language: r.language,
      summary: r.summary,
      body: r.body,
      source: r.source,
      authors: r.authors,
      updatedAt: r.updatedAt,
      wordCount: r.wordCount,
      input: r.input,
    },
  ],
});
/** The history's lines that name a version or an event, in order. */
const timeline = (r: ArchiveRecord): string[] =>
  formatHistory(r)
    .split('\n')
    .filter((l) => /^(revision \d+|current|withdrawn|restored): /.test(l));

describe('archive history says when a record was withdrawn and restored', () => {
  it('a withdrawn record: the withdrawal after its versions, with its time', () => {
    const r = { ...plain, withdrawnAt: '2026-11-27T09:00:00Z' };
    expect(timeline(r)).toEqual([
      'current: 2026-11-25T08:00:00Z (publication date)',
      'withdrawn: 2026-11-27T09:00:00Z',
    ]);
    expect(formatHistory(r)).toContain(
      'withdrawn: 2026-11-27T09:00:00Z\n  its stored article was gone, so the feeds and pages stopped listing it',
    );
  });

  it('a restored record, edited when it came back: the restore before the edit of the same second', () => {
    const r = edited({ ...plain, restoredAt: '2026-11-28T10:00:00Z' }, '2026-11-28T10:00:00Z');
    expect(timeline(r)).toEqual([
      'revision 1: 2026-11-25T08:00:00Z (publication date)',
      'restored: 2026-11-28T10:00:00Z',
      'current: 2026-11-28T10:00:00Z',
    ]);
    expect(formatHistory(r)).toMatch(
      /restored: 2026-11-28T10:00:00Z\n {2}its stored article came back after a withdrawal/,
    );
  });

  it('edited, restored, then withdrawn again: each where it happened', () => {
    const r = {
      ...edited(plain, '2026-11-26T08:00:00Z'),
      restoredAt: '2026-11-28T10:00:00Z',
      withdrawnAt: '2026-11-29T11:00:00Z',
    };
    expect(timeline(r)).toEqual([
      'revision 1: 2026-11-25T08:00:00Z (publication date)',
      'current: 2026-11-26T08:00:00Z',
      'restored: 2026-11-28T10:00:00Z',
      'withdrawn: 2026-11-29T11:00:00Z',
    ]);
  });

  // Found by an outside try: the first version's date, the article's, was labelled "first
  // archived": an October date for a report archived in December, an embargo hours ahead.
  it('labels the first version with what its date is, not as an archiving time', () => {
    const backDated = {
      ...plain,
      publishedAt: '2026-10-15T00:00:00Z',
      updatedAt: '2026-10-15T00:00:00Z',
    };
    expect(timeline(backDated)).toEqual(['current: 2026-10-15T00:00:00Z (publication date)']);
    const updated = { ...plain, updatedAt: '2026-11-26T09:00:00Z' };
    expect(timeline(updated)).toEqual([
      'current: 2026-11-26T09:00:00Z (update date; publication date 2026-11-25T08:00:00Z)',
    ]);
    expect(formatHistory(edited(updated, '2026-11-27T10:00:00Z'))).not.toContain('first archived');
  });

  it('a record never withdrawn says neither', () => {
    expect(formatHistory(plain)).not.toMatch(/withdrawn|restored/);
  });
});
