import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { parse } from 'parse5';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject, REPO, sampleBytes, type Project } from '../helpers.js';
import { serveFolder } from './static-server.js';

/**
 * The site as a reader meets it: served over HTTP from a local static server, found from its
 * address alone, and opened in a real browser (Debian's chromium driven by playwright-core;
 * no browser download). Screenshots go to test-artifacts/ (gitignored).
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(REPO, 'test-artifacts');

let p: Project;
let server: Server;
let origin: string;

beforeAll(async () => {
  p = makeProject();
  ({ server, origin } = await serveFolder(join(p.dir, 'out')));
  // The site lives at the server's address, as out/ is meant to be served.
  p.config({
    site: {
      title: 'Știri traduse',
      description: 'Știri din presa internațională, traduse în română',
      baseUrl: origin,
      language: 'ro',
      author: { name: 'Redacția' },
    },
  });
  p.write('000_4b52bae062771df2.txt', sampleBytes());
  p.write(
    'en.txt',
    'Library reopens after repairs | Culture\n\nThe city library opens again on Monday.\n\nSource: www.example.com\n',
  );
  const r = p.cli('build');
  expect(r.status, r.stdout + r.stderr).toBe(0);
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The autodiscovery links of an HTML page (HTML Living Standard, link type "alternate"). */
function alternates(html: string): { type: string; href: string }[] {
  const found: { type: string; href: string }[] = [];
  const walk = (n: {
    nodeName: string;
    attrs?: { name: string; value: string }[];
    childNodes?: unknown[];
  }): void => {
    if (n.nodeName === 'link') {
      const a = new Map((n.attrs ?? []).map((x) => [x.name, x.value]));
      if (a.get('rel') === 'alternate')
        found.push({ type: a.get('type') ?? '', href: a.get('href') ?? '' });
    }
    for (const c of (n.childNodes ?? []) as (typeof n)[]) walk(c);
  };
  walk(parse(html) as unknown as Parameters<typeof walk>[0]);
  return found;
}

describe('a reader given only the site address', () => {
  it('fetches /, discovers the three feeds and parses them', async () => {
    const home = await fetch(`${origin}/`);
    expect(home.status).toBe(200);
    const found = alternates(await home.text());
    expect(found.map((f) => f.type)).toEqual([
      'application/rss+xml',
      'application/atom+xml',
      'application/feed+json',
    ]);
    const parser = new Parser();
    for (const f of found) {
      const res = await fetch(f.href);
      expect(res.status, f.href).toBe(200);
      const text = await res.text();
      if (f.type === 'application/feed+json') {
        const items = (JSON.parse(text) as { items: { url: string }[] }).items;
        expect(items).toHaveLength(2);
        for (const i of items) expect((await fetch(i.url)).status, i.url).toBe(200);
      } else {
        const feed = await parser.parseString(text);
        expect(feed.items).toHaveLength(2);
        for (const i of feed.items) expect((await fetch(i.link ?? '')).status, i.link).toBe(200);
      }
    }
  });
});

