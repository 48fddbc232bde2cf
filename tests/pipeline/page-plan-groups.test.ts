import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Catalogue, RecordEntry } from '../../src/archive/catalogue.js';
import { WholeRows, NextRows } from '../../src/pipeline/page-rows.js';
import {
  loadPageState,
  savePageState,
  stampOf,
  type PageRow,
  type PageState,
} from '../../src/pipeline/page-state.js';
import { planPages, type PagePlanning } from '../../src/pipeline/render-pages.js';
import { PagesHeld } from '../../src/pipeline/pages-held.js';
import { pagePlaceOf } from '../../src/render/page-paths.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { prng } from '../history/newsroom.js';

/**
 * planPages against a page state in groups, read in part (the rows of the parts due, the
 * strays), proven against the rule it had with every row at hand: which records changed, the
 * rows it keeps, the rows as last published, which record holds a page file, and the state a
 * render then saves, over rounds of random changes (new, revised, withdrawn, deleted, dated
 * anew, touched by hand) on seeded random catalogues.
 */
const cat = (records: Map<string, RecordEntry>): Catalogue => ({ records }) as unknown as Catalogue;

/** The rule with every row at hand (planPages before the groups). */
function wholeRule(
  records: ReadonlyMap<string, RecordEntry>,
  whole: ReadonlyMap<string, PageRow> | null,
  touched: ReadonlySet<string>,
): { changed: Set<string>; rows: Map<string, PageRow> } {
  const changed = new Set<string>();
  const rows = new Map<string, PageRow>();
  for (const [path, r] of records) {
    const old = whole?.get(path);
    if (old === undefined || old[0] !== stampOf(r) || touched.has(path)) changed.add(path);
    else rows.set(path, old);
  }
  return { changed, rows };
}

