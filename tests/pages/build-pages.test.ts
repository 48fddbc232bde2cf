import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadPageState } from '../../src/pipeline/page-state.js';
import { startServer } from '../../src/serve/server.js';
import { jsonOf, makeProject, sampleBytes } from '../helpers.js';
import { fileOfUrl } from './static-server.js';

interface Report {
  archive: { added: string[]; withdrawn: string[] };
  feeds: { written: string[] } | null;
  written: string[];
  issues: { code: string }[];
}

const SLUG = 'putin-face-o-vizita-rara-la-minsk-pentru-discutii-cu-liderul-belarus';
const BASE = 'https://news.example.org';

/** Every URL under baseUrl that a feed holds (item links, home and self links). */
const linksIn = (text: string): string[] => [
  ...new Set(text.match(/https:\/\/news\.example\.org[^"<\s&]*/g) ?? []),
];

describe('build writes the pages every feed links to (compiled CLI)', () => {
  it('front page, month page and the sample article page; every feed link resolves to a file', () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const r = p.cli('build', '--json');
    expect(r.status).toBe(0);
    const report = jsonOf<Report>(r);
    expect(report.issues).toEqual([]);
    const month = report.archive.added[0]?.slice(0, 7) ?? '';
    const out = join(p.dir, 'out');
    for (const f of ['index.html', `archive/${month}/index.html`, `articles/${SLUG}.html`])
      expect(existsSync(join(out, f)), f).toBe(true);
    const links = ['rss.xml', 'atom.xml', 'feed.json'].flatMap((f) =>
      linksIn(readFileSync(join(out, f), 'utf8').replaceAll('\\/', '/')),
    );
    expect(links).toContain(`${BASE}/articles/${SLUG}.html`);
    expect(links).toContain(`${BASE}/`);
    for (const url of links) expect(existsSync(join(out, fileOfUrl(url, BASE))), url).toBe(true);

    // Nothing changed: nothing is read or written.
    const again = jsonOf<Report>(p.cli('build', '--json'));
    expect(again.written).toEqual([]);
  });

  it('a new article writes its page, its month and the front page (and the feeds), nothing else', () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    p.write('a.txt', 'First story | Tech\n\nThe first body.\n');
    expect(p.cli('build').status).toBe(0);
    p.write('b.txt', 'Second story | Tech\n\nThe second body.\n');
    const r = jsonOf<Report>(p.cli('build', '--json'));
    expect(r.issues).toEqual([]);
    const month = r.archive.added[0]?.slice(0, 7) ?? '';
    const pages = (r.feeds?.written ?? []).filter((w) => w.endsWith('.html')).sort();
    expect(pages).toEqual([
      `archive/${month}/index.html`,
      'articles/second-story.html',
      'index.html',
    ]);
    expect(p.read('out/index.html')).toContain('href="articles/second-story.html"');
  });

  it("a new article's month part is made from its records: list entries in the page state (its shape before 2026-11-30) are neither trusted nor kept", () => {
    const p = makeProject();
    p.write('a.txt', 'First story | Tech\n\nThe first body.\n');
    p.write('c.txt', 'Third story | Tech\n\nThe third body.\n');
    expect(p.cli('build').status).toBe(0);
    // .feedkeeper/pages.json as a state of version 4 left it (every row in it: a header line,
    // then one `[path, stamp, file],` line per record), each row with the list entry versions
    // before 2026-11-30 kept, with a false title and summary: the month part must still say
    // what the records say.
    const stateDir = join(p.dir, '.feedkeeper');
    const statePath = join(stateDir, 'pages.json');
    const saved = loadPageState(stateDir);
    expect(saved).not.toBeNull();
    const entry = { title: 'Title from the page state', summary: 'Summary from the page state' };
    const rows = [
      ...[...(saved?.records.all() ?? [])].map(([path, [stamp, file]]) =>
        JSON.stringify([path, stamp, file, entry]),
      ),
      ...[...(saved?.parts ?? [])].map(([name, key]) => JSON.stringify([`part:${name}`, key, ''])),
    ];
    const header = {
      ...saved,
      version: 4,
      id: 'old',
      records: undefined,
      parts: undefined,
      saved: undefined,
    };
    writeFileSync(
      statePath,
      `${JSON.stringify({ ...header, rows: [] }).slice(0, -2)}\n${rows.join(',\n')}\n]}\n`,
    );
    rmSync(join(stateDir, 'pages'), { recursive: true });
    rmSync(join(stateDir, 'pages.journal'), { force: true });
    expect(readFileSync(statePath, 'utf8')).toContain('Summary from the page state');
    p.write('b.txt', 'Second story | Tech\n\nThe second body.\n');
    const r = jsonOf<Report>(p.cli('build', '--json'));
    expect(r.issues).toEqual([]);
    const month = p.read(`out/archive/${r.archive.added[0]?.slice(0, 7) ?? ''}/index.html`);
    expect(month).not.toContain('from the page state');
    for (const title of ['First', 'Second', 'Third'])
      expect(month).toContain(`>${title} story</a>`);
    expect(month).toContain('The first body.');
    expect(readFileSync(statePath, 'utf8')).not.toContain('from the page state');
  });

  it('a withdrawn article keeps a notice page at its URL, marked 410 for a server', async () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const a = p.write('a.txt', 'First story | Tech\n\nThe first body.\n');
    expect(p.cli('build').status).toBe(0);
    rmSync(a);
    const r = jsonOf<Report>(p.cli('build', '--json'));
    expect(r.archive.withdrawn).toHaveLength(1);
    expect(r.feeds?.written).toContain('articles/first-story.html');
    const page = p.read('out/articles/first-story.html');
    expect(page).toContain('<h1>First story</h1>');
    expect(page).toMatch(
      /This article was withdrawn on <time datetime="[^"]+Z">|Acest articol a fost retras la/,
    );
    expect(page).not.toContain('The first body.');
    expect(p.read('out/index.html')).not.toContain('first-story');
    // A .gone marker beside the notice page (publish/gone-markers.ts): serve, nginx and Caddy
    // answer it with 410; the live article's page has none and is answered with 200.
    expect(existsSync(join(p.dir, 'out/articles/first-story.html.gone'))).toBe(true);
    expect(existsSync(join(p.dir, `out/articles/${SLUG}.html.gone`))).toBe(false);
    const server = await startServer({
      outDir: join(p.dir, 'out'),
      stateDir: join(p.dir, '.feedkeeper'),
      host: '127.0.0.1',
      port: 0,
      log: null,
    });
    try {
      const base = `http://127.0.0.1:${server.address.port}`;
      const gone = await fetch(`${base}/articles/first-story.html`);
      expect(gone.status).toBe(410);
      expect(gone.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(await gone.text()).toBe(page);
      expect((await fetch(`${base}/articles/${SLUG}.html`)).status).toBe(200);
    } finally {
      await server.close();
    }
    expect(p.cli('check').status).toBe(0);
  });

  it('a deleted out/ is written again whole, pages included', () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    rmSync(join(p.dir, 'out'), { recursive: true });
    expect(p.cli('build').status).toBe(0);
    expect(existsSync(join(p.dir, 'out', 'articles', `${SLUG}.html`))).toBe(true);
    expect(existsSync(join(p.dir, 'out', 'index.html'))).toBe(true);
  });
});
