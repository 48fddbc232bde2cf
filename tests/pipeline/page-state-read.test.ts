import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalogue, RecordEntry } from '../../src/archive/catalogue.js';
import { NextRows } from '../../src/pipeline/page-rows.js';
import {
  loadPageState,
  publishedFolders,
  savePageState,
  stampOf,
  type PageRow,
  type PageState,
} from '../../src/pipeline/page-state.js';
import { planPages } from '../../src/pipeline/render-pages.js';
import { PagesHeld } from '../../src/pipeline/pages-held.js';

const cat = (records: Map<string, RecordEntry>): Catalogue => ({ records }) as unknown as Catalogue;

/** 10,000 records over twelve months, their pages published (a state saved as a render does). */
function published(dir: string): Map<string, RecordEntry> {
  const records = new Map<string, RecordEntry>();
  for (let i = 0; i < 10_000; i++) {
    const month = String(1 + (i % 12)).padStart(2, '0');
    const publishedAt = `2025-${month}-${String(1 + (i % 28)).padStart(2, '0')}T08:${String(i % 60).padStart(2, '0')}:00Z`;
    const slug = `stire-${i}`;
    records.set(`2025/${month}/${slug}.json`, {
      id: `tag:x,2025:${slug}`,
      slug,
      publishedAt,
      updatedAt: publishedAt,
      withdrawn: false,
      withdrawnAt: null,
      fingerprint: `f${i}`,
      input: `${slug}.md`,
    });
  }
  const plan = planPages(cat(records), { before: null, everything: true });
  const rows = new Map<string, PageRow>();
  for (const path of plan.wanted) {
    const r = records.get(path) as RecordEntry;
    rows.set(path, [
      stampOf(r),
      path.endsWith('-7.json') ? `despre/${r.slug}.html` : `articles/${r.slug}.html`,
    ]);
  }
  savePageState(dir, nextOf(plan, rows), null);
  return records;
}

const nextOf = (plan: ReturnType<typeof planPages>, rows: Map<string, PageRow>): PageState => ({
  fingerprint: 'f',
  records: new NextRows(plan.base, rows, plan.gone),
  parts: plan.keys,
  months: plan.months,
  folders: {},
});

describe('a run reads the page state of the parts it renders (pipeline/page-rows.ts)', () => {
  it('one edited or one new article among 10,000: the root and at most 2 groups', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-page-read-'));
    const records = published(dir);
    // An edit (a revision moves its row's stamp), then a new article in the newest month.
    const edited = '2025/06/stire-5.json';
    const r = records.get(edited) as RecordEntry;
    records.set(edited, { ...r, updatedAt: '2025-12-30T00:00:00Z' });
    for (const change of ['edit', 'new'] as const) {
      if (change === 'new')
        records.set('2025/12/noua.json', {
          ...(records.get('2025/12/stire-11.json') as RecordEntry),
          slug: 'noua',
          id: 'tag:x,2025:noua',
          publishedAt: '2025-12-31T08:00:00Z',
          updatedAt: '2025-12-31T08:00:00Z',
        });
      const before = loadPageState(dir) as PageState;
      const plan = planPages(cat(records), { before, everything: false });
      expect([...plan.changedSet], change).toEqual([
        change === 'edit' ? edited : '2025/12/noua.json',
      ]);
      // A part of 100 rows, in one or two groups of at most 200.
      expect(plan.toRender.size, change).toBe(1);
      expect(before.records.read.size, change).toBeGreaterThan(0);
      expect(before.records.read.size, change).toBeLessThanOrEqual(2);
      // What a render saves and the folders it stamps need no other group.
      const rows = new Map(plan.rows);
      for (const path of plan.changedSet)
        rows.set(path, [stampOf(records.get(path) as RecordEntry), `articles/x.html`]);
      const next = nextOf(plan, rows);
      expect(publishedFolders(next, [])).toContain('despre');
      savePageState(dir, next, before);
      expect(before.records.read.size, change).toBeLessThanOrEqual(2);
    }
    // A new article's slug asked of PagesHeld (who holds its page file, and the edited one's):
    // the root, the group of the record of that slug, and no record read (none changed since).
    records.set('2025/12/alta.json', {
      ...(records.get('2025/12/noua.json') as RecordEntry),
      slug: 'alta',
      publishedAt: '2025-12-31T09:00:00Z',
    });
    const read: string[] = [];
    const held = new PagesHeld(
      cat(records),
      { state: dir, now: '2026-01-01T00:00:00Z' },
      'https://x.example',
      (rel) => {
        read.push(rel);
        return null;
      },
    );
    expect(held.holder('articles/alta.html')).toBeUndefined();
    expect(held.holder('articles/stire-100.html')).toBe('2025/05/stire-100.json');
    expect(held.holder('despre/stire-7.html')).toBe('2025/08/stire-7.json');
    expect(read).toEqual(['2025/12/alta.json']);
    expect(held.pageState?.records.read.size).toBeLessThanOrEqual(2);
  });
});
