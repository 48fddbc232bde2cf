import {
  cpSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { RecordEntry } from '../../src/archive/catalogue.js';
import * as catalogueFileModule from '../../src/archive/catalogue-file.js';
import { keyIndexOf } from '../../src/archive/key-index.js';
import * as journaledTableModule from '../../src/io/journaled-table.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { archiveArticles, type ArchiveResult } from '../../src/pipeline/archive-articles.js';
import { PagesHeld } from '../../src/pipeline/pages-held.js';
import {
  articleName,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);

// Every table read (snapshot and journal): the records' chunks among them are counted.
vi.mock('../../src/io/journaled-table.js', async (importOriginal) => {
  const real = await importOriginal<typeof journaledTableModule>();
  return { ...real, readTable: vi.fn(real.readTable) };
});
const readTables = vi.mocked(journaledTableModule.readTable);

// The oracle: the same run with the records read whole (the path before rows on demand).
let onDemand = true;
vi.mock('../../src/archive/catalogue-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof catalogueFileModule>();
  return {
    ...real,
    openRecordRows: (files: catalogueFileModule.CatalogueFiles, c: never) =>
      onDemand ? real.openRecordRows(files, c) : real.loadRecordIndex(files, c),
  };
});

/** The records' chunk files read since the last mockClear(). */
const chunksRead = (state: string): number =>
  readTables.mock.calls.filter(([paths]) => relative(state, paths.snapshot).startsWith('records/'))
    .length;

