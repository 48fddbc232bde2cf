import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * An id declared in front matter equal to the id another article is minted (issue 10): two
 * records with one id made the feeds fail their checks, and every later run with them. Now the
 * minted one takes another slug when the declared id came first, and the declaring article is
 * refused (ARTICLE_ID_TAKEN, its own problem) when the minted one came first.
 */
const RO =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici, iar ministrul a declarat că banii vor ajunge în conturi până la sfârșitul lunii.';
const NOW = new Date('2026-11-25T08:00:00Z');
const MINTED = 'tag:news.example.org,2026-11-25:titlu-a';

const ids = (p: Project): string[] => {
  const dir = join(p.dir, 'archive/records/2026/11');
  return readdirSync(dir)
    .map((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { id: string }).id)
    .sort();
};

describe('a declared id equal to a minted one', () => {
  it('declared first (in the same run): the minted record takes another slug', async () => {
    const p = makeProject();
    p.write('0-b.txt', `---\nid: ${MINTED}\n---\nTitlu b\n\n${RO}\n\nAlt paragraf b.\n`);
    p.write('a.txt', `Titlu a\n\n${RO}\n\nAlt paragraf a.\n`);
    const r = await runOnce(p.context(NOW), { dryRun: false });
    expect(r.issues).toEqual([]);
    expect(r.archive.added.sort()).toEqual(['2026/11/titlu-a-2.json', '2026/11/titlu-b.json']);
    expect(ids(p)).toEqual([MINTED, `${MINTED}-2`]);
    expect(r.feeds?.published).toBe(true);
  });

  it('minted first: the article that declares it is refused, the site publishes', async () => {
    const p = makeProject();
    p.write('a.txt', `Titlu a\n\n${RO}\n\nAlt paragraf a.\n`);
    expect((await runOnce(p.context(NOW), { dryRun: false })).issues).toEqual([]);
    p.write('0-b.txt', `---\nid: ${MINTED}\n---\nTitlu b\n\n${RO}\n\nAlt paragraf b.\n`);
    p.write('c.txt', `Titlu c\n\n${RO}\n\nAlt paragraf c.\n`);
    const r = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(r.issues.map((i) => [i.code, i.file])).toEqual([
      ['ARTICLE_ID_TAKEN', 'archive/articles/0-b.txt'],
    ]);
    expect(r.archive.added).toEqual(['2026/11/titlu-c.json']);
    expect(r.feeds?.published).toBe(true);
  });
});
