import { describe, expect, it } from 'vitest';
import { lastChange } from '../../src/archive/last-change.js';
import { recordEntryOf } from '../../src/archive/catalogue.js';
import { mergeRecord, mintRecord, withdrawRecord } from '../../src/archive/merge-record.js';
import { serializeRecord } from '../../src/archive/serialize-record.js';
import type { ArchiveRecord, NormalizedArticle } from '../../src/model/record.js';
import { recordSchema } from '../../src/model/record.js';

/**
 * A withdrawn record whose stored article comes back (archive/merge-record.ts): a change of its
 * own, with its own moment (restoredAt), so the archive's last change, and the feed date that
 * follows it, never goes back when withdrawnAt is cleared. Ids and item dates stay.
 */
const article = (text: string, updatedAt: string | null = null): NormalizedArticle => ({
  title: 'Alfa',
  section: null,
  tags: [],
  language: 'en',
  summary: text,
  body: [{ type: 'paragraph', text }],
  source: null,
  authors: [],
  wordCount: 2,
  url: null,
  id: null,
  publishedAt: null,
  updatedAt,
  slugBase: 'alfa',
  fingerprint: text,
});
const input = { path: 'archive/articles/a.txt', sha256: 'a'.repeat(64), bytes: 10 };
const T8 = '2026-11-25T08:00:00Z';
const T9 = '2026-11-25T09:00:00Z';
const T10 = '2026-11-25T10:00:00Z';
const minted = mintRecord(article('one two'), input, {
  now: T8,
  host: 'news.example.org',
  baseUrl: 'https://news.example.org',
  slug: 'alfa',
});
const withdrawn = withdrawRecord(minted, T9);
const changeOf = (r: ArchiveRecord): string | null => lastChange([recordEntryOf(r, 'f')]);

describe('a restore', () => {
  it('unchanged: restoredAt minted at the run, item dates and id kept, the last change moves on', () => {
    const m = mergeRecord(withdrawn, article('one two'), input, T10);
    expect(m.kind).toBe('restored');
    expect(m.record).toEqual({ ...minted, restoredAt: T10 });
    expect(changeOf(withdrawn)).toBe(T9);
    expect(changeOf(m.record)).toBe(T10);
    // Readable and written back to the same bytes; a record never restored keeps its bytes.
    expect(recordSchema.parse(JSON.parse(serializeRecord(m.record)))).toEqual(m.record);
    expect(serializeRecord(minted)).not.toContain('restoredAt');
  });

  it('in the second of the withdrawal: one second later, never equal or before', () => {
    const m = mergeRecord(withdrawn, article('one two'), input, T9);
    expect(m.record.restoredAt).toBe('2026-11-25T09:00:01Z');
  });

  it('edited: counted as a restore, the earlier version kept; restoredAt later than a back-dated update', () => {
    const m = mergeRecord(withdrawn, article('one three', '2026-11-25T08:30:00Z'), input, T10);
    expect(m.kind).toBe('restored');
    expect(m.record.revisions).toHaveLength(1);
    expect(m.record.updatedAt).toBe('2026-11-25T08:30:00Z');
    expect(m.record.restoredAt).toBe(T10);
    expect(changeOf(m.record)).toBe(T10);
  });

  it('a second withdrawal and restore: withdrawnAt, then a later restoredAt', () => {
    const back = mergeRecord(withdrawn, article('one two'), input, T10).record;
    const gone = withdrawRecord(back, '2026-11-25T11:00:00Z');
    expect(changeOf(gone)).toBe('2026-11-25T11:00:00Z');
    const again = mergeRecord(gone, article('one two'), input, '2026-11-25T12:00:00Z');
    expect(again.record.restoredAt).toBe('2026-11-25T12:00:00Z');
  });

  it('is not what a live record gets: no restoredAt on an edit or a new input', () => {
    expect(mergeRecord(minted, article('one three'), input, T10).record.restoredAt).toBeUndefined();
    const moved = mergeRecord(minted, article('one two'), { ...input, bytes: 11 }, T10);
    expect(moved.kind).toBe('input-only');
    expect(moved.record.restoredAt).toBeUndefined();
  });
});

// attackG #1: tags are made unique when an article is read now (model/unique-tags.ts); a record
// archived before with a tag twice is kept as it is, and readers get each tag once from it.
describe('a record archived with a tag twice, its article read again', () => {
  const twice = { ...minted, tags: ['energy', 'energy'] };
  const tagged = { ...article('one two'), tags: ['energy'] };

  it('is unchanged: no revision, no new update date, its bytes kept', () => {
    const m = mergeRecord(twice, tagged, input, T10);
    expect(m.kind).toBe('unchanged');
    expect(m.record).toBe(twice);
  });

  it('restored: restoredAt only, its tags as stored', () => {
    const m = mergeRecord(withdrawRecord(twice, T9), tagged, input, T10);
    expect(m.kind).toBe('restored');
    expect(m.record).toEqual({ ...twice, restoredAt: T10 });
  });

  it('revised by a real edit: the new version has each tag once, the earlier one as stored', () => {
    const m = mergeRecord(twice, { ...tagged, tags: ['energy', 'x'] }, input, T10);
    expect(m.kind).toBe('revised');
    expect(m.record.tags).toEqual(['energy', 'x']);
    expect(m.record.revisions[0]?.tags).toEqual(['energy', 'energy']);
  });
});