/** What a run leaves: the records folder's bytes, the records table read whole, its report. */
function outcome(dir: string, r: ArchiveResult): unknown {
  const records = join(dir, 'archive/records');
  const files = walkFiles(records, (name) => name.endsWith('.json')).sort();
  const c = catalogueFileModule.loadCatalogue(
    catalogueFileModule.catalogueFiles(join(dir, '.feedkeeper'), records),
  )!;
  expect(
    catalogueFileModule.loadRecordIndex(
      catalogueFileModule.catalogueFiles(join(dir, '.feedkeeper'), records),
      c,
    ),
  ).toBe(true);
  return {
    records: files.map((f) => [f, readFileSync(join(records, f), 'utf8')]),
    rows: [...c.records].sort(([a], [b]) => (a < b ? -1 : 1)),
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

describe('the archive stage of a run with few changes reads the chunks it touches (issue 15)', () => {
  it('one new, one edited, one withdrawn article among 10,000 records: root, at most 2 chunks, the index buckets of its keys; the same records as a whole load', async () => {
    const p = syntheticProject(40);
    const state = join(p.dir, '.feedkeeper');
    const t = new Date('2026-11-25T08:00:00Z');
    const ctx = (): ReturnType<typeof p.context> => p.context(t);
    expect((await archiveArticles(ctx(), { dryRun: false })).summary.added).toHaveLength(40);
    // 10,000 records more in the table, over twelve months (their files are not needed: a
    // run with few changes never reads them), so that January alone has several chunks.
    const files = catalogueFileModule.catalogueFiles(state, join(p.dir, 'archive/records'));
    const c = catalogueFileModule.loadCatalogue(files)!;
    expect(catalogueFileModule.loadRecordIndex(files, c)).toBe(true);
    for (let i = 0; i < 10_000; i++) {
      const month = String(1 + (i % 12)).padStart(2, '0');
      const at = `2025-${month}-${String(1 + (i % 28)).padStart(2, '0')}T${String(i % 24).padStart(2, '0')}:00:00Z`;
      const r: RecordEntry = {
        id: `tag:filler,2025:${i}`,
        slug: `filler-${i}`,
        publishedAt: at,
        updatedAt: at,
        withdrawn: false,
        withdrawnAt: null,
        fingerprint: `filler-${i}`,
        input: `archive/articles/gone/filler-${i}.txt`,
      };
      c.records.set(`2025/${month}/filler-${i}.json`, r);
    }
    catalogueFileModule.saveCatalogue(files, c, true);
    expect(readdirSync(join(state, 'records')).length).toBeGreaterThan(40);

    const snapshot = join(p.dir, 'snapshot');
    const age = Date.now() / 1000 - 600;
    const scenarios: [string, () => void][] = [
      [
        'one new article',
        () => {
          p.write(articleName(40), syntheticArticle(40), 600);
        },
      ],
      [
        'one edited article',
        () => {
          const f = join(p.articles, articleName(7));
          writeFileSync(f, syntheticArticle(7, 1));
          utimesSync(f, age, age);
        },
      ],
      ['one withdrawn article', () => unlinkSync(join(p.articles, articleName(9)))],
    ];
    for (const [name, change] of scenarios) {
      change();
      save(p.dir, snapshot);
      const chunks = readdirSync(join(state, 'records')).filter((f) => f.endsWith('.json')).length;
      onDemand = true;
      readTables.mockClear();
      // Chunks read by PagesHeld's pass over every row (the first mint: pipeline/pages-held.ts
      // reads every record's page, the page state's part of issue 15) are not this stage's.
      let inPagesHeld = 0;
      const held = PagesHeld.prototype as unknown as { load: () => unknown };
      const original = held.load;
      const load = vi.spyOn(held, 'load').mockImplementation(function (this: unknown) {
        const before = chunksRead(state);
        const got = original.call(this);
        inPagesHeld += chunksRead(state) - before;
        return got;
      });
      const lazy = await archiveArticles(ctx(), { dryRun: false });
      load.mockRestore();
      const read = chunksRead(state) - inPagesHeld;
      // At least the one its change goes to (so the count is of real reads).
      expect(read, `${name}: ${read} chunks read of ${chunks}`).toBeGreaterThanOrEqual(1);
      expect(read, `${name}: ${read} chunks read of ${chunks}`).toBeLessThanOrEqual(2);
      expect(keyIndexOf(lazy.catalogue!.records).bucketsRead, name).toBeLessThanOrEqual(12);
      const got = outcome(p.dir, lazy);

      restore(p.dir, snapshot);
      onDemand = false;
      readTables.mockClear();
      const whole = await archiveArticles(ctx(), { dryRun: false });
      expect(chunksRead(state), name).toBeGreaterThanOrEqual(chunks);
      expect(got, name).toEqual(outcome(p.dir, whole));
    }
  }, 120_000);
});

describe('kill safety: a chunk not at the stamp its root names, found in the middle of the stage', () => {
  it('starts the stage again from the records (CATALOGUE_STALE); the next run finds nothing to do', async () => {
    const p = syntheticProject(30);
    const state = join(p.dir, '.feedkeeper');
    const t = new Date('2026-11-25T08:00:00Z');
    const first = await archiveArticles(p.context(t), { dryRun: false });
    expect(first.summary.added).toHaveLength(30);
    // The chunk as a killed run (or a file put back) leaves it: not what the root names.
    const [chunk] = readdirSync(join(state, 'records')).filter((f) => f.endsWith('.json'));
    writeFileSync(join(state, 'records', chunk!), 'not a chunk\n');
    const f = join(p.articles, articleName(11));
    writeFileSync(f, syntheticArticle(11, 1));
    utimesSync(f, Date.now() / 1000 - 600, Date.now() / 1000 - 600);
    onDemand = true;
    const edit = await archiveArticles(p.context(t), { dryRun: false });
    expect(edit.issues.map((i) => i.code)).toEqual(['CATALOGUE_STALE']);
    expect(edit.issues[0]!.message).toContain(`records chunk ${chunk!.replace(/\.json$/, '')}`);
    expect(edit.summary).toMatchObject({ added: [], withdrawn: [], unchanged: 29 });
    expect(edit.summary.revised).toHaveLength(1);
    const again = await archiveArticles(p.context(t), { dryRun: false });
    expect(again.issues).toEqual([]);
    expect(again.summary).toMatchObject({ added: [], revised: [], unchanged: 30 });
  }, 60_000);
});
