import { existsSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, filesHolding, makeProject } from '../helpers.js';

/**
 * A page no record has any more is removed (pipeline/render-pages.ts `orphans`): the page a
 * record had at a URL it no longer has. Found by the outside try: the old page was never
 * rendered again, so an article withdrawn after its url changed stayed readable there, whole.
 */
const BODY = 'Corpul secret al articolului, destul de lung pentru o pagină.';

describe('a page its record left', () => {
  it('is removed with its copies when the url changes, and nothing of a later withdrawal stays', () => {
    const p = makeProject();
    p.write('m.md', `---\ntitle: Mutat\n---\n${BODY}\n`);
    expect(p.cli('build', '-q').status).toBe(0);
    const old = join(p.dir, 'out', 'articles', 'mutat.html');
    expect(existsSync(old)).toBe(true);
    expect(existsSync(`${old}.gz`)).toBe(true);

    p.write(
      'm.md',
      `---\ntitle: Mutat\nurl: https://news.example.org/2026/mutat\n---\n${BODY}\n`,
      30,
    );
    const moved = p.cli('build');
    expect(moved.status, moved.stderr).toBe(0);
    for (const f of [old, `${old}.gz`, `${old}.br`]) expect(existsSync(f), f).toBe(false);
    expect(p.read('out/2026/mutat/index.html')).toContain(BODY);
    expect(filesHolding(p, BODY).filter((f) => f.startsWith('out/articles/'))).toEqual([]);

    // Withdrawn: its notice page at its url, and its text nowhere.
    p.write(
      'm.md',
      `---\ntitle: Mutat\nurl: https://news.example.org/2026/mutat\ndraft: true\n---\n${BODY}\n`,
      20,
    );
    expect(p.cli('build', '-q').status).toBe(0);
    expect(filesHolding(p, BODY)).toEqual([]);
    expect(existsSync(join(p.dir, 'out', '2026', 'mutat', 'index.html.gone'))).toBe(true);
    expect(p.cli('check', '-q').status).toBe(0);
  });

  it('of two new records that want one file, the minted one takes another slug', () => {
    // In record order, `alfa` (a url naming zeta's page) came first and took it: zeta's feed
    // link then opened alfa's story (found by the outside try). Then zeta kept it and alfa got
    // PAGE_URL_UNUSABLE (attackA #4); now zeta is minted a slug whose page nobody names.
    const p = makeProject();
    p.write('z.md', `---\ntitle: Zeta\n---\n${BODY}\n`);
    p.write(
      'a.md',
      `---\ntitle: Alfa\nurl: https://news.example.org/articles/zeta.html\n---\nAlt text.\n`,
    );
    const r = p.cli('build');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).not.toContain('PAGE_URL_UNUSABLE');
    expect(p.read('out/articles/zeta-2.html')).toContain('Zeta');
    expect(p.read('out/articles/zeta.html')).toContain('Alt text.');
  });

  it('is kept when another record takes its file in the same run', () => {
    const p = makeProject({ ...BASE_CONFIG });
    p.write('a.md', `---\ntitle: Primul\n---\n${BODY}\n`);
    expect(p.cli('build', '-q').status).toBe(0);
    // Primul moves away; a new article takes its old address.
    p.write(
      'a.md',
      `---\ntitle: Primul\nurl: https://news.example.org/alt/primul\n---\n${BODY}\n`,
      30,
    );
    p.write(
      'b.md',
      `---\ntitle: Al doilea\nurl: https://news.example.org/articles/primul.html\n---\nAlt text.\n`,
    );
    expect(p.cli('build', '-q').status).toBe(0);
    expect(p.read('out/articles/primul.html')).toContain('Al doilea');
    expect(p.read('out/alt/primul/index.html')).toContain('Primul');
  });
});

