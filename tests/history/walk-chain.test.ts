import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { CONFIG, FEED_SIZE, article, newsroom, seedOf, type Newsroom } from './newsroom.js';

/**
 * The RFC 5005 walk: from each subscription document, using only the links in the files (as a
 * reader does: section 4.2), collect every entry; the result must be exactly the published,
 * non-withdrawn records, each once in the archive documents, each with its latest revision.
 */
const BASE = `${CONFIG.site.baseUrl}/`;
const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  isArray: (name) => ['item', 'entry', 'link', 'atom:link'].includes(name),
});

interface Doc {
  readonly entries: { id: string; title: string; updated: string | undefined }[];
  readonly links: Record<string, string | undefined>;
  readonly archive: boolean;
  readonly complete: boolean;
}

const text = (v: unknown): string =>
  typeof v === 'object' && v !== null ? String((v as Record<string, unknown>)['#text']) : String(v);

function readDoc(g: Newsroom, format: 'rss' | 'atom' | 'json', url: string): Doc {
  expect(url.startsWith(BASE), url).toBe(true);
  const body = readFileSync(join(g.p.dir, 'out', url.slice(BASE.length)), 'utf8');
  if (format === 'json') {
    const f = JSON.parse(body) as Record<string, unknown>;
    const h = (f['_feed_history'] ?? {}) as Record<string, unknown>;
    // A JSON reader walks back by next_url; it must agree with the extension's prev_archive.
    expect(f['next_url']).toBe(h['prev_archive']);
    return {
      entries: (f['items'] as Record<string, string>[]).map((i) => ({
        id: i['id'] ?? '',
        title: i['title'] ?? '',
        updated: i['date_modified'],
      })),
      links: {
        'prev-archive': f['next_url'] as string | undefined,
        'next-archive': h['next_archive'] as string | undefined,
        current: h['current'] as string | undefined,
      },
      archive: h['archive'] === true,
      complete: h['complete'] === true,
    };
  }
  const tree = xml.parse(body) as Record<string, Record<string, unknown>>;
  const head = (format === 'rss' ? tree['rss']?.['channel'] : tree['feed']) as Record<
    string,
    unknown
  >;
  const links = (head[format === 'rss' ? 'atom:link' : 'link'] ?? []) as Record<string, string>[];
  const rel = (r: string): string | undefined => links.find((l) => l['@_rel'] === r)?.['@_href'];
  const items = (head[format === 'rss' ? 'item' : 'entry'] ?? []) as Record<string, unknown>[];
  return {
    entries: items.map((i) => ({
      id: text(format === 'rss' ? i['guid'] : i['id']),
      title: text(i['title']),
      updated: format === 'atom' ? text(i['updated']) : undefined,
    })),
    links: {
      'prev-archive': rel('prev-archive'),
      'next-archive': rel('next-archive'),
      current: rel('current'),
    },
    archive: 'fh:archive' in head,
    complete: 'fh:complete' in head,
  };
}

const SUBSCRIPTION = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;

/** Walk one format; returns each document's entries, subscription first. */
function walk(g: Newsroom, format: 'rss' | 'atom' | 'json'): { url: string; doc: Doc }[] {
  const start = `${BASE}${SUBSCRIPTION[format]}`;
  const seen: { url: string; doc: Doc }[] = [];
  let url: string | undefined = start;
  while (url !== undefined) {
    expect(
      seen.some((s) => s.url === url),
      `the chain loops at ${url}`,
    ).toBe(false);
    const doc = readDoc(g, format, url);
    if (seen.length === 0) {
      expect(doc.archive).toBe(false);
      expect(doc.complete).toBe(false);
    } else {
      expect(doc.archive, url).toBe(true);
      expect(doc.links.current, url).toBe(start);
      // next-archive leads back to the document we came from (none from the newest).
      const from = seen[seen.length - 1]?.url;
      expect(doc.links['next-archive'], url).toBe(seen.length === 1 ? undefined : from);
    }
    seen.push({ url, doc });
    url = doc.links['prev-archive'];
  }
  return seen;
}

