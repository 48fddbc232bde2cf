import type { Catalogue } from '../archive/catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import type { Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import {
  itemOf,
  type ExpectedItem,
  type ExpectedPage,
  type PageExpectations,
} from '../validate/expected-page.js';
import type { PagePlan } from './render-pages.js';

/**
 * The gate's I/O for pages: what each rendered page must show, from the records read again
 * from disk (never the copies the renderer used) and the catalogue's rows, computed here
 * without the renderer's code: which records a month lists, the months' order, the counts.
 */
export function expectPages(
  rc: ResolvedConfig,
  catalogue: Catalogue,
  listed: readonly string[],
  plan: PagePlan,
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
): { expected: PageExpectations; issues: Issue[] } {
  const { paths, root } = rc;
  const issues: Issue[] = [];
  const items = new Map<string, ExpectedItem>();
  const read = (path: string): ArchiveRecord | null => {
    const pending = unwritten?.get(path);
    if (pending) return pending;
    const got = readRecord(paths.records, path, root);
    if ('record' in got) return got.record;
    issues.push(got.issue);
    return null;
  };
  const item = (path: string): ExpectedItem | null => {
    const known = items.get(path);
    if (known) return known;
    const r = read(path);
    if (r === null) return null;
    const i = itemOf(r);
    items.set(path, i);
    return i;
  };

  const expected = new Map<string, ExpectedPage>();

  const counts = new Map<string, number>();
  const byMonth = new Map<string, string[]>();
  for (const [path, row] of catalogue.records) {
    if (row.withdrawn) continue;
    const m = `${row.publishedAt.slice(0, 4)}/${row.publishedAt.slice(5, 7)}`;
    counts.set(m, (counts.get(m) ?? 0) + 1);
    if (plan.months.has(m)) byMonth.set(m, [...(byMonth.get(m) ?? []), path]);
  }
  const months = [...counts.keys()].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0));
  for (const m of plan.months.keys()) {
    const older = months.filter((x) => x < m)[0] ?? null;
    const newer = months.filter((x) => x > m).pop() ?? null;
    const list = (byMonth.get(m) ?? []).map(item).filter((i): i is ExpectedItem => i !== null);
    expected.set(`archive/${m}/index.html`, { kind: 'month', month: m, items: list, newer, older });
  }
  expected.set('index.html', {
    kind: 'front',
    latest: listed.map(item).filter((i): i is ExpectedItem => i !== null),
    months: months.map((m) => ({ month: m, count: counts.get(m) ?? 0 })),
  });
  // An article page's record is read when its page is verified, and dropped after: a cold
  // build of 10,000 pages does not hold 10,000 records (a record unread is a problem added to
  // `issues`, which the caller reads after verifying).
  const lazy: PageExpectations = {
    get(file) {
      const known = expected.get(file);
      if (known) return known;
      const path = plan.articles.get(file);
      const r = path === undefined ? null : read(path);
      return r === null
        ? undefined
        : { kind: r.withdrawnAt === null ? 'article' : 'withdrawn', record: r };
    },
  };
  return { expected: lazy, issues };
}
