import {
  existsSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { bucketOf } from '../../src/archive/input-buckets.js';
import * as journaledTableModule from '../../src/io/journaled-table.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import {
  articleName,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);

// Every table read whole (snapshot and journal): what it costs in bytes.
vi.mock('../../src/io/journaled-table.js', async (importOriginal) => {
  const real = await importOriginal<typeof journaledTableModule>();
  return { ...real, readTable: vi.fn(real.readTable) };
});
const readTables = vi.mocked(journaledTableModule.readTable);

const size = (f: string): number => statSync(f, { throwIfNoEntry: false })?.size ?? 0;

/** Bytes of the inputs table's files in `state`: inputs.json, its journal, and its buckets. */
function inputFiles(state: string): string[] {
  const files = [join(state, 'inputs.json'), join(state, 'inputs.journal')];
  const dir = join(state, 'inputs');
  if (existsSync(dir))
    for (const f of readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile()))
      files.push(join(dir, f.name));
  return files.filter((f) => size(f) > 0);
}

/** Bytes of the inputs table that the table reads since the last mockClear() read. */
function inputBytesRead(state: string): number {
  let bytes = 0;
  for (const [paths] of readTables.mock.calls) {
    const rel = relative(state, paths.snapshot);
    if (rel === 'inputs.json' || rel.startsWith('inputs/'))
      bytes += size(paths.snapshot) + size(paths.journal);
  }
  return bytes;
}

describe('the inputs table is read in part (issue 15: a run costs what changed)', () => {
  it('one new or one edited article among 2,000 reads a small part of it; problems are still reported on every run', async () => {
    const n = 2000;
    const p = syntheticProject(n);
    // An article with a problem: reported on every run, wherever its row is kept.
    p.write('empty.txt', '', 600);
    const state = join(p.dir, '.feedkeeper');
    const t = new Date('2026-11-25T08:00:00Z');
    const cold = await archiveArticles(p.context(t), { dryRun: false });
    expect(cold.summary.added).toHaveLength(n);
    const whole = inputFiles(state).reduce((sum, f) => sum + size(f), 0);
    expect(whole).toBeGreaterThan(n * 150);

    // One new article.
    p.write(articleName(n), syntheticArticle(n), 600);
    readTables.mockClear();
    const one = await archiveArticles(p.context(t), { dryRun: false });
    expect(one.summary.added).toHaveLength(1);
    expect(one.summary).toMatchObject({ unchanged: n, rejected: 1 });
    expect(one.issues.map((i) => i.code)).toEqual(['ARTICLE_EMPTY']);
    const readOne = inputBytesRead(state);
    expect(readOne).toBeGreaterThan(0);
    expect(readOne, `read ${readOne} of ${whole} bytes`).toBeLessThan(whole / 10);

    // One edited article (its bytes and mtime change).
    const edited = join(p.articles, articleName(7));
    writeFileSync(edited, syntheticArticle(7, 1));
    const later = Date.now() / 1000 - 300;
    utimesSync(edited, later, later);
    readTables.mockClear();
    const edit = await archiveArticles(p.context(t), { dryRun: false });
    expect(edit.summary.revised).toHaveLength(1);
    expect(edit.summary).toMatchObject({ unchanged: n, rejected: 1 });
    expect(edit.issues.map((i) => i.code)).toEqual(['ARTICLE_EMPTY']);
    expect(inputBytesRead(state)).toBeLessThan(whole / 10);

    // And the catalogue saved in part is whole: a rebuild from the records finds the same.
    const full = await archiveArticles(p.context(t), { dryRun: false, full: true });
    expect(full.summary).toMatchObject({ unchanged: n + 1, rejected: 1, added: [], revised: [] });
  }, 240_000);

  it('a bucket found unreadable halfway through a run (a duplicate taking a freed record): the run starts again from the records', async () => {
    const p = syntheticProject(0);
    const state = join(p.dir, '.feedkeeper');
    // The original and its copy in two buckets: the copy's is not read until the original goes.
    let copy = 0;
    while (bucketOf(`archive/articles/copy-${copy}.txt`) === bucketOf('archive/articles/a.txt'))
      copy++;
    const copyPath = `archive/articles/copy-${copy}.txt`;
    p.write('a.txt', syntheticArticle(1), 600);
    p.write(`copy-${copy}.txt`, syntheticArticle(1), 600);
    const t = new Date('2026-11-25T08:00:00Z');
    const first = await archiveArticles(p.context(t), { dryRun: false });
    expect(first.summary).toMatchObject({ duplicates: 1 });
    expect(first.summary.added).toHaveLength(1);
    const rel = first.summary.added[0]!;
    const name = bucketOf(copyPath).toString(16).padStart(2, '0');
    writeFileSync(join(state, 'inputs', `${name}.json`), 'not a bucket');
    rmSync(join(p.articles, 'a.txt'));
    const second = await archiveArticles(p.context(t), { dryRun: false });
    expect(second.issues.map((i) => i.code)).toContain('CATALOGUE_STALE');
    const record = JSON.parse(readFileSync(join(p.dir, 'archive/records', rel), 'utf8')) as {
      input: { path: string };
      withdrawnAt: string | null;
    };
    expect(record).toMatchObject({ input: { path: copyPath }, withdrawnAt: null });
    const third = await archiveArticles(p.context(t), { dryRun: false });
    expect(third.issues).toEqual([]);
    expect(third.summary).toMatchObject({ unchanged: 1, duplicates: 0 });
  }, 60_000);
});
