import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { removeOutputs } from '../../src/publish/publish-pages.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * A front-matter url whose page would stand at a name feedkeeper derives from another output
 * (render/page-paths.ts): the compressed copies and the 410 marker beside a file. Found by the
 * outside try attackG (#5, #6): accepted without a word, its page made a folder of that name,
 * and every later run failed or crashed once the other file needed its copy or its marker.
 */
const BODY = 'Corpul articolului, destul de lung pentru o pagină întreagă.';
const ME = 'https://news.example.org';

describe('a front-matter url with a part ending in .gz, .br or .gone', () => {
  it('gets no page and a warning; the article of that name later gets its page and copies', () => {
    const p = makeProject();
    p.write('a.txt', `Primul titlu\n\n${BODY}\n`);
    p.write(
      'notes.md',
      `---\ntitle: Note\nurl: ${ME}/articles/rezultate.html.gz/note\n---\n${BODY} Note.\n`,
    );
    const first = p.cli('build');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(
      /warning PAGE_URL_UNUSABLE archive\/records\/\d{4}\/\d{2}\/note\.json: .*"rezultate\.html\.gz"/,
    );
    p.write('r.txt', `Rezultate\n\n${BODY} Rezultatele.\n`);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    const page = join(p.dir, 'out', 'articles', 'rezultate.html');
    // The copy is a file of the page's bytes, not a folder of the other article's page.
    expect(statSync(`${page}.gz`).isFile()).toBe(true);
    expect(gunzipSync(readFileSync(`${page}.gz`)).equals(readFileSync(page))).toBe(true);
    expect(p.cli('check', '-q').status).toBe(0);
  });

  it('a .gone part: the article of that name withdrawn and back publishes each time', () => {
    const p = makeProject();
    const welcome = `Bun venit\n\n${BODY}\n`;
    p.write('w.txt', welcome);
    expect(p.cli('build', '-q').status).toBe(0);
    p.write(
      'notes.md',
      `---\ntitle: Note\nurl: ${ME}/articles/bun-venit.html.gone/note\n---\n${BODY} Note.\n`,
    );
    const noted = p.cli('build');
    expect(noted.status, noted.stderr).toBe(0);
    expect(noted.stderr).toContain('"bun-venit.html.gone"');
    const marker = join(p.dir, 'out', 'articles', 'bun-venit.html.gone');

    rmSync(join(p.articles, 'w.txt'));
    const gone = p.cli('build');
    expect(gone.status, gone.stderr).toBe(0);
    expect(statSync(marker).isFile()).toBe(true);

    // It crashed here with a stack trace (rm of the "marker", a folder), and on every run after.
    writeFileSync(join(p.articles, 'w.txt'), welcome);
    const back = p.cli('build');
    expect(back.status, back.stderr).toBe(0);
    expect(statSync(marker, { throwIfNoEntry: false })).toBeUndefined();
    expect(p.read('out/articles/bun-venit.html')).toContain(BODY);
  });
});

describe('a front-matter url below a page name not used yet', () => {
  it('gets the warning, not the article whose page that name is', () => {
    // attackG #11: accepted because no page stood there yet, it took articles/x.html as a
    // folder; the later article "X" got no page (its feed link a 404) and a hint to remove a
    // url: it did not have.
    const p = makeProject();
    p.write('a.txt', `Primul titlu\n\n${BODY}\n`);
    p.write(
      'notes.md',
      `---\ntitle: Note\nurl: ${ME}/articles/rezultate.html/note\n---\n${BODY} Note.\n`,
    );
    const first = p.cli('build');
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(
      /warning PAGE_URL_UNUSABLE archive\/records\/\d{4}\/\d{2}\/note\.json: .*it is below rezultate\.html/,
    );
    expect(first.stderr).toContain('hint: Give it a url of letters');
    p.write('r.txt', `Rezultate\n\n${BODY} Rezultatele.\n`);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toMatch(/PAGE_URL_UNUSABLE \S+rezultate\.json/);
    expect(statSync(join(p.dir, 'out', 'articles', 'rezultate.html')).isFile()).toBe(true);
    expect(p.read('out/articles/rezultate.html')).toContain('Rezultatele.');
  });

  it('an article without url: that cannot have its page is told so, and what holds it', () => {
    // The hint is about what stands there, not about a url: it does not have (attackG #11).
    const p = makeProject();
    p.write('a.txt', `Primul titlu\n\n${BODY}\n`);
    expect(p.cli('build', '-q').status).toBe(0);
    mkdirSync(join(p.dir, 'out', 'articles', 'mare.html'), { recursive: true });
    writeFileSync(join(p.dir, 'out', 'articles', 'mare.html', 'index.html'), 'x');
    p.write('m.txt', `Mare\n\n${BODY} Mare.\n`);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(
      /warning PAGE_URL_UNUSABLE \S+\/mare\.json: .*articles\/mare\.html in out\/ is a folder/,
    );
    expect(r.stderr).toContain('its article has no url: in front matter');
    expect(r.stderr).not.toContain('remove url:');
  });
});

describe('a front-matter url naming a page file no record has yet (attackA #4)', () => {
  /** Each JSON Feed item's title → its link. */
  const links = (p: Project): Record<string, string> =>
    Object.fromEntries(
      (
        JSON.parse(p.read('out/feed.json')) as { items: { title: string; url: string }[] }
      ).items.map((i) => [i.title, i.url]),
    );
  const other = `---\ntitle: Alt titlu\nurl: ${ME}/articles/mare.html\n---\n${BODY} Alt.\n`;
  const mare = `Mare\n\n${BODY} Mare.\n`;
  /** Each story has its own page and its feed link opens it. */
  const ownPages = (p: Project, minted: string): void => {
    expect(links(p)).toEqual({
      'Alt titlu': `${ME}/articles/mare.html`,
      Mare: `${ME}/articles/${minted}.html`,
    });
    expect(p.read('out/articles/mare.html')).toContain('Alt.');
    expect(p.read(`out/articles/${minted}.html`)).toContain('Mare.');
    expect(p.cli('check', '-q').status).toBe(0);
  };

  it('the url first, the article whose page that name would be later: it is minted another', () => {
    const p = makeProject();
    p.write('other.md', other);
    expect(p.cli('build', '-q').status).toBe(0);
    p.write('m.txt', mare);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('PAGE_URL_UNUSABLE');
    ownPages(p, 'mare-2');
  });

  it.each([
    ['the minted one first in path order', 'm.txt', 'other.md'],
    ['the url first in path order', 'z-mare.txt', '0-other.md'],
  ])('both in one run (%s): the minted one takes another slug', (_, minted, declared) => {
    const p = makeProject();
    p.write(minted, mare);
    p.write(declared, other);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('PAGE_URL_UNUSABLE');
    ownPages(p, 'mare-2');
  });

  it('the article minted first keeps its slug: the url that came later gets the warning', () => {
    const p = makeProject();
    p.write('m.txt', mare);
    expect(p.cli('build', '-q').status).toBe(0);
    p.write('other.md', other);
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/warning PAGE_URL_UNUSABLE \S+\/alt-titlu\.json: /);
    expect(p.read('out/articles/mare.html')).toContain('Mare.');
    expect(links(p)['Mare']).toBe(`${ME}/articles/mare.html`);
  });
});

