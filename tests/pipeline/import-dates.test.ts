import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeDatedArchive } from '../../bench/dated-archive.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import type { DatedRecord } from '../../src/pipeline/report.js';
import { jsonOf, makeProject } from '../helpers.js';

/**
 * Issue 14's import: articles named `2019-01-01_….txt` with unrelated 2019–2025 modification
 * times became records all dated "now" (one shared timestamp, an alphabetical feed). With the
 * default date sources they are dated by their file names, and the feed is the newest 50 by
 * that date. 200 here; 5,000 by hand (`node dist/bench/import-dates.js 5000`).
 */
const SEED = 14;

describe('an imported archive of dated file names', () => {
  it(`is dated by the file names and the feed lists the newest 50 by them (seed ${SEED})`, () => {
    console.log(`import-dates: seed ${SEED}`);
    const p = makeProject();
    const files = writeDatedArchive(p.articles, 200, SEED);
    const r = p.cli('build', '--json');
    expect(r.status, r.stderr).toBe(0);
    const report = jsonOf<{ archive: { added: string[]; dated: DatedRecord[] } }>(r);
    expect(report.archive.added).toHaveLength(200);
    expect(new Set(report.archive.dated.map((d) => d.publishedFrom))).toEqual(
      new Set(['fileName']),
    );

    const byPath = new Map(report.archive.dated.map((d) => [d.record, d]));
    const expected = new Map(files.map((f) => [`archive/articles/${f.name}`, f.publishedAt]));
    const records = report.archive.added.map(
      (rel) =>
        JSON.parse(readFileSync(join(p.dir, 'archive/records', rel), 'utf8')) as ArchiveRecord,
    );
    records.forEach((rec, i) => {
      const date = expected.get(rec.input.path);
      expect(rec.publishedAt, rec.input.path).toBe(date);
      expect(rec.updatedAt).toBe(date);
      expect(rec.id).toBe(`tag:news.example.org,${date?.slice(0, 10)}:${rec.slug}`);
      expect(byPath.get(report.archive.added[i] ?? '')).toMatchObject({
        publishedAt: date,
        updatedFrom: 'fileName',
      });
    });

    // The feed: the newest 50 by publication date, then by id (README, "The feeds").
    const newest = [...records]
      .sort((a, b) =>
        a.publishedAt !== b.publishedAt
          ? a.publishedAt < b.publishedAt
            ? 1
            : -1
          : a.id < b.id
            ? -1
            : 1,
      )
      .slice(0, 50)
      .map((rec) => rec.id);
    const feed = JSON.parse(p.read('out/feed.json')) as { items: { id: string }[] };
    expect(feed.items.map((i) => i.id)).toEqual(newest);
    expect(p.cli('check').status).toBe(0);
  });
});
