import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import * as catalogueFileModule from '../../src/archive/catalogue-file.js';
import { slugOfRecordPath } from '../../src/archive/record-path.js';
import * as journaledTableModule from '../../src/io/journaled-table.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { archiveArticles, type ArchiveResult } from '../../src/pipeline/archive-articles.js';
import { NextRows } from '../../src/pipeline/page-rows.js';
import {
  loadPageState,
  savePageState,
  stampOf,
  type PageRow,
} from '../../src/pipeline/page-state.js';
import { planPages } from '../../src/pipeline/page-plan.js';
import { PagesHeld } from '../../src/pipeline/pages-held.js';
import {
  articleName,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

/**
 * The archive stage of a one-new run, PagesHeld's first mint included, reads the records chunks
 * its changes touch, not all of them: the page state keeps what each chunk adds to the page
 * groups' digests with the chunk's stamp (pipeline/chunk-sums.ts). Counted as
 * tests/incremental/records-read.test.ts counts (every table read), against the same run with
 * the records read whole (PagesHeld then hashes every row), whose records must be the same; and
 * the stale cases (the chunks' stamps not as the sums say) fall back to reading the chunks.
 */
afterAll(removeProjects);

vi.mock('../../src/io/journaled-table.js', async (importOriginal) => {
  const real = await importOriginal<typeof journaledTableModule>();
  return { ...real, readTable: vi.fn(real.readTable) };
});
const readTables = vi.mocked(journaledTableModule.readTable);

let onDemand = true;
vi.mock('../../src/archive/catalogue-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof catalogueFileModule>();
  return {
    ...real,
    openRecordRows: (files: catalogueFileModule.CatalogueFiles, c: never) =>
      onDemand ? real.openRecordRows(files, c) : real.loadRecordIndex(files, c),
  };
});

const chunksRead = (state: string): number =>
  readTables.mock.calls.filter(([paths]) => relative(state, paths.snapshot).startsWith('records/'))
    .length;

function outcome(dir: string, r: ArchiveResult): unknown {
  const records = join(dir, 'archive/records');
  const files = walkFiles(records, (name) => name.endsWith('.json')).sort();
  return {
    records: files.map((f) => [f, readFileSync(join(records, f), 'utf8')]),
    summary: r.summary,
    issues: r.issues,
  };
}

const STATE_DIRS = ['.feedkeeper', 'archive/records'];
const save = (dir: string, to: string): void => {
  rmSync(to, { recursive: true, force: true });
  for (const d of STATE_DIRS)
    cpSync(join(dir, d), join(to, d), { recursive: true, preserveTimestamps: true });
};
const restore = (dir: string, from: string): void => {
  for (const d of STATE_DIRS) {
    rmSync(join(dir, d), { recursive: true, force: true });
    cpSync(join(from, d), join(dir, d), { recursive: true, preserveTimestamps: true });
  }
};