describe('planPages with the page state in groups (pipeline/page-rows.ts)', () => {
  it('plans and saves as it did with every row, on seeded random catalogues', () => {
    const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`page groups seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const random = prng(seed);
    const int = (n: number): number => Math.floor(random() * n);
    // The last month has no record until the changes (a month that appears, with no group).
    const months = ['2026-09', '2026-10', '2026-11', '2027-01'];
    let monthsNow = 3;
    const dateOf = (): string =>
      `${months[int(monthsNow)]}-${String(1 + int(3)).padStart(2, '0')}T0${int(3)}:00:00Z`;
    let n = 0;
    const records = new Map<string, RecordEntry>();
    const add = (): void => {
      const publishedAt = dateOf();
      const slug = `s${n++}`;
      records.set(`${publishedAt.slice(0, 4)}/${publishedAt.slice(5, 7)}/${slug}.json`, {
        id: `id-${int(5)}`,
        slug,
        publishedAt,
        updatedAt: publishedAt,
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: `f${n}`,
        input: `${slug}.md`,
      });
    };
    for (let i = 0, total = 150 + int(450); i < total; i++) add();
    const fileFor = (path: string, r: RecordEntry): string => {
      const x = random();
      return x < 0.8 ? `articles/${r.slug}.html` : x < 0.9 ? '' : `pagini/${r.slug}/a.html`;
    };
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-page-groups-'));
    let state: PageState | null = null;
    let reads = 0;
    for (let round = 0; round < 6; round++) {
      const touched = new Set<string>();
      monthsNow = round === 0 ? 3 : 4;
      if (round > 0) {
        const paths = (): string[] => [...records.keys()];
        for (let k = 0, ops = 1 + int(12); k < ops; k++) {
          const all = paths();
          const path = all[int(all.length)] as string;
          const r = records.get(path) as RecordEntry;
          const op = int(6);
          if (op === 0) add();
          else if (op === 1) records.set(path, { ...r, updatedAt: `${r.updatedAt}+` });
          else if (op === 2)
            records.set(path, { ...r, withdrawn: true, withdrawnAt: '2026-12-01T00:00:00Z' });
          else if (op === 3) records.delete(path);
          else if (op === 4) records.set(path, { ...r, publishedAt: dateOf() });
          else touched.add(path);
        }
      }
      const whole = state === null ? null : new Map(state.records.all());
      const opts = { everything: state === null, ...(touched.size > 0 ? { touched } : {}) };
      const plan: PagePlanning = planPages(cat(records), { before: state, ...opts });
      reads += state?.records.read.size ?? 0;
      const rule = wholeRule(records, whole, touched);
      expect([...plan.changedSet].sort()).toEqual([...rule.changed].sort());
      for (const path of plan.wanted)
        if (!rule.changed.has(path)) expect(plan.rows.get(path)).toEqual(rule.rows.get(path));
      for (const path of rule.changed) expect(plan.previous?.get(path)).toEqual(whole?.get(path));
      // Which record's unchanged row holds each file (render-pages.ts `taken` was made so).
      const taken = new Map<string, string>();
      for (const [path, [, file]] of rule.rows) if (file !== '') taken.set(file, path);
      const files = new Set([...(whole?.values() ?? [])].map(([, f]) => f));
      for (const r of records.values()) files.add(`articles/${r.slug}.html`);
      for (const file of files)
        if (file !== '') expect(plan.holderBefore(file)).toBe(taken.get(file));
      // A render sets the rows of what it read; the state saved is the one every row made.
      const set = new Map(plan.rows);
      const want = new Map(rule.rows);
      for (const path of plan.wanted) {
        const r = records.get(path) as RecordEntry;
        const row: PageRow = [
          stampOf(r),
          rule.changed.has(path) ? fileFor(path, r) : (rule.rows.get(path)?.[1] ?? ''),
        ];
        set.set(path, row);
        want.set(path, row);
      }
      const next: PageState = {
        fingerprint: 'f',
        records: new NextRows(plan.base, set, plan.gone),
        parts: plan.keys,
        months: plan.months,
        folders: {},
      };
      savePageState(dir, next, state);
      state = loadPageState(dir);
      expect(state).not.toBeNull();
      expect(new Map((state as PageState).records.all())).toEqual(want);
      state = loadPageState(dir);
      expect(new WholeRows(want).held).toEqual((state as PageState).records.held);
    }
    console.log(`page groups: ${reads} group reads over 5 rounds`);
  });

  it('PagesHeld says which record holds a page file as it did with every row, on seeded random states', () => {
    const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
    console.log(`pages held seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
    const random = prng(seed);
    const int = (k: number): number => Math.floor(random() * k);
    const base = 'https://x.example';
    const now = '2026-11-30T00:00:00Z';
    const records = new Map<string, RecordEntry>();
    const urls = new Map<string, string>();
    let n = 0;
    const urlFor = (slug: string): string => {
      const x = random();
      return x < 0.7
        ? `${base}/articles/${slug}.html`
        : x < 0.8
          ? `https://elsewhere.example/${slug}`
          : x < 0.9
            ? `${base}/pagini/p${int(20)}.html`
            : `${base}/articles/s${int(n + 1)}.html`;
    };
    const add = (): void => {
      // Some under embargo at `now` (no page yet).
      const publishedAt = `2026-${random() < 0.1 ? 12 : 9 + int(3)}-0${1 + int(3)}T0${int(3)}:00:00Z`;
      const slug = `s${n++}`;
      const path = `${publishedAt.slice(0, 4)}/${publishedAt.slice(5, 7)}/${slug}.json`;
      records.set(path, {
        id: `id-${n}`,
        slug,
        publishedAt,
        updatedAt: publishedAt,
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: `f${n}`,
        input: `${slug}.md`,
      });
      urls.set(path, urlFor(slug));
    };
    for (let i = 0, total = 100 + int(300); i < total; i++) add();
    const fileOf = (url: string | undefined): string => {
      const place = url === undefined ? null : pagePlaceOf(url, base);
      return place?.kind === 'page' ? place.file : '';
    };
    // Published: the rows a render left (a file given to the first that wants it).
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-pages-held-'));
    const visible = new Map([...records].filter(([, r]) => r.publishedAt <= now));
    const plan = planPages(cat(visible), { before: null, everything: true });
    const rows = new Map<string, PageRow>();
    const given = new Set<string>();
    for (const path of plan.wanted) {
      const file = fileOf(urls.get(path));
      const own = file !== '' && !given.has(file) ? file : '';
      if (own !== '') given.add(own);
      rows.set(path, [stampOf(records.get(path) as RecordEntry), own]);
    }
    savePageState(
      dir,
      {
        fingerprint: 'f',
        records: new NextRows(null, rows, new Set()),
        parts: plan.keys,
        months: plan.months,
        folders: {},
      },
      null,
    );
    // Changes since: new, revised (another url), deleted, dated anew.
    for (let k = 0, ops = int(15); k < ops; k++) {
      const all = [...records.keys()];
      const path = all[int(all.length)] as string;
      const r = records.get(path) as RecordEntry;
      const op = int(4);
      if (op === 0) add();
      else if (op === 1) {
        records.set(path, { ...r, updatedAt: `${r.updatedAt}+` });
        urls.set(path, urlFor(r.slug));
      } else if (op === 2) records.delete(path);
      else records.set(path, { ...r, publishedAt: `2026-1${int(2)}-05T00:00:00Z` });
    }
    const read = (rel: string): ArchiveRecord | null =>
      records.has(rel) ? ({ url: urls.get(rel) } as unknown as ArchiveRecord) : null;
    // The rule with every row at hand (pages-held.ts before the groups).
    const whole = new Map((loadPageState(dir) as PageState).records.all());
    const oracle = new Map<string, string>();
    for (const [path, entry] of records) {
      const row = whole.get(path);
      const file =
        row !== undefined && row[0] === stampOf(entry) ? row[1] : fileOf(read(path)?.url);
      // Of two records that claim one file, the first by path.
      const was = oracle.get(file);
      if (file !== '' && (was === undefined || path < was)) oracle.set(file, path);
    }
    const held = new PagesHeld(cat(records), { state: dir, now }, base, read);
    const files = new Set([...oracle.keys(), ...[...whole.values()].map(([, f]) => f)]);
    for (let i = 0; i < n + 2; i++) files.add(`articles/s${i}.html`);
    for (let i = 0; i < 20; i++) files.add(`pagini/p${i}.html`);
    files.delete('');
    for (const file of files) expect(held.holder(file), file).toBe(oracle.get(file));
    const groups = (held.pageState as PageState).records.read.size;
    console.log(`pages held: ${groups} groups read, ${files.size} files asked`);
  });
});
