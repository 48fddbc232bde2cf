import { existsSync, rmSync, truncateSync } from 'node:fs';
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