describe.skipIf(!existsSync(CHROMIUM))('in a real browser (Debian chromium)', () => {
  if (!existsSync(CHROMIUM))
    console.warn(`browser tests skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

  it('follows a feed item to its page; front page autodiscovery; nothing leaves 127.0.0.1', async () => {
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
      const requests: string[] = [];
      page.on('request', (r) => requests.push(r.url()));

      const rss = await new Parser().parseString(await (await fetch(`${origin}/rss.xml`)).text());
      const ro = rss.items.find((i) => (i.title ?? '').startsWith('Putin'));
      expect(ro?.link).toBeDefined();
      const res = await page.goto(ro?.link ?? '');
      expect(res?.status()).toBe(200);
      expect(await page.getAttribute('html', 'lang')).toBe('ro');
      expect(await page.title()).toBe(`${ro?.title ?? ''} – Știri traduse`);
      expect(await page.textContent('h1')).toBe(ro?.title);
      expect(await page.textContent('h2')).toBe('Rol mai activ?');
      await page.screenshot({ path: join(ARTIFACTS, 'article-ro.png'), fullPage: false });

      await page.goto(`${origin}/`);
      const links = await page.$$eval('link[rel="alternate"]', (ls) =>
        ls.map((l) => [l.getAttribute('type'), l.getAttribute('href')]),
      );
      expect(links).toEqual([
        ['application/rss+xml', `${origin}/rss.xml`],
        ['application/atom+xml', `${origin}/atom.xml`],
        ['application/feed+json', `${origin}/feed.json`],
      ]);
      expect(await page.getAttribute('html', 'lang')).toBe('ro');
      expect(await page.title()).toBe('Știri traduse');
      await page.screenshot({ path: join(ARTIFACTS, 'front.png'), fullPage: true });

      // The month page, reached by its link on the front page.
      await page.click('section.months a');
      expect(page.url()).toMatch(/\/archive\/\d{4}\/\d{2}\/$/);
      expect(await page.$$eval('ol.list li', (l) => l.length)).toBe(2);

      expect(requests.length).toBeGreaterThan(0);
      expect(requests.filter((u) => !u.startsWith(`${origin}/`))).toEqual([]);
    } finally {
      await browser.close();
    }
  }, 120_000);

  it("a month in parts: from the month page to its second part and back, and to the part's own feed", async () => {
    // 105 short articles in one month: two parts of the month (model/month-parts.ts), built in
    // process and served at their own address.
    const q = makeProject();
    const served = await serveFolder(join(q.dir, 'out'));
    try {
      const config = { site: { ...BASE_CONFIG.site, baseUrl: served.origin } };
      for (let i = 0; i < 105; i++)
        q.write(
          `s${i}.txt`,
          `---\ndate: 2026-10-${String(1 + Math.floor(i / 4)).padStart(2, '0')}T${String(8 + (i % 4)).padStart(2, '0')}:00:00Z\n---\nȘtirea scurtă ${i} | Local\n\nUn paragraf despre știrea ${i}.\n`,
        );
      const r = await runOnce(q.context(new Date('2026-11-25T08:00:00Z'), config), {
        dryRun: false,
      });
      expect(r.issues).toEqual([]);
      const { chromium } = await import('playwright-core');
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
      });
      try {
        const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
        const requests: string[] = [];
        page.on('request', (x) => requests.push(x.url()));
        await page.goto(`${served.origin}/`);
        await page.click('section.months a');
        expect(page.url()).toBe(`${served.origin}/archive/2026/10/`);
        // The first part: the 100 oldest, and the list of parts.
        expect(await page.$$eval('ol.list li', (l) => l.length)).toBe(100);
        expect(await page.$$eval('section.parts li', (l) => l.length)).toBe(2);
        await page.click('a.newer-part');
        expect(page.url()).toBe(`${served.origin}/archive/2026/10/2/`);
        expect(await page.$$eval('ol.list li', (l) => l.length)).toBe(5);
        expect(await page.textContent('ol.list li a')).toBe('Știrea scurtă 104');
        await page.screenshot({ path: join(ARTIFACTS, 'month-part-2.png'), fullPage: false });
        const feed = await page.getAttribute('p.feeds a[type="application/atom+xml"]', 'href');
        const atom = await fetch(new URL(feed ?? '', page.url()));
        expect(atom.status).toBe(200);
        expect(await atom.text()).toContain('Știrea scurtă 104');
        await page.click('a.older-part');
        expect(page.url()).toBe(`${served.origin}/archive/2026/10/`);
        expect(requests.filter((u) => !u.startsWith(`${served.origin}/`))).toEqual([]);
      } finally {
        await browser.close();
      }
    } finally {
      await new Promise<void>((resolve) => served.server.close(() => resolve()));
    }
  }, 120_000);
});