describe('a month folder deleted by hand', () => {
  it('gets its month page back with its feed documents from the next run', () => {
    // The run said the folder was removed and wrote the feed documents in it, not the page
    // beside them: every link to the month was dead until build --full (outside try).
    const p = makeProject();
    p.write('old.md', `---\ntitle: Vechi\ndate: 2026-05-02\n---\n${BODY}\n`);
    expect(p.cli('build', '-q').status).toBe(0);
    rmSync(join(p.dir, 'out', 'archive', '2026', '05'), { recursive: true });
    const r = p.cli('build', '--json');
    expect(r.status).toBe(0);
    // What it put back is said (it said "every file already up to date").
    expect(JSON.parse(r.stdout).feeds.written).toEqual(
      expect.arrayContaining(['archive/2026/05/rss.xml', 'archive/2026/05/index.html']),
    );
    expect(p.read('out/archive/2026/05/index.html')).toContain('Vechi');
    expect(existsSync(join(p.dir, 'out', 'archive', '2026', '05', 'rss.xml'))).toBe(true);
    expect(p.cli('archive', 'verify', '-q').status).toBe(0);
  });
});

describe('an archive month emptied by withdrawals', () => {
  it('loses its month page, its RFC 5005 documents and their copies; the chain links over it; an article brings it back', () => {
    // The month page was rendered once more, listing nothing, and kept: no page linked it
    // any more (the front page and the neighbour months list months with articles).
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 1 } });
    const old = `---\ntitle: Vechi\ndate: 2026-05-02\n---\n${BODY}\n`;
    p.write(
      'older.md',
      `---\ntitle: Mai vechi\ndate: 2026-04-02\n---\nAlt text, destul de lung.\n`,
    );
    p.write('old.md', old);
    p.write('new.md', `---\ntitle: Nou\ndate: 2026-06-02\n---\nAlt text, destul de lung.\n`);
    expect(p.cli('build', '-q').status).toBe(0);
    const page = join(p.dir, 'out', 'archive', '2026', '05', 'index.html');
    expect(p.read('out/archive/2026/05/index.html')).toContain('Vechi');
    expect(existsSync(`${page}.gz`)).toBe(true);

    rmSync(join(p.articles, 'old.md'));
    const r = p.cli('build', '--json');
    expect(r.status, r.stderr).toBe(0);
    for (const f of [page, `${page}.gz`, `${page}.br`]) expect(existsSync(f), f).toBe(false);
    // Said among the files the run wrote or removed, as an orphan article page is.
    expect((JSON.parse(r.stdout) as { written: string[] }).written).toContain(
      'out/archive/2026/05/index.html',
    );
    // Nor RFC 5005 documents: a feed of no entries, which readers refuse (feed-extractor). The
    // chain links over the month (section 4), and the folder is gone.
    expect(existsSync(join(p.dir, 'out', 'archive', '2026', '05'))).toBe(false);
    expect(p.read('out/archive/2026/04/atom.xml')).toContain(
      'rel="next-archive" href="https://news.example.org/archive/2026/06/atom.xml"',
    );
    expect(p.read('out/archive/2026/06/rss.xml')).toContain(
      'rel="prev-archive" href="https://news.example.org/archive/2026/04/rss.xml"',
    );
    expect(p.read('out/index.html')).not.toContain('2026/05');
    expect(p.read('out/archive/2026/06/index.html')).not.toContain('2026/05');
    expect(p.cli('check', '-q').status).toBe(0);
    expect(p.cli('archive', 'verify', '-q').status).toBe(0);
    // Nothing to do next time, and the page stays away.
    const again = p.cli('build', '--json');
    expect(again.status).toBe(0);
    expect(existsSync(page)).toBe(false);

    p.write('old.md', old);
    expect(p.cli('build', '-q').status).toBe(0);
    expect(p.read('out/archive/2026/05/index.html')).toContain('Vechi');
    expect(p.read('out/archive/2026/05/atom.xml')).toContain('Vechi');
    expect(p.read('out/index.html')).toContain('archive/2026/05/');
    expect(p.read('out/archive/2026/04/atom.xml')).toContain(
      'rel="next-archive" href="https://news.example.org/archive/2026/05/atom.xml"',
    );
    // The newest month withdrawn: the subscription documents link the newest left (2026/05).
    rmSync(join(p.articles, 'new.md'));
    expect(p.cli('build', '-q').status).toBe(0);
    expect(existsSync(join(p.dir, 'out', 'archive', '2026', '06'))).toBe(false);
    expect(p.read('out/atom.xml')).toContain(
      'rel="prev-archive" href="https://news.example.org/archive/2026/05/atom.xml"',
    );
    expect(p.read('out/archive/2026/05/feed.json')).not.toContain('next_archive');
    expect(p.cli('check', '-q').status).toBe(0);
  });
});