describe('the RFC 5005 archive chain, walked by its links', () => {
  let g: Newsroom;
  let live: ArchiveRecord[];
  beforeAll(async () => {
    g = await newsroom(seedOf(), 420, 280);
    live = g.live();
  }, 600_000);
  afterAll(() => undefined);

  it('has several hundred live records, revisions, withdrawals and a month cut into parts', () => {
    expect(live.length).toBeGreaterThan(400);
    expect(live.filter((r) => r.revisions.length > 0).length).toBeGreaterThan(20);
    expect(g.dates.size).toBeLessThan(700);
    expect(existsSync(join(g.p.dir, 'out', 'archive', '2025', '06', '2', 'atom.xml'))).toBe(true);
  });

  for (const format of ['rss', 'atom', 'json'] as const) {
    it(`${format}: every live record exactly once in the archive, with its latest revision`, () => {
      const docs = walk(g, format);
      const [subscription, ...archive] = docs;
      expect(subscription?.doc.entries).toHaveLength(FEED_SIZE);
      const byId = new Map(live.map((r) => [r.id, r]));
      const counts = new Map<string, number>();
      for (const { url, doc } of archive)
        for (const e of doc.entries) {
          counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
          const r = byId.get(e.id);
          expect(r, `${url} lists ${e.id}, which is not a live record`).toBeDefined();
          expect(e.title, e.id).toBe(r?.title);
          if (e.updated !== undefined) expect(Date.parse(e.updated)).toBe(Date.parse(r!.updatedAt));
        }
      expect([...counts.keys()].sort()).toEqual([...byId.keys()].sort());
      expect([...counts.values()].every((n) => n === 1)).toBe(true);
      // The subscription document's entries are the newest, and are in the archive too.
      for (const e of subscription?.doc.entries ?? []) {
        expect(counts.get(e.id)).toBe(1);
        expect(e.title).toBe(byId.get(e.id)?.title);
      }
      // Oldest first once reversed: the documents are in time order.
      const names = archive
        .map((d) => d.url.slice(`${BASE}archive/`.length).replace(/\/[^/]*$/, ''))
        .map((n) => (/^\d{4}\/\d{2}$/.test(n) ? `${n}/1` : n))
        .reverse();
      expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en', { numeric: true })));
    });
  }

  it('check proves every archive document; a hand-edited one is refused', () => {
    expect(g.p.cli('check').status).toBe(0);
    const file = join(g.p.dir, 'out', 'archive', '2024', '03', 'rss.xml');
    const before = readFileSync(file, 'utf8');
    writeFileSync(
      file,
      before.replace(
        /rel="prev-archive" href="[^"]*"/,
        'rel="prev-archive" href="https://news.example.org/archive/1999/01/rss.xml"',
      ),
    );
    const r = g.p.cli('check');
    expect(r.status).toBe(1);
    // Problems go to stderr (README, "The command line").
    expect(r.stderr).toContain(
      'HISTORY_LINK out/archive/2024/03/rss.xml (link[@rel=prev-archive])',
    );
    writeFileSync(file, before);
  });

  it('a revision re-renders its own month in place; a new article writes at most 6 feed files', async () => {
    const [i, date] = [...g.dates].find(([, d]) => d.startsWith('2023-07')) ?? [0, ''];
    g.p.write(`a${i}.txt`, article(i, date, 9));
    const revised = await g.run();
    expect(revised.archive.revised).toHaveLength(1);
    const month = `out/archive/2023/07/`;
    // Feed files: not their gzip and brotli copies (publish/precompress.ts), nor the pages
    // (README "Pages": the article's page, its month page, the front page).
    const isFeed = (w: string): boolean => w.startsWith('out/') && !/\.(?:gz|br|html)$/.test(w);
    const feeds = revised.written.filter(isFeed);
    // Its month's documents, and the RSS and Atom subscription documents, whose date is the
    // archive's last change (docs/reference.md, "The feeds"; JSON Feed has no feed date); nothing else.
    expect(feeds.sort()).toEqual(
      [
        ...['atom.xml', 'feed.json', 'rss.xml'].map((f) => `${month}${f}`),
        'out/atom.xml',
        'out/rss.xml',
      ].sort(),
    );
    expect(g.p.read(`${month}atom.xml`)).toContain('(update 9)');

    g.p.write('new.txt', article(9999, '2025-12-31T23:00:00Z'));
    const added = await g.run();
    expect(added.archive.added).toHaveLength(1);
    const written = added.written.filter(isFeed);
    expect(written.length).toBeLessThanOrEqual(6);
    expect(written.sort()).toEqual(
      [
        'out/atom.xml',
        'out/feed.json',
        'out/rss.xml',
        'out/archive/2025/12/atom.xml',
        'out/archive/2025/12/feed.json',
        'out/archive/2025/12/rss.xml',
      ].sort(),
    );
    expect(g.p.cli('check').status).toBe(0);
  });

  // Month pages in parts (render/list-pages.ts): the busy month (2025/06) holds more than two
  // parts' worth of records, so it has a page per part, beside each part's feed documents.
  const MONTH = '2025/06';
  const partFile = (n: number): string =>
    n === 1 ? `archive/${MONTH}/index.html` : `archive/${MONTH}/${n}/index.html`;
  const recordsOfMonth = (): number =>
    readdirSync(join(g.p.dir, 'archive', 'records', ...MONTH.split('/'))).filter((f) =>
      f.endsWith('.json'),
    ).length;
  /** Every relative link on a page, as the file under out/ it leads to. */
  const linkedFiles = (file: string): string[] =>
    [...readFileSync(join(g.p.dir, 'out', file), 'utf8').matchAll(/href="([^"]*)"/g)]
      .map((m) => m[1] ?? '')
      .filter((h) => !/^[a-z]+:/.test(h))
      .map((h) => {
        const path = decodeURIComponent(new URL(h, `http://x/${file}`).pathname.slice(1));
        return path === '' || path.endsWith('/') ? `${path}index.html` : path;
      });

  it('a month of more than 200 records has 3 part pages; each live record is on exactly one; every link between pages resolves to a file in out/', () => {
    const n = recordsOfMonth();
    const parts = Math.ceil(n / 100);
    expect(parts).toBeGreaterThanOrEqual(3);
    const out = join(g.p.dir, 'out');
    for (let i = 1; i <= parts; i++)
      expect(existsSync(join(out, partFile(i))), partFile(i)).toBe(true);
    expect(existsSync(join(out, partFile(parts + 1)))).toBe(false);
    // Each live record of the month: listed (its article page linked from a list) by one part.
    const listedOn = new Map<string, number>();
    for (let i = 1; i <= parts; i++) {
      const page = readFileSync(join(out, partFile(i)), 'utf8');
      const list = /<ol class="list">([\s\S]*?)<\/ol>/.exec(page)?.[1] ?? '';
      for (const m of list.matchAll(/<li [^>]*>\n<a href="([^"]*)"/g)) {
        const target = new URL(m[1] ?? '', `http://x/${partFile(i)}`).pathname.slice(1);
        listedOn.set(target, (listedOn.get(target) ?? 0) + 1);
      }
    }
    const ofMonth = live.filter((r) => r.publishedAt.startsWith(MONTH.replace('/', '-')));
    expect(ofMonth.length).toBeGreaterThan(200);
    expect([...listedOn.keys()].sort()).toEqual(
      ofMonth.map((r) => r.url.slice(BASE.length)).sort(),
    );
    expect([...listedOn.values()].every((k) => k === 1)).toBe(true);
    // Every relative link of the front page and of every month page (parts, feeds, months,
    // articles) leads to a file in out/.
    const pages = ['index.html'];
    for (const y of readdirSync(join(out, 'archive')))
      for (const m of readdirSync(join(out, 'archive', y))) {
        pages.push(`archive/${y}/${m}/index.html`);
        for (const k of readdirSync(join(out, 'archive', y, m)))
          if (/^\d+$/.test(k)) pages.push(`archive/${y}/${m}/${k}/index.html`);
      }
    for (const page of pages)
      for (const f of linkedFiles(page))
        expect(existsSync(join(out, f)), `${page} → ${f}`).toBe(true);
    // The parts link each other in order, and the first part lists them all.
    const first = linkedFiles(partFile(1));
    for (let i = 2; i <= parts; i++) expect(first).toContain(partFile(i));
    expect(linkedFiles(partFile(2))).toEqual(expect.arrayContaining([partFile(1), partFile(3)]));
  });

  it('a new article in a month of parts renders its part and the front page; a new part adds the part before it and the first part; nothing else', async () => {
    const pagesWritten = (written: readonly string[]): string[] =>
      written
        .filter((w) => w.endsWith('.html') && !w.startsWith('out/articles/'))
        .map((w) => w.slice('out/'.length))
        .sort();
    let k = 0;
    const add = (count: number): void => {
      for (let i = 0; i < count; i++, k++)
        g.p.write(
          `late${k}.txt`,
          article(20_000 + k, `2025-06-30T23:${String(k % 60).padStart(2, '0')}:00Z`),
        );
    };
    const n = recordsOfMonth();
    if (n % 100 !== 0) {
      add(1);
      const one = await g.run();
      expect(one.archive.added).toHaveLength(1);
      // Its part only (and the front page), not the month's other parts.
      expect(pagesWritten(one.written)).toEqual(
        ['index.html', partFile(Math.ceil(n / 100))].sort(),
      );
    }
    // Fill the newest part, then one more article opens a new part.
    const full = recordsOfMonth();
    if (full % 100 !== 0) {
      add(100 - (full % 100));
      await g.run();
    }
    const parts = recordsOfMonth() / 100;
    add(1);
    const opened = await g.run();
    expect(pagesWritten(opened.written)).toEqual(
      ['index.html', partFile(parts + 1), partFile(parts), partFile(1)].sort(),
    );
    expect(existsSync(join(g.p.dir, 'out', partFile(parts + 1)))).toBe(true);
    expect(g.p.cli('check').status).toBe(0);
  });

  it('archive verify reaches every record through the month pages and their parts; a part the first part no longer lists is found', () => {
    const ok = g.p.cli('archive', 'verify');
    expect(ok.status, ok.stdout).toBe(0);
    const file = join(g.p.dir, 'out', partFile(1));
    const before = readFileSync(file, 'utf8');
    const [, href] =
      /<section class="parts">[\s\S]*?<li><a href="([^"]*)">[^\n]*\n<li><a href="([^"]*)">/.exec(
        before,
      ) ?? [];
    expect(href).toBeDefined();
    // The second part's line taken out of the first part's list of parts.
    writeFileSync(
      file,
      before.replace(
        new RegExp(`<li><a href="${href?.replace(/[.]/g, '\\.') ?? ''}2/">[^\n]*\n`),
        '',
      ),
    );
    expect(readFileSync(file, 'utf8')).not.toBe(before);
    const bad = g.p.cli('archive', 'verify');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toMatch(
      /error NOT_IN_PAGES archive\/records\/2025\/06\/.*no page of its month links it/,
    );
    writeFileSync(file, before);
  });

  it('a part whose records are all withdrawn leaves the chain (its documents removed, its neighbours linked over it), keeps its page without feed links, and comes back when one is restored', async () => {
    const out = join(g.p.dir, 'out');
    const docs = (name: string): string[] =>
      ['rss.xml', 'atom.xml', 'feed.json'].map((f) => join(out, 'archive', name, f));
    const [one, two, three] = [MONTH, `${MONTH}/2`, `${MONTH}/3`];
    const ids = new Set(
      readDoc(g, 'atom', `${BASE}archive/${two}/atom.xml`).entries.map((e) => e.id),
    );
    expect(ids.size).toBeGreaterThan(0);
    const kept = new Map<string, string>();
    for (const r of g.live())
      if (ids.has(r.id)) {
        // The stored article's path is relative to the project.
        const name = r.input.path.replace(/^archive\/articles\//, '');
        kept.set(name, readFileSync(join(g.p.articles, name), 'utf8'));
        rmSync(join(g.p.articles, name));
      }
    expect(kept.size).toBe(ids.size);
    const emptied = await g.run();
    expect(emptied.archive.withdrawn).toHaveLength(ids.size);
    // Readers refuse a feed of no entries (feed-extractor): the part has no documents.
    for (const f of docs(two)) expect(existsSync(f), f).toBe(false);
    for (const f of docs(two)) expect(existsSync(`${f}.gz`), f).toBe(false);
    expect(readDoc(g, 'atom', `${BASE}archive/${one}/atom.xml`).links['next-archive']).toBe(
      `${BASE}archive/${three}/atom.xml`,
    );
    expect(readDoc(g, 'json', `${BASE}archive/${three}/feed.json`).links['prev-archive']).toBe(
      `${BASE}archive/${one}/feed.json`,
    );
    for (const format of ['rss', 'atom', 'json'] as const) {
      const urls = walk(g, format).map((d) => d.url);
      expect(urls.some((u) => u.includes(`/archive/${two}/`))).toBe(false);
      expect(urls.some((u) => u.includes(`/archive/${three}/`))).toBe(true);
    }
    // Its page stays (the month has articles, and the first part lists it), linking no feeds.
    const page = readFileSync(join(out, partFile(2)), 'utf8');
    expect(page).not.toContain('class="feeds"');
    expect(linkedFiles(partFile(1))).toContain(partFile(2));
    for (const f of [
      ...linkedFiles(partFile(1)),
      ...linkedFiles(partFile(2)),
      ...linkedFiles(partFile(3)),
    ])
      expect(existsSync(join(out, f)), f).toBe(true);
    expect(g.p.cli('check').status).toBe(0);
    expect(g.p.cli('archive', 'verify', '-q').status).toBe(0);

    for (const [path, text] of kept) g.p.write(path, text);
    const restored = await g.run();
    expect(restored.archive.restored).toHaveLength(ids.size);
    for (const f of docs(two)) expect(existsSync(f), f).toBe(true);
    expect(readDoc(g, 'atom', `${BASE}archive/${one}/atom.xml`).links['next-archive']).toBe(
      `${BASE}archive/${two}/atom.xml`,
    );
    expect(readFileSync(join(out, partFile(2)), 'utf8')).toContain('class="feeds"');
  });
});
