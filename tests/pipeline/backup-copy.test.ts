import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import { feedIds, jsonOf, makeProject, recordsOf } from '../helpers.js';

/**
 * Found by an outside try: an editor keeps a copy of the published version, then updates the
 * story in place. The edit freed the record, the copy (same text) took it, and the edited
 * original was published as a second item with a `-2` URL, although the run before had said
 * the original "stays the article's source".
 */
const STORY =
  'Storm hits the coast\n\nA strong storm reached the coast on Sunday, closing ports and roads across the region.\n\nOfficials said the harbour would stay shut until Tuesday.\n';

describe('a backup copy of a published article, then an edit of the original', () => {
  it.each([
    ['the copy one run before the edit', true],
    ['the copy and the edit in one run', false],
  ])('%s: the original keeps its record (a revision), the copy is a duplicate', (_, apart) => {
    const p = makeProject();
    p.write('story.md', STORY);
    expect(p.cli('build').status).toBe(0);
    const ids = (): string[] => feedIds(p);
    const [id] = ids();
    copyFileSync(join(p.articles, 'story.md'), join(p.articles, 'story-backup.md'));
    if (apart) expect(p.cli('build').status).toBe(0);
    p.write('story.md', `${STORY}\nUpdate: the harbour reopened on Monday evening.\n`, 30);
    const r = jsonOf<RunReport>(p.cli('build', '--json'));
    expect(r.archive.added).toEqual([]);
    expect(r.archive.revised).toHaveLength(1);
    const dup = r.issues.find((i) => i.code === 'ARTICLE_DUPLICATE');
    expect(dup?.file).toBe('archive/articles/story-backup.md');
    expect(dup?.message).toContain("had before this run's edit of it");
    expect(ids()).toEqual([id]);
    expect(recordsOf(p)).toHaveLength(1);
    expect(p.read('out/feed.json')).toContain('reopened on Monday');
  });
});
