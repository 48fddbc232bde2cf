import { describe, expect, it } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import { listRecords } from '../../src/history/list-records.js';
import { formatRecord } from '../../src/history/show-record.js';
import { record } from '../pages/page-fixtures.js';

const row = (
  slug: string,
  publishedAt: string,
  withdrawnAt: string | null = null,
): RecordEntry => ({
  id: `tag:news.example.org,2026-11-01:${slug}`,
  slug,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn: withdrawnAt !== null,
  withdrawnAt,
  fingerprint: slug,
  input: `${slug}.txt`,
  meta: { title: slug, section: null, tags: [], language: 'ro' },
});
const NOW = '2026-11-30T12:00:00Z';
const rows: [string, RecordEntry][] = [
  ['2026/11/out.json', row('out', '2026-11-20T08:00:00Z')],
  ['2027/06/later.json', row('later', '2027-06-01T00:00:00Z')],
  ['2026/11/gone.json', row('gone', '2026-11-21T08:00:00Z', '2026-11-22T08:00:00Z')],
];
const slugs = (status: 'published' | 'scheduled' | 'withdrawn' | 'all'): string[] =>
  listRecords(rows, (_, r) => r.meta!, { status, now: NOW }).map((r) => `${r.slug} ${r.status}`);

/** A record under embargo is archived, not published: the inspection commands say so. */
describe('a record under embargo is "scheduled", not "published"', () => {
  it('in archive list and its --status filter', () => {
    expect(slugs('published')).toEqual(['out published']);
    expect(slugs('scheduled')).toEqual(['later scheduled']);
    expect(slugs('all')).toEqual(['later scheduled', 'gone withdrawn', 'out published']);
  });

  it('in archive show', () => {
    const later = { ...record, publishedAt: '2027-06-01T00:00:00Z', withdrawnAt: null };
    expect(formatRecord(later, 'x.json', NOW)).toContain(
      'status    scheduled: under embargo until 2027-06-01T00:00:00Z',
    );
    expect(formatRecord({ ...record, withdrawnAt: null }, 'x.json', NOW)).toContain(
      'status    published',
    );
  });

  // Found by an outside try: it said "published" at a date after the withdrawal.
  it('in archive show, withdrawn before its embargo ended: never published', () => {
    const shown = formatRecord(
      { ...record, publishedAt: '2026-12-01T00:00:00Z', withdrawnAt: '2026-11-29T00:00:00Z' },
      'x.json',
      NOW,
    );
    expect(shown).toContain(
      'status    withdrawn 2026-11-29T00:00:00Z, under embargo: never published',
    );
    expect(shown).toContain('dated     2026-12-01T00:00:00Z');
    expect(shown).not.toContain('published 2026-12-01');
  });
});