describe('PagesHeld in a one-new archive stage reads the chunks whose stamp moved (issue 15)', () => {
  it('one new article among 2,400 rows: at most 3 chunks in all; the same records as a whole load; stale sums fall back', async () => {
    const p = syntheticProject(12);
    const state = join(p.dir, '.feedkeeper');
    const t = new Date('2026-11-25T08:00:00Z');
    const ctx = (): ReturnType<typeof p.context> => p.context(t);
    expect((await archiveArticles(ctx(), { dryRun: false })).summary.added).toHaveLength(12);
    const files = catalogueFileModule.catalogueFiles(state, join(p.dir, 'archive/records'));
    const c = catalogueFileModule.loadCatalogue(files)!;
    expect(catalogueFileModule.loadRecordIndex(files, c)).toBe(true);
    for (let i = 0; i < 2_400; i++) {
      const month = String(1 + (i % 12)).padStart(2, '0');
      const at = `2025-${month}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`;
      c.records.set(`2025/${month}/filler-${i}.json`, {
        id: `tag:filler,2025:${i}`,
        slug: `filler-${i}`,
        publishedAt: at,
        updatedAt: at,
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: `filler-${i}`,
        input: `archive/articles/gone/filler-${i}.txt`,
      });
    }
    catalogueFileModule.saveCatalogue(files, c, true);
    const chunks = readdirSync(join(state, 'records')).filter((f) => f.endsWith('.json')).length;
    expect(chunks).toBeGreaterThan(12);

    /**
     * What a render saves: every record's row and, with the records' chunks as saved, their
     * sums. `claim`: a record whose front-matter url names that page file.
     */
    const publish = (claim?: [string, string], sums = true): void => {
      const cat = catalogueFileModule.loadCatalogue(files)!;
      expect(catalogueFileModule.loadRecordIndex(files, cat)).toBe(true);
      const plan = planPages(cat, { before: null, everything: true });
      const rows = new Map<string, PageRow>();
      for (const path of plan.wanted) {
        const r = cat.records.get(path) as RecordEntry;
        rows.set(path, [stampOf(r), path === claim?.[0] ? claim[1] : `articles/${r.slug}.html`]);
      }
      rmSync(join(state, 'pages'), { recursive: true, force: true });
      rmSync(join(state, 'pages.json'), { force: true });
      rmSync(join(state, 'pages.journal'), { force: true });
      const root = catalogueFileModule.readRecordChunks(files)!;
      savePageState(
        state,
        {
          fingerprint: 'f',
          records: new NextRows(null, rows, new Set()),
          parts: plan.keys,
          months: plan.months,
          folders: {},
        },
        null,
        undefined,
        sums
          ? {
              chunks: root.chunks,
              rows: (chunk) => {
                const got = catalogueFileModule.readChunk(files, chunk);
                return got && [...got.rows];
              },
              now: t.toISOString(),
            }
          : undefined,
      );
    };
    publish();
    expect(loadPageState(state)?.chunkSums?.size).toBe(chunks);

    // The slug the new article gets, then a filler's front-matter url naming its page: the new
    // one must be minted another (PagesHeld's answer shows in the records).
    const snapshot = join(p.dir, 'snapshot');
    p.write(articleName(12), syntheticArticle(12), 600);
    save(p.dir, snapshot);
    onDemand = false;
    const probe = await archiveArticles(ctx(), { dryRun: false });
    const [added] = probe.summary.added;
    const slug = slugOfRecordPath(added!);
    restore(p.dir, snapshot);
    publish(['2025/03/filler-2.json', `articles/${slug}.html`]);
    save(p.dir, snapshot);

    const loads = vi.spyOn(PagesHeld.prototype as unknown as { load: () => unknown }, 'load');
    /** The one-new run on demand and whole: chunks read on demand, and the two outcomes. */
    const pair = async (name: string): Promise<number> => {
      onDemand = true;
      readTables.mockClear();
      loads.mockClear();
      const lazy = await archiveArticles(ctx(), { dryRun: false });
      const read = chunksRead(state);
      expect(loads, name).toHaveBeenCalledTimes(1);
      const got = outcome(p.dir, lazy);
      expect(slugOfRecordPath(lazy.summary.added[0]!), name).not.toBe(slug);
      restore(p.dir, snapshot);
      onDemand = false;
      const whole = await archiveArticles(ctx(), { dryRun: false });
      expect(got, name).toEqual(outcome(p.dir, whole));
      restore(p.dir, snapshot);
      return read;
    };
    const fresh = await pair('sums as saved');
    expect(fresh, `${fresh} chunks read of ${chunks}`).toBeGreaterThanOrEqual(1);
    expect(fresh, `${fresh} chunks read of ${chunks}`).toBeLessThanOrEqual(3);

    // Stale: the catalogue saved again after the page state (an edit archived, the run killed
    // before its render), the edit giving the record a front-matter url that names the new
    // article's page: the chunk it wrote has another stamp, and is read; its sums, believed,
    // would have the record's row as published, and the page free.
    publish();
    rmSync(join(p.articles, articleName(12)));
    const claiming = syntheticArticle(7, 1).replace(
      '\nlanguage: en\n',
      `\nlanguage: en\nurl: https://news.example.org/articles/${slug}.html\n`,
    );
    p.write(articleName(7), claiming, 600);
    onDemand = true;
    expect((await archiveArticles(ctx(), { dryRun: false })).summary.revised).toHaveLength(1);
    p.write(articleName(12), syntheticArticle(12), 600);
    save(p.dir, snapshot);
    const moved = await pair('a chunk saved since');
    expect(moved).toBeLessThanOrEqual(4);

    // Stale: the moved chunk's sums row given its new stamp by hand (its check no longer
    // holds): not believed, the chunk is read.
    const pagesJson = join(state, 'pages.json');
    const lines = readFileSync(pagesJson, 'utf8').split('\n');
    const stamps = new Map(
      catalogueFileModule.readRecordChunks(files)!.chunks.map((ch) => [ch.name, ch.stamp]),
    );
    // A snapshot's row line: `[row],`.
    const at = lines.findIndex((l) => {
      if (!l.startsWith('["k:')) return false;
      const row = JSON.parse(l.replace(/,$/, '')) as [string, string];
      return stamps.get(row[0].slice(2)) !== row[1];
    });
    expect(at).toBeGreaterThan(0);
    const row = JSON.parse(lines[at]!.replace(/,$/, '')) as unknown[];
    row[1] = stamps.get((row[0] as string).slice(2));
    lines[at] = `${JSON.stringify(row)},`;
    writeFileSync(pagesJson, lines.join('\n'));
    save(p.dir, snapshot);
    const edit = await pair('a sums row edited by hand');
    expect(loadPageState(state)?.chunkSums?.size).toBe(chunks - 1);
    expect(edit).toBeLessThanOrEqual(4);

    // Stale: a page state without sums (an older feedkeeper's): every chunk, as before.
    publish(['2025/03/filler-2.json', `articles/${slug}.html`], false);
    save(p.dir, snapshot);
    const none = await pair('no sums');
    expect(none).toBeGreaterThanOrEqual(chunks);
    console.log(
      `chunks read of ${chunks}: ${fresh} (sums as saved), ${moved} (a chunk saved since), ${edit} (a row edited), ${none} (no sums)`,
    );
    loads.mockRestore();
  }, 180_000);
});
