import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { request, type IncomingHttpHeaders } from 'node:http';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { parse } from 'parse5';
import Parser from 'rss-parser';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadHashes } from '../../src/publish/precompress.js';
import { OUTPUTS } from '../../src/model/outputs.js';
import {
  NOTICE_PAGE,
  SECRET,
  rawGet,
  rawRequest,
  removeServed,
  servedProject,
  startServe,
  type ServeProcess,
  type Served,
} from './serve-helpers.js';

/**
 * `feedkeeper serve` as readers meet it: the compiled CLI on a free port, real HTTP/1.1
 * requests (node:http, which neither decompresses nor normalizes; raw sockets where even that
 * would be too kind), answers compared with the bytes in out/.
 */

interface Got {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

function get(
  base: string,
  path: string,
  headers: Record<string, string> = {},
  method = 'GET',
): Promise<Got> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(path, base), { method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

let s: Served;
let srv: ServeProcess;
const published = (name: string): Buffer => readFileSync(join(s.out, name));

beforeAll(async () => {
  s = await servedProject();
  srv = await startServe(s.p, 'serve', '--port', '0');
}, 60_000);

afterAll(async () => {
  srv.running.child.kill('SIGTERM');
  await srv.running.done;
  removeServed(s);
});

describe('media types, validators and Cache-Control', () => {
  const cases: [string, string, string][] = [
    ...OUTPUTS.map((o): [string, string, string] => [`/${o.file}`, o.file, o.mediaType]),
    ['/', 'index.html', 'text/html'],
    ['/archive/2026/11/', 'archive/2026/11/index.html', 'text/html'],
    ['/style.css', 'style.css', 'text/css'],
  ];
  it.each(cases)('%s: %s as %s; charset=utf-8', async (path, file, type) => {
    const r = await get(srv.url, path);
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe(`${type}; charset=utf-8`);
    expect(r.body.equals(published(file))).toBe(true);
    expect(r.headers['content-length']).toBe(String(published(file).length));
    expect(r.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
    expect(r.headers['last-modified']).toBe(
      new Date(Math.floor(statSync(join(s.out, file)).mtimeMs / 1000) * 1000).toUTCString(),
    );
    expect(r.headers['cache-control']).toBe('max-age=300');
    expect(r.headers['vary']).toBe('Accept-Encoding');
    expect(r.headers['x-content-type-options']).toBe('nosniff');
    expect(r.headers['content-encoding']).toBeUndefined();
  });

  it('the ETag of a feed is its sha256, as recorded at publication (not hashed on a request)', async () => {
    const etags = loadHashes(join(s.p.dir, '.feedkeeper')).rows;
    for (const o of OUTPUTS) {
      const sha = createHash('sha256').update(published(o.file)).digest('hex');
      expect(etags.get(o.file)?.sha256).toBe(sha);
      const r = await get(srv.url, `/${o.file}`, {}, 'HEAD');
      expect(r.headers['etag']).toBe(`"${sha.slice(0, 32)}"`);
    }
  });

  it('a large binary file is streamed whole, uncompressed, without Vary', async () => {
    const r = await get(srv.url, '/big.png', { 'Accept-Encoding': 'gzip, br' });
    expect(r.status).toBe(200);
    expect(r.headers['content-type']).toBe('image/png');
    expect(r.headers['content-encoding']).toBeUndefined();
    expect(r.headers['vary']).toBeUndefined();
    expect(r.body.equals(s.big)).toBe(true);
  });
});

describe('conditional GET: 200 then 304, with either validator', () => {
  it.each(['/rss.xml', '/atom.xml', '/feed.json', '/'])('%s', async (path) => {
    const first = await get(srv.url, path);
    const etag = first.headers['etag']!;
    const lastModified = first.headers['last-modified']!;

    const byEtag = await get(srv.url, path, { 'If-None-Match': etag });
    expect(byEtag.status).toBe(304);
    expect(byEtag.body.length).toBe(0);
    expect(byEtag.headers['etag']).toBe(etag);
    expect(byEtag.headers['cache-control']).toBe('max-age=300');
    expect(byEtag.headers['vary']).toBe('Accept-Encoding');

    expect((await get(srv.url, path, { 'If-Modified-Since': lastModified })).status).toBe(304);
    const later = new Date(Date.parse(lastModified) + 3600_000).toUTCString();
    expect((await get(srv.url, path, { 'If-Modified-Since': later })).status).toBe(304);
    const earlier = new Date(Date.parse(lastModified) - 1000).toUTCString();
    expect((await get(srv.url, path, { 'If-Modified-Since': earlier })).status).toBe(200);

    // If-None-Match wins (RFC 9110 section 13.2.2): a changed ETag is a 200 whatever the date.
    expect(
      (await get(srv.url, path, { 'If-None-Match': '"0000"', 'If-Modified-Since': later })).status,
    ).toBe(200);
    expect(
      (await get(srv.url, path, { 'If-None-Match': etag, 'If-Modified-Since': earlier })).status,
    ).toBe(304);
    expect((await get(srv.url, path, { 'If-None-Match': `W/${etag}` })).status).toBe(304);
    expect((await get(srv.url, path, { 'If-None-Match': `"x", ${etag}` })).status).toBe(304);
  });
});

describe('gzip and brotli, chosen by Accept-Encoding, from the copies written at publication', () => {
  it.each(OUTPUTS.map((o) => o.file).concat(['index.html']))('%s', async (file) => {
    const path = file === 'index.html' ? '/' : `/${file}`;
    const bytes = published(file);
    const identity = await get(srv.url, path, { 'Accept-Encoding': 'identity' });
    const gz = await get(srv.url, path, { 'Accept-Encoding': 'gzip' });
    const br = await get(srv.url, path, { 'Accept-Encoding': 'gzip, deflate, br' });

    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(bytes)).toBe(true);
    expect(br.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(br.body).equals(bytes)).toBe(true);
    expect(identity.body.equals(bytes)).toBe(true);
    if (file !== 'index.html') {
      // The feeds' copies were written by `feedkeeper build`; these are their bytes.
      expect(gz.body.equals(published(`${file}.gz`))).toBe(true);
      expect(br.body.equals(published(`${file}.br`))).toBe(true);
    }
    for (const r of [identity, gz, br]) {
      expect(r.headers['vary']).toBe('Accept-Encoding');
      expect(r.headers['content-length']).toBe(String(r.body.length));
    }
    // One strong ETag per representation (RFC 9110 section 8.8.3), each revalidated alone.
    const tags = [identity, gz, br].map((r) => r.headers['etag']);
    expect(new Set(tags).size).toBe(3);
    const again = await get(srv.url, path, {
      'Accept-Encoding': 'gzip',
      'If-None-Match': tags[1]!,
    });
    expect(again.status).toBe(304);
    expect(again.headers['etag']).toBe(tags[1]);
    const other = await get(srv.url, path, { 'Accept-Encoding': 'br', 'If-None-Match': tags[1]! });
    expect(other.status).toBe(200);
  });

  it('q-values decide: br;q=0.5, gzip → gzip; gzip;q=0 → identity', async () => {
    const a = await get(srv.url, '/rss.xml', { 'Accept-Encoding': 'br;q=0.5, gzip' });
    expect(a.headers['content-encoding']).toBe('gzip');
    const b = await get(srv.url, '/rss.xml', { 'Accept-Encoding': 'gzip;q=0' });
    expect(b.headers['content-encoding']).toBeUndefined();
    expect(b.body.equals(published('rss.xml'))).toBe(true);
  });
});

describe('HEAD, 405, 404, 301, 410', () => {
  it('HEAD: the headers of GET, no body', async () => {
    for (const enc of ['', 'gzip', 'br']) {
      const extra = enc ? `Accept-Encoding: ${enc}\r\n` : '';
      const g = await rawGet(srv.url, '/atom.xml', extra);
      const h = await rawRequest(
        srv.url,
        `HEAD /atom.xml HTTP/1.1\r\nHost: x\r\n${extra}Connection: close\r\n\r\n`,
      );
      expect(h.status).toBe(200);
      expect(h.body.length).toBe(0);
      const withoutDate = (x: Record<string, string>): Record<string, string> =>
        Object.fromEntries(Object.entries(x).filter(([k]) => k !== 'date'));
      expect(withoutDate(h.headers)).toEqual(withoutDate(g.headers));
    }
  });

  it.each(['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'])(
    '%s → 405 with Allow: GET, HEAD',
    async (method) => {
      const r = await rawRequest(
        srv.url,
        `${method} /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello`,
      );
      expect(r.status).toBe(405);
      expect(r.headers['allow']).toBe('GET, HEAD');
      expect(published('rss.xml').toString()).not.toContain('hello');
    },
  );

  it('CONNECT → 405 with Allow: GET, HEAD (it was closed without an answer)', async () => {
    const r = await rawRequest(
      srv.url,
      'CONNECT news.example.org:443 HTTP/1.1\r\nHost: news.example.org:443\r\n\r\n',
    );
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe('GET, HEAD');
    expect((await get(srv.url, '/rss.xml')).status).toBe(200);
  });

  it('404 for what is not there, 301 to a folder with its slash', async () => {
    expect((await get(srv.url, '/nothing.xml')).status).toBe(404);
    expect((await get(srv.url, '/articles/')).status).toBe(404);
    // A file used as a folder: nothing there (it was a 500).
    expect((await get(srv.url, '/rss.xml/')).status).toBe(404);
    expect((await get(srv.url, '/index.html/x')).status).toBe(404);
    const r = await get(srv.url, '/archive/2026/11');
    expect(r.status).toBe(301);
    expect(r.headers['location']).toBe('/archive/2026/11/');
  });

  it('410 Gone with the notice page for a withdrawn article (its .gone marker); a 410 is never a 304', async () => {
    const r = await get(srv.url, '/articles/withdrawn.html');
    expect(r.status).toBe(410);
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body.toString()).toBe(NOTICE_PAGE);
    const again = await get(srv.url, '/articles/withdrawn.html', {
      'If-None-Match': r.headers['etag']!,
    });
    expect(again.status).toBe(410);
    expect((await get(srv.url, '/articles/withdrawn.html.gone')).status).toBe(404);
  });
});

describe('nothing outside out/, and a server that survives what it is sent', () => {
  const absoluteSecret = (): string => join(s.p.dir, 'secret.txt');
  const targets = (): string[] => [
    '/../secret.txt',
    '/../../../../../../etc/passwd',
    '/articles/../../secret.txt',
    '/%2e%2e/secret.txt',
    '/%2E%2E%2Fsecret.txt',
    '/.%2e/secret.txt',
    '/%252e%252e/secret.txt',
    '/%252e%252e%252fsecret.txt',
    '/..%2fsecret.txt',
    '/..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/..%5c..%5csecret.txt',
    '/%c0%ae%c0%ae/secret.txt',
    '/leak.txt',
    '/up/secret.txt',
    '/marker.html',
    '/vis/x.html',
    '/.hid/x.html',
    absoluteSecret(),
    `/${absoluteSecret()}`,
    `/%2F${absoluteSecret().slice(1)}`,
    '//etc/passwd',
    'http://news.example.org/../secret.txt',
    `http://news.example.org${absoluteSecret()}`,
    '/rss.xml%00',
    '/rss.xml%00.html',
    '/secret.txt%00/rss.xml',
    '/.feedkeeper/published.json',
    '/rss.xml.gz',
    `/${'a/'.repeat(1500)}rss.xml`,
    `/${'..%2f'.repeat(600)}secret.txt`,
  ];

  it('each traversal is refused (400, 404, 414), never answered with the secret', async () => {
    const seen: string[] = [];
    for (const t of targets()) {
      const r = await rawGet(srv.url, t);
      seen.push(`${r.status} ${t.slice(0, 60)}`);
      expect([400, 404, 414], t).toContain(r.status);
      expect(r.raw.toString('latin1')).not.toContain(SECRET);
    }
    expect(seen.filter((l) => l.startsWith('414'))).toHaveLength(2);
    expect((await get(srv.url, '/rss.xml')).status).toBe(200);
  });

  it('malformed requests get 400 (431 for huge headers), and the server goes on', async () => {
    const bad: (string | Buffer)[] = [
      'HELLO\r\n\r\n',
      'GET /rss.xml HTTP/9.9\r\n\r\n',
      'GET /rss.xml\0 HTTP/1.1\r\nHost: x\r\n\r\n',
      Buffer.from('GET /r\xffss.xml HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'),
      'GET /rss.xml HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n',
      'GET /rss.xml HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n',
      `GET /rss.xml HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`,
      `GET /${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`,
    ];
    for (const req of bad) {
      const r = await rawRequest(srv.url, req);
      expect([400, 404, 414, 431], String(req).slice(0, 40)).toContain(r.status);
    }
    expect((await get(srv.url, '/rss.xml')).status).toBe(200);
  });
});

describe('the access log', () => {
  it('one Common Log Format line per request, on stdout', async () => {
    const marker = `probe-${Date.now()}`;
    await get(srv.url, `/rss.xml?${marker}`);
    await get(srv.url, `/nothing?${marker}`);
    await get(srv.url, `/feed.json?${marker}`, {}, 'HEAD');
    await new Promise((r) => setTimeout(r, 200));
    const lines = srv.running
      .output()
      .split('\n')
      .filter((l) => l.includes(marker));
    expect(lines).toHaveLength(3);
    const size = published('rss.xml').length;
    expect(lines[0]).toMatch(
      new RegExp(
        `^127\\.0\\.0\\.1 - - \\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} \\+0000\\] "GET /rss\\.xml\\?${marker} HTTP/1\\.1" 200 ${size}$`,
      ),
    );
    expect(lines[1]).toMatch(/" 404 \d+$/);
    expect(lines[2]).toMatch(/"HEAD \/feed\.json\?probe-\d+ HTTP\/1\.1" 200 -$/);
  });
});

describe('a feed reader subscribes by the site address alone', () => {
  it('fetches /, discovers the feeds, fetches and parses each', async () => {
    const home = await fetch(srv.url);
    expect(home.status).toBe(200);
    const links: { type: string; href: string }[] = [];
    const walk = (node: unknown): void => {
      const n = node as {
        nodeName?: string;
        attrs?: { name: string; value: string }[];
        childNodes?: unknown[];
      };
      if (n.nodeName === 'link') {
        const a = Object.fromEntries((n.attrs ?? []).map((x) => [x.name, x.value]));
        if (a['rel']?.split(/\s+/).includes('alternate') && a['href'] && a['type'])
          links.push({ type: a['type'], href: a['href'] });
      }
      for (const c of n.childNodes ?? []) walk(c);
    };
    walk(parse(await home.text()));
    expect(links.map((l) => l.type).sort()).toEqual(OUTPUTS.map((o) => o.mediaType).sort());

    const parser = new Parser();
    const titles: string[][] = [];
    for (const link of links) {
      // The published pages link the feeds at site.baseUrl, the address this server stands
      // for here: the same path, asked of it.
      const url = new URL(new URL(link.href, srv.url).pathname, srv.url).href;
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe(`${link.type}; charset=utf-8`);
      const text = await res.text();
      if (link.type === 'application/feed+json') {
        const feed = JSON.parse(text) as { version: string; items: { title: string }[] };
        expect(feed.version).toBe('https://jsonfeed.org/version/1.1');
        titles.push(feed.items.map((i) => i.title));
      } else {
        // rss-parser fetches by itself, as a reader does (its own HTTP client), and parses.
        const feed = await parser.parseURL(url);
        expect(feed.title).toBe('Test News');
        titles.push(feed.items.map((i) => i.title ?? ''));
      }
    }
    expect(titles).toHaveLength(3);
    expect(titles[0]).toHaveLength(6);
    expect(titles[1]).toEqual(titles[0]);
    expect(titles[2]).toEqual(titles[0]);
  });
});
