import { Feed } from 'feed';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { jsonOf } from '../helpers.js';
import {
  articleName,
  cliLikeContext,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);
afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * The archive commits (records, then the catalogue) before the feeds are rendered. A run that
 * stops in between must not leave the feeds behind the archive for good: the next run, whose
 * own scan finds nothing new, still has to publish.
 */
describe('a run that changed the archive but did not publish', () => {
  it('killed between the archive commit and the publication: the next run publishes', async () => {
    const p = syntheticProject(20);
    expect(p.cli('build').status).toBe(0);
    p.write(articleName(20), syntheticArticle(20), 600);
    // A run that dies while rendering (here: the feed library throws, as a kill would stop it).
    vi.spyOn(Feed.prototype, 'rss2').mockImplementation(() => {
      throw new Error('killed between the archive commit and the publication');
    });
    const died = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(died.feeds).toMatchObject({ rendered: true, published: false });
    expect(died.issues.map((i) => `${i.code} ${i.file}`)).toEqual([
      // The archive documents are rendered first (the subscription documents link them).
      'RENDER_FAILED out/archive/2025/01/rss.xml',
    ]);
    vi.restoreAllMocks();
    expect(p.read('out/feed.json')).not.toContain('Report number 20 ');

    const next = p.cli('build', '--json');
    expect(next.status, next.stdout + next.stderr).toBe(0);
    const r = jsonOf<{
      archive: { added: string[]; unchanged: number };
      feeds: { rendered: boolean; entries: number };
    }>(next);
    expect(r.archive).toMatchObject({ added: [], unchanged: 21 });
    expect(r.feeds).toMatchObject({ rendered: true, entries: 21 });
    expect(p.read('out/feed.json')).toContain('Report number 20 ');
    const check = p.cli('check');
    expect(check.status, check.stdout).toBe(0);

    // Published: the run after that has nothing to do.
    const settled = p.cli('build', '--json');
    expect(jsonOf<{ written: string[] }>(settled).written).toEqual([]);
  });

  it('refused by validation: every following run tries again (and reports it) until it publishes', async () => {
    const p = syntheticProject(4);
    expect(p.cli('build').status).toBe(0);
    p.write(articleName(4), syntheticArticle(4), 600);
    const rss2 = Feed.prototype.rss2;
    vi.spyOn(Feed.prototype, 'rss2').mockImplementation(function (this: Feed) {
      return rss2.call(this).replace('</rss>', '');
    });
    const broken = await runOnce(cliLikeContext(p), { dryRun: false });
    vi.restoreAllMocks();
    expect(broken.archive.added).toHaveLength(1);
    expect(broken.feeds).toMatchObject({ rendered: true, published: false });
    expect(p.read('out/rss.xml')).not.toContain('Report number 4 ');

    const next = p.cli('build', '--json');
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(jsonOf<{ feeds: { rendered: boolean; published: boolean } }>(next).feeds).toMatchObject({
      rendered: true,
      published: true,
    });
    expect(p.read('out/rss.xml')).toContain('Report number 4 ');
    expect(p.cli('check').status).toBe(0);
  });
});
