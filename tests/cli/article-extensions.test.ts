import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { check } from '../../src/api/check.js';
import { jsonOf, makeProject, recordsOf } from '../helpers.js';

/**
 * The articles folder reads .md, .markdown (Jekyll's default extension) and .txt; any other
 * file in it is named in a warning on every run, quiet or not, instead of never being
 * published without a word (the outside try "attackI", finding 3).
 */
describe('files in the articles folder that are not .md or .txt', () => {
  const p = makeProject();
  afterAll(() => rmSync(p.dir, { recursive: true, force: true }));
  p.write('2026-11-30-jekyll.markdown', 'Jekyll story\n\nThe body of a story moved from Jekyll.\n');
  p.write('2026-11-30-notes.text', 'Text story\n\nThe body of a story with a .text name.\n');
  p.write('2026-11-30-notes.md~', 'An editor backup\n\nNot an article and not reported.\n');

  it('archives a .markdown article with its file-name date and warns about the .text file', () => {
    const r = p.cli('build', '--json');
    expect(r.status, r.stderr).toBe(0);
    const records = recordsOf(p);
    expect(records.map((x) => [x.title, x.publishedAt])).toEqual([
      ['Jekyll story', '2026-11-30T00:00:00Z'],
    ]);
    const problems = jsonOf<{ problems: { code: string; file: string; severity: string }[] }>(
      r,
    ).problems;
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_EXTENSION_IGNORED',
        severity: 'warning',
        file: 'archive/articles/2026-11-30-notes.text',
      }),
    ]);
  });

  it('says it again on a run with nothing to do, once, naming the extensions it reads', () => {
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('no file written');
    const lines = r.stderr.split('\n').filter((l) => l.includes('ARTICLE_EXTENSION_IGNORED'));
    expect(lines).toEqual([
      'warning ARTICLE_EXTENSION_IGNORED archive/articles/2026-11-30-notes.text: is not read: only .md, .markdown and .txt files are articles.',
    ]);
    expect(r.stderr).not.toContain('md~');
  });

  it('check says it too, as a warning: out/ is right, so it exits 0 (it said nothing)', async () => {
    const r = p.cli('check');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^check: .* are well-formed/);
    expect(r.stderr.split('\n').filter((l) => l.includes('ARTICLE_EXTENSION_IGNORED'))).toEqual([
      'warning ARTICLE_EXTENSION_IGNORED archive/articles/2026-11-30-notes.text: is not read: only .md, .markdown and .txt files are articles.',
    ]);
    const json = await check({ config: join(p.dir, 'feedkeeper.config.json') });
    expect(json.ok).toBe(true);
    expect(json.problems.map((i) => [i.code, i.file])).toEqual([
      ['ARTICLE_EXTENSION_IGNORED', 'archive/articles/2026-11-30-notes.text'],
    ]);
  });
});
