import { utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as catalogueFileModule from '../../src/archive/catalogue-file.js';
import * as readArticleModule from '../../src/ingest/read-article.js';
import { runOnce } from '../../src/pipeline/run.js';
import {
  articleName,
  cliLikeContext,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);

// Count the reads of stored articles and the loads of the records' index.
vi.mock('../../src/ingest/read-article.js', async (importOriginal) => {
  const real = await importOriginal<typeof readArticleModule>();
  return { ...real, readArticle: vi.fn(real.readArticle) };
});
vi.mock('../../src/archive/catalogue-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof catalogueFileModule>();
  return { ...real, loadRecordIndex: vi.fn(real.loadRecordIndex) };
});
const reads = vi.mocked(readArticleModule.readArticle);
const loads = vi.mocked(catalogueFileModule.loadRecordIndex);

describe('an article touched but not changed (touch, an editor saving the same bytes, a checkout)', () => {
  it('is read once, kept as it is, and the records are not loaded for it; an edit still is', async () => {
    const p = syntheticProject(40);
    expect((await runOnce(cliLikeContext(p), { dryRun: false })).archive.added).toHaveLength(40);
    const file = join(p.articles, articleName(7));
    const later = Date.now() / 1000 - 30;
    utimesSync(file, later, later);

    reads.mockClear();
    loads.mockClear();
    const touched = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(reads.mock.calls.map(([l]) => l.path)).toEqual([`archive/articles/${articleName(7)}`]);
    expect(loads).not.toHaveBeenCalled();
    expect(touched.archive).toMatchObject({ added: [], revised: [], withdrawn: [], unchanged: 40 });
    expect(touched.feeds).toMatchObject({ rendered: false });
    // Its new stat is kept: the next run reads nothing.
    expect(touched.written).toEqual(['.feedkeeper/inputs.journal']);
    reads.mockClear();
    const after = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(reads).not.toHaveBeenCalled();
    expect(after.written).toEqual([]);

    // The control: new bytes are an edit, archived as a revision, with the records loaded.
    writeFileSync(file, syntheticArticle(7, 1));
    utimesSync(file, later + 5, later + 5);
    loads.mockClear();
    const edited = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(loads).toHaveBeenCalled();
    expect(edited.archive.revised).toHaveLength(1);
  });
});
