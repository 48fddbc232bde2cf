import { describe, expect, it, vi } from 'vitest';
import * as pageState from '../../src/pipeline/page-state.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject } from '../helpers.js';

// Every importer of page-state.js gets the counted loadPageState.
vi.mock('../../src/pipeline/page-state.js', async (importOriginal) => {
  const original = await importOriginal<typeof pageState>();
  return { ...original, loadPageState: vi.fn(original.loadPageState) };
});

/**
 * A run that mints an article reads the page state for its slug (pipeline/pages-held.ts) and
 * hands it to the render stage, which read it a second time (0.3 s of CPU at 100,000 articles).
 */
describe('the page state in a run that mints an article', () => {
  it('is read once', async () => {
    const p = makeProject();
    p.write('a.txt', 'Primul titlu\n\nCorpul primului articol, destul de lung.\n');
    await runOnce(p.context(new Date('2026-11-25T08:00:00Z')), { dryRun: false });
    p.write('b.txt', 'Al doilea titlu\n\nCorpul celui de-al doilea articol, tot destul de lung.\n');
    const load = vi.mocked(pageState.loadPageState);
    load.mockClear();
    const r = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(r.archive.added).toHaveLength(1);
    expect(r.feeds?.published).toBe(true);
    expect(load).toHaveBeenCalledTimes(1);
  });
});
