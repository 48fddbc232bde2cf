import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listArticles, walkArticles } from '../../src/ingest/list-articles.js';
import { RUN_LIMIT_MS } from '../helpers.js';

/**
 * The listing builds each path from its folder's (no path.relative per entry) and reads names
 * as text unless a folder holds one that is not UTF-8: both paths must give the same names.
 */
const root = mkdtempSync(join(tmpdir(), 'feedkeeper-list-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const file = (rel: string): void => {
  mkdirSync(join(root, rel, '..'), { recursive: true });
  writeFileSync(join(root, rel), 'A | B\n\nText.\n');
};

describe('listArticles', () => {
  it('lists nested articles by their path from the root, sorted, skipping hidden ones', () => {
    file('articles/b.txt');
    file('articles/2026/11/a.md');
    file('articles/2026/notes.json');
    file('articles/.hidden.txt');
    file('articles/.drafts/x.txt');
    const listed = listArticles(join(root, 'articles'), root);
    expect(listed.map((l) => l.path)).toEqual(['articles/2026/11/a.md', 'articles/b.txt']);
    expect(listed[0]!.absPath).toBe(join(root, 'articles', '2026', '11', 'a.md'));
    expect(listed[0]!.stat.size).toBe(13);
    expect(listed.every((l) => l.problem === undefined)).toBe(true);
  });

  it('reads .markdown as an article and names every other file it does not read, but leftovers and assets', () => {
    file('ext/2026-11-30-jekyll.markdown');
    file('ext/2026-11-30-notes.text');
    file('ext/sub/story.html');
    file('ext/sub/photo.jpg');
    file('ext/sub/clip.MP4');
    file('ext/sub/report.pdf');
    file('ext/a.md~');
    file('ext/a.md.swp');
    file('ext/#a.md#');
    file('ext/.hidden.text');
    mkdirSync(join(root, 'ext', 'images'));
    const listing = walkArticles(join(root, 'ext'), root);
    expect(listing.articles().map((l) => l.path)).toEqual(['ext/2026-11-30-jekyll.markdown']);
    // A page bundle's pictures and documents are not stories: naming each on every run would
    // bury the one that is.
    expect(listing.ignored).toEqual(['ext/2026-11-30-notes.text', 'ext/sub/story.html']);
  });

  it('tells a name that holds U+FFFD from one that is not UTF-8, in the same folder', () => {
    const dir = join(root, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'real-\uFFFD.txt'), 'A | B\n\nText.\n');
    writeFileSync(
      Buffer.concat([Buffer.from(`${dir}/st`), Buffer.from([0xba]), Buffer.from('ire.txt')]),
      'x',
    );
    file('mixed/sub/c.txt');
    const listed = listArticles(dir, root);
    expect(listed.map((l) => [l.path, l.problem?.code ?? null])).toEqual([
      ['mixed/real-\uFFFD.txt', null],
      ['mixed/st\\xbaire.txt', 'ARTICLE_NAME_NOT_UTF8'],
      ['mixed/sub/c.txt', null],
    ]);
  });

  it('names a link by its own path and reads the file it points to, one that is not listed', () => {
    const dir = join(root, 'linked');
    // A hidden folder and a name that is not an article's: never listed at their own paths.
    file('linked/.store/one.txt');
    file('linked/two.text');
    symlinkSync(join(dir, '.store', 'one.txt'), join(dir, 'alias.txt'));
    symlinkSync('two.text', join(dir, 'b.txt'));
    const listed = listArticles(dir, root);
    expect(listed.map((l) => [l.path, l.absPath])).toEqual([
      ['linked/alias.txt', join(dir, '.store', 'one.txt')],
      ['linked/b.txt', join(dir, 'two.text')],
    ]);
  });

  it('skips a link to an article listed at its own path: the file is the article', () => {
    const dir = join(root, 'aliases');
    file('aliases/b.txt');
    file('aliases/real/one.txt');
    // Both sort before the file they name: listed too, they held its record.
    symlinkSync('b.txt', join(dir, 'a.txt'));
    symlinkSync(join(dir, 'real', 'one.txt'), join(dir, 'alias.md'));
    // A chain of links ends at the file, which is listed.
    symlinkSync('a.txt', join(dir, '0.txt'));
    const listed = listArticles(dir, root);
    expect(listed.map((l) => [l.path, l.absPath, l.problem?.code])).toEqual([
      ['aliases/b.txt', join(dir, 'b.txt'), undefined],
      ['aliases/real/one.txt', join(dir, 'real', 'one.txt'), undefined],
    ]);
  });

  // It was called a link "outside the articles folder", which it is not.
  it('a link back into a folder it is in is called a loop, and skipped', () => {
    const dir = join(root, 'loops');
    file('loops/a.txt');
    file('loops/sub/b.txt');
    symlinkSync('.', join(dir, 'loop.md'));
    symlinkSync('..', join(dir, 'sub', 'up.txt'));
    symlinkSync('sub', join(dir, 'side.txt')); // not a loop: a link to a folder it is not in
    const listed = listArticles(dir, root);
    expect(listed.map((l) => [l.path, l.problem?.code])).toEqual([
      ['loops/a.txt', undefined],
      ['loops/loop.md', 'ARTICLE_NOT_A_FILE'],
      ['loops/side.txt', 'ARTICLE_NOT_A_FILE'],
      ['loops/sub/b.txt', undefined],
      ['loops/sub/up.txt', 'ARTICLE_NOT_A_FILE'],
    ]);
    const message = (p: string): string => listed.find((l) => l.path === p)?.problem?.message ?? '';
    expect(message('loops/loop.md')).toBe(
      'is a symbolic link to loops, a folder it is in: a loop back into the articles folder, not an article; it is skipped (the articles in that folder are read at their own paths).',
    );
    expect(message('loops/sub/up.txt')).toContain('is a symbolic link to loops, a folder it is in');
    expect(message('loops/side.txt')).not.toContain('loop');
    for (const p of ['loops/loop.md', 'loops/sub/up.txt'])
      expect(message(p)).not.toContain('outside');
  });

  it('the articles folder being the root itself gives bare names', () => {
    const dir = join(root, 'flat');
    file('flat/z.txt');
    expect(listArticles(dir, dir).map((l) => l.path)).toEqual(['z.txt']);
  });
});