describe('a page published at such a name before (removed by build --full)', () => {
  it('takes the folders it leaves empty with it, so the copy of the file beside them can be made', () => {
    // The orphan's files went, its folders stayed: `articles/x.html.gz/` still stood where
    // x.html's copy goes, and every run failed with EISDIR.
    const p = makeProject();
    const out = join(p.dir, 'out');
    mkdirSync(join(out, 'articles', 'x.html.gz', 'note'), { recursive: true });
    writeFileSync(join(out, 'articles', 'x.html'), 'x');
    for (const f of ['index.html', 'index.html.gz', 'index.html.br'])
      writeFileSync(join(out, 'articles', 'x.html.gz', 'note', f), 'n');
    mkdirSync(join(out, '2026', 'keep'), { recursive: true });
    writeFileSync(join(out, '2026', 'keep', 'index.html'), 'k');
    writeFileSync(join(out, '2026', 'other.html'), 'o');
    expect(
      removeOutputs(out, ['articles/x.html.gz/note/index.html', '2026/keep/index.html']),
    ).toEqual([
      'articles/x.html.gz/note/index.html',
      'articles/x.html.gz/note/index.html.gz',
      'articles/x.html.gz/note/index.html.br',
      '2026/keep/index.html',
    ]);
    expect(existsSync(join(out, 'articles', 'x.html.gz'))).toBe(false);
    expect(existsSync(join(out, '2026', 'keep'))).toBe(false);
    // A folder that still holds something stays, and so does out/.
    expect(existsSync(join(out, 'articles', 'x.html'))).toBe(true);
    expect(existsSync(join(out, '2026', 'other.html'))).toBe(true);
  });
});
