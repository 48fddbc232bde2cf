import { existsSync, renameSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkWith } from '../../src/api/check.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * A published file or one of its `.gz` / `.br` copies deleted, cut or changed by hand, in any
 * folder of out/ (found by an outside try: a copy deleted under out/archive/<month>/ was noticed
 * by no build and not looked at by `check`). `check` names each (PAGE_MISSING,
 * COPY_NOT_AS_PUBLISHED); a build puts back what was deleted (the folder's stamp moved: every
 * folder the publication wrote into is stamped), `build --full` what was changed in place; and
 * a run with nothing to do still reads no file.
 */
const at = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));

async function published(): Promise<Project> {
  const p = makeProject();
  p.write(
    'one.txt',
    'Story one | Tech\n\nThe first body, long enough to be compressed. '.repeat(8),
  );
  p.write(
    'two.txt',
    'Story two | Tech\n\nThe second body, long enough to be compressed. '.repeat(8),
  );
  const r = await runOnce(p.context(at(8)), { dryRun: false });
  expect(r.feeds?.published).toBe(true);
  return p;
}

const problemsOf = async (p: Project, h: number): Promise<string[]> =>
  (await checkWith(p.context(at(h)))).problems.map((i) => `${i.code} ${i.file}`);

describe('copies and pages in every folder of out/', () => {
  it('a deleted copy or page anywhere is named by check and put back by the next build', async () => {
    const p = await published();
    expect(await problemsOf(p, 9)).toEqual([]);
    const page = (await runOnce(p.context(at(9)), { dryRun: false })).feeds;
    expect(page?.rendered).toBe(false);
    const month = 'archive/2026/11';
    for (const [gone, said] of [
      [`${month}/rss.xml.gz`, `COPY_NOT_AS_PUBLISHED out/${month}/rss.xml`],
      [`${month}/index.html.br`, `COPY_NOT_AS_PUBLISHED out/${month}/index.html`],
      [`${month}/index.html`, `PAGE_MISSING out/${month}/index.html`],
      ['articles/story-one.html.gz', 'COPY_NOT_AS_PUBLISHED out/articles/story-one.html'],
      ['atom.xml.br', 'COPY_NOT_AS_PUBLISHED out/atom.xml'],
    ] as const) {
      expect(existsSync(join(p.dir, 'out', gone)), gone).toBe(true);
      rmSync(join(p.dir, 'out', gone));
      expect(await problemsOf(p, 10), gone).toContain(said);
      const r = await runOnce(p.context(at(10)), { dryRun: false });
      expect(r.feeds?.reason, gone).toContain(`was deleted, added or renamed`);
      expect(existsSync(join(p.dir, 'out', gone)), gone).toBe(true);
      expect(await problemsOf(p, 10), gone).toEqual([]);
      expect((await runOnce(p.context(at(11)), { dryRun: false })).feeds?.rendered, gone).toBe(
        false,
      );
    }
  });

  it('a copy cut in place is named by check; build --full makes it again', async () => {
    const p = await published();
    const copy = join(p.dir, 'out', 'archive', '2026', '11', 'atom.xml.gz');
    truncateSync(copy, 20);
    expect(await problemsOf(p, 9)).toEqual(['COPY_NOT_AS_PUBLISHED out/archive/2026/11/atom.xml']);
    const r = await runOnce(p.context(at(9)), { dryRun: false, full: true });
    expect(r.written).toContain('out/archive/2026/11/atom.xml.gz');
    expect(await problemsOf(p, 9)).toEqual([]);
  });
});

describe('a moved folder of out/ costs what changed in it, not every page', () => {
  it('a deleted copy, page or marker, or a page replaced by hand, is put back rendering a handful of pages', async () => {
    // Page validation on every page would make the cold build of 150 the whole test's time.
    const validate = process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'];
    process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';
    try {
      const p = makeProject();
      for (let i = 0; i < 150; i++)
        p.write(
          `s${i}.txt`,
          `Story ${i} | Tech\n\n${`The body of story ${i}, long enough to be compressed. `.repeat(8)}`,
        );
      const cold = await runOnce(p.context(at(8)), { dryRun: false });
      expect(cold.feeds?.pagesRendered).toBeGreaterThan(150);
      // One withdrawn, for its 410 marker.
      rmSync(join(p.articles, 's7.txt'));
      expect((await runOnce(p.context(at(9)), { dryRun: false })).feeds?.published).toBe(true);
      const out = (name: string): string => join(p.dir, 'out', name);
      const month = 'archive/2026/11';
      const handful = async (h: number, why: string): Promise<void> => {
        const r = await runOnce(p.context(at(h)), { dryRun: false });
        expect(r.feeds?.reason, why).toContain('was deleted, added or renamed');
        expect(r.feeds?.published, why).toBe(true);
        // The front page is rendered by every run that renders; and the page put back, no other.
        expect(r.feeds?.pagesRendered, why).toBeLessThanOrEqual(3);
        expect((await runOnce(p.context(at(h)), { dryRun: false })).feeds?.rendered, why).toBe(
          false,
        );
      };

      rmSync(out(`${month}/rss.xml.gz`));
      rmSync(out('articles/story-12.html'));
      await handful(10, 'a copy under the month and a page deleted');
      for (const f of [`${month}/rss.xml.gz`, 'articles/story-12.html'])
        expect(existsSync(out(f)), f).toBe(true);
      expect(p.read('out/articles/story-12.html')).toContain('The body of story 12');

      rmSync(out('articles/story-7.html.gone'));
      await handful(11, 'a 410 marker deleted');
      expect(existsSync(out('articles/story-7.html.gone'))).toBe(true);

      // Replaced by hand the way editors and `sed -i` do (a new file renamed over it).
      const page = out('articles/story-40.html');
      writeFileSync(`${page}.tmp`, p.read('out/articles/story-40.html').replace('story 40', 'X'));
      renameSync(`${page}.tmp`, page);
      rmSync(out(`${month}/index.html.br`));
      await handful(12, 'a page replaced and a month page copy deleted');
      expect(p.read('out/articles/story-40.html')).toContain('The body of story 40');
      expect(existsSync(out(`${month}/index.html.br`))).toBe(true);
      // `check` reads every file and decodes every copy: once, at the end.
      expect(await problemsOf(p, 12)).toEqual([]);
    } finally {
      if (validate === undefined) delete process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'];
      else process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = validate;
    }
  });
});