describe('an article out of reach', () => {
  it('a path over the system limit is reported (it was skipped without a word), the rest listed', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-deep-'));
    mkdirSync(join(dir, 'articles'));
    writeFileSync(join(dir, 'articles', 'near.txt'), 'A | B\n\nText.\n');
    // 80 folders of 61 bytes: over Linux's 4,096-byte PATH_MAX, made one chdir at a time.
    const made = spawnSync(
      process.execPath,
      [
        '-e',
        `const fs = require('node:fs');
process.chdir('articles');
for (let i = 0; i < 80; i++) { const d = 'e'.repeat(60) + i; fs.mkdirSync(d); process.chdir(d); }
fs.writeFileSync('deep.txt', 'Deep\\n\\nBody.\\n');`,
      ],
      { cwd: dir, encoding: 'utf8', timeout: RUN_LIMIT_MS },
    );
    expect(made.status, made.stderr).toBe(0);
    const listed = listArticles(join(dir, 'articles'), dir);
    expect(listed.filter((l) => !l.problem).map((l) => l.path)).toEqual(['articles/near.txt']);
    const out = listed.filter((l) => l.problem);
    expect(out).toHaveLength(1);
    expect(out[0]?.problem?.code).toBe('ARTICLE_UNREADABLE');
    expect(out[0]?.problem?.message).toContain('ENAMETOOLONG');
    spawnSync('rm', ['-rf', dir], { timeout: RUN_LIMIT_MS });
  });
});
