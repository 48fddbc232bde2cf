import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
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

/**
 * Ids RFC 4151 or a reader's safety refuse, though the feeds carry them: refused for a new
 * record, naming the key and the rule; a record that already holds one keeps it (ids never
 * change) and is neither left out nor its article refused.
 */
describe('an odd declared id', () => {
  it.each([
    [
      'tag:news.example.org,2026-02-30:a',
      /"id": its date 2026-02-30 is not a day of the calendar \(RFC 4151/,
    ],
    ['tag:news.example.org,2026-13:a', /"id": its date 2026-13 is not a day/],
    ['tag:news.example.org,2026-01-01:', /"id": it has nothing after the date: RFC 4151/],
    ['javascript:alert(1)', /"id": its scheme is javascript:/],
    ['data:text/plain,x', /"id": its scheme is data:/],
  ])('%s: a new article is refused, the site publishes', async (id, why) => {
    const p = makeProject();
    p.write('a.txt', `---\nid: "${id}"\n---\nTitlu a\n\n${RO}\n\nAlt paragraf a.\n`);
    p.write('c.txt', `Titlu c\n\n${RO}\n\nAlt paragraf c.\n`);
    const r = await runOnce(p.context(NOW), { dryRun: false });
    expect(r.issues.map((i) => [i.code, i.file])).toEqual([
      ['FRONT_MATTER_INVALID', 'archive/articles/a.txt'],
    ]);
    expect(r.issues[0]?.message).toMatch(why);
    expect(r.archive.added).toEqual(['2026/11/titlu-c.json']);
    expect(r.feeds?.published).toBe(true);
    // Reported again on a run that reads nothing new, as every refusal is.
    const again = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(again.issues.map((i) => i.code)).toEqual(['FRONT_MATTER_INVALID']);
  });

  it('a record that already holds one keeps it: its article is revised, the record published', async () => {
    const p = makeProject();
    const odd = 'tag:news.example.org,2026-02-30:a';
    p.write('a.txt', `Titlu a\n\n${RO}\n\nAlt paragraf a.\n`);
    expect((await runOnce(p.context(NOW), { dryRun: false })).issues).toEqual([]);
    // Archived before the rule: its id edited to the odd one, its article declaring it.
    const abs = join(p.dir, 'archive/records/2026/11/titlu-a.json');
    const record = JSON.parse(readFileSync(abs, 'utf8')) as { id: string };
    writeFileSync(abs, `${JSON.stringify({ ...record, id: odd }, null, 2)}\n`);
    const edited = await runOnce(p.context(new Date('2026-11-25T08:30:00Z')), { dryRun: false });
    // Only the hand edit's notice (the catalogue row was behind the record).
    expect(edited.issues.map((i) => i.code).filter((c) => !c.startsWith('CATALOGUE_'))).toEqual([]);
    p.write('a.txt', `---\nid: "${odd}"\n---\nTitlu a\n\n${RO}\n\nAlt paragraf a, revizuit.\n`);
    const r = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(r.issues).toEqual([]);
    expect(r.archive.revised).toEqual(['2026/11/titlu-a.json']);
    expect(ids(p)).toEqual([odd]);
    expect(r.feeds?.published).toBe(true);
    expect(p.read('out/feed.json')).toContain(odd);
    expect(p.read('out/feed.json')).toContain('revizuit');
  });
});

describe("a minted slug whose page another record's url names", () => {
  it('held by a record under embargo (no page yet): the new article takes another slug', async () => {
    // attackA #4: read from the records the page state does not know, not only from the pages
    // published.
    const p = makeProject();
    p.write(
      'later.md',
      `---\ntitle: Mai tarziu\ndate: 2026-11-25T12:00:00Z\nurl: https://news.example.org/articles/titlu-a.html\n---\n${RO}\n\nAlt paragraf b.\n`,
    );
    expect((await runOnce(p.context(NOW), { dryRun: false })).archive.added).toEqual([
      '2026/11/mai-tarziu.json',
    ]);
    p.write('a.txt', `Titlu a\n\n${RO}\n\nAlt paragraf a.\n`);
    const minted = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(minted.archive.added).toEqual(['2026/11/titlu-a-2.json']);
    const out = await runOnce(p.context(new Date('2026-11-25T13:00:00Z')), { dryRun: false });
    expect(out.issues).toEqual([]);
    expect(p.read('out/articles/titlu-a.html')).toContain('Alt paragraf b.');
    expect(p.read('out/articles/titlu-a-2.html')).toContain('Alt paragraf a.');
  });
});
