import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join, relative } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { caddyAvailable, startCaddy, type RunningCaddy } from '../../bench/caddy-runner.js';
import { nginxAvailable, startNginx, type RunningNginx } from '../../bench/nginx-runner.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import { REPO } from '../helpers.js';
import { removeServed, servedProject, type Served } from './serve-helpers.js';

/**
 * deploy/nginx.conf and deploy/Caddyfile must give what `feedkeeper serve` gives. Each runs here
 * (Debian's nginx with libnginx-mod-http-brotli-static, Debian's caddy; .ci/run installs them)
 * against the same out/ as `serve`, and every file is fetched from all of them with each
 * Accept-Encoding, plain and conditional, GET and HEAD. Compared: status, Content-Type, that
 * there is an ETag, Cache-Control, Vary, Content-Encoding, X-Content-Type-Options, Allow, the
 * decoded body, and whether each answers its own validators with 304. (The ETag values differ
 * by design: nginx and Caddy derive them from mtime and size.)
 */
const HAVE_NGINX = nginxAvailable();
const HAVE_CADDY = caddyAvailable();
if (!HAVE_NGINX)
  console.warn(
    'deploy-parity: nginx is not installed, its comparison is SKIPPED (apt-get install -y nginx libnginx-mod-http-brotli-static)',
  );
if (!HAVE_CADDY)
  console.warn(
    'deploy-parity: caddy is not installed, its comparison is SKIPPED (apt-get install -y caddy)',
  );

interface Answer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: Buffer;
}

function ask(
  port: number,
  method: string,
  path: string,
  headers: Record<string, string>,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, method, path, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }),
      );
    })
      .on('error', reject)
      .end();
  });
}

/** What must be equal between servers. */
function compared(a: Answer): Record<string, unknown> {
  const h = a.headers;
  return {
    status: a.status,
    contentType: a.status === 200 || a.status === 410 ? h['content-type'] : '(error page)',
    etag: a.status === 200 || a.status === 304 ? h['etag'] !== undefined : '(not compared)',
    cacheControl: h['cache-control'],
    vary: h['vary'],
    contentEncoding: h['content-encoding'],
    nosniff: h['x-content-type-options'],
    allow: h['allow'],
    location: h['location'],
  };
}

function decoded(a: Answer): Buffer {
  const enc = a.headers['content-encoding'];
  return enc === 'gzip' ? gunzipSync(a.body) : enc === 'br' ? brotliDecompressSync(a.body) : a.body;
}

const digest = (b: Buffer): string =>
  `${b.length} bytes, sha256 ${createHash('sha256').update(b).digest('hex').slice(0, 16)}`;

let s: Served;
let serve: RunningServer;

beforeAll(async () => {
  if (!HAVE_NGINX && !HAVE_CADDY) return;
  s = await servedProject();
  serve = await startServer({
    outDir: s.out,
    stateDir: join(s.p.dir, '.feedkeeper'),
    host: '127.0.0.1',
    port: 0,
    log: null,
  });
}, 60_000);

afterAll(async () => {
  if (!HAVE_NGINX && !HAVE_CADDY) return;
  await serve.close();
  removeServed(s);
});

/** Every file a reader may ask for: out/ without hidden names, copies, markers and symlinks. */
function resources(): string[] {
  const found: string[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      if (e.name.startsWith('.') || e.isSymbolicLink()) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) walk(abs);
      else if (!/\.(?:gz|br|gone)$/.test(e.name)) found.push(relative(s.out, abs));
    }
  };
  walk(s.out);
  return found
    .sort()
    .map((f) => (f.endsWith('index.html') ? `/${f.slice(0, -'index.html'.length)}` : `/${f}`));
}

const ENCODINGS = ['', 'gzip', 'br', 'gzip, deflate, br', 'br;q=0, gzip'];

async function compareWith(port: number, name: string, brotli: boolean): Promise<string[]> {
  const differences: string[] = [];
  const differ = (what: string, ours: unknown, theirs: unknown): void => {
    if (JSON.stringify(ours) !== JSON.stringify(theirs))
      differences.push(`${what}: serve ${JSON.stringify(ours)}, ${name} ${JSON.stringify(theirs)}`);
  };
  const paths = resources();
  expect(paths).toEqual(expect.arrayContaining(['/rss.xml', '/atom.xml', '/feed.json', '/']));
  for (const path of paths) {
    for (const enc of ENCODINGS) {
      if (!brotli && enc.includes('br')) continue;
      const headers: Record<string, string> = enc ? { 'Accept-Encoding': enc } : {};
      const what = `${path} [${enc || 'no Accept-Encoding'}]`;
      for (const method of ['GET', 'HEAD']) {
        const ours = await ask(serve.address.port, method, path, headers);
        const theirs = await ask(port, method, path, headers);
        differ(`${method} ${what}`, compared(ours), compared(theirs));
        if (method === 'GET' && ours.status !== 404)
          differ(`body of ${what}`, digest(decoded(ours)), digest(decoded(theirs)));
        if (method !== 'GET' || ours.status !== 200) continue;
        // Each answers its own validators with 304, and a changed ETag with 200.
        const cases: [string, (a: Answer) => Record<string, string>][] = [
          ['If-None-Match', (a) => ({ 'If-None-Match': String(a.headers['etag']) })],
          [
            'If-Modified-Since',
            (a) => ({ 'If-Modified-Since': String(a.headers['last-modified']) }),
          ],
          ['another If-None-Match', () => ({ 'If-None-Match': '"another"' })],
        ];
        for (const [label, conditional] of cases) {
          const o = await ask(serve.address.port, 'GET', path, {
            ...headers,
            ...conditional(ours),
          });
          const t = await ask(port, 'GET', path, { ...headers, ...conditional(theirs) });
          differ(`${label} ${what}`, compared(o), compared(t));
        }
      }
    }
  }
  for (const path of [
    '/nothing.xml',
    '/rss.xml.gz',
    '/.feedkeeper/etags.json',
    '/archive/2026/11',
  ]) {
    const o = await ask(serve.address.port, 'GET', path, {});
    const t = await ask(port, 'GET', path, {});
    // A folder without its slash: nginx and serve say 301, Caddy 308 (both permanent).
    const permanent = (status: number): number | string =>
      status === 301 || status === 308 ? 'permanent redirect' : status;
    differ(`GET ${path} status`, permanent(o.status), permanent(t.status));
    if (o.status === 301)
      differ(
        `GET ${path} Location`,
        o.headers['location'],
        new URL(String(t.headers['location']), 'http://x').pathname,
      );
  }
  for (const method of ['POST', 'PUT', 'DELETE']) {
    const o = await ask(serve.address.port, method, '/rss.xml', {});
    const t = await ask(port, method, '/rss.xml', {});
    differ(`${method} /rss.xml`, [o.status, o.headers['allow']], [t.status, t.headers['allow']]);
  }
  return differences;
}

describe.skipIf(!HAVE_NGINX)(
  'deploy/nginx.conf on Debian nginx gives the headers serve gives',
  () => {
    let nginx: RunningNginx;
    beforeAll(async () => {
      nginx = await startNginx(join(REPO, 'deploy', 'nginx.conf'), s.out);
    }, 30_000);
    afterAll(async () => nginx?.stop());

    it('every file, every Accept-Encoding, GET, HEAD and conditional GET', async () => {
      if (!nginx.brotli)
        console.warn('deploy-parity: nginx has no brotli_static module; brotli cases skipped');
      expect(await compareWith(nginx.port, 'nginx', nginx.brotli)).toEqual([]);
    }, 120_000);

    it('the comparison sees a difference: deploy/nginx.conf without its feed types fails it', async () => {
      const broken = join(s.p.dir, 'nginx-broken.conf');
      const text = readFileSync(join(REPO, 'deploy', 'nginx.conf'), 'utf8').replace(
        'default_type application/rss+xml;',
        'default_type application/xml;',
      );
      writeFileSync(broken, text);
      const other = await startNginx(broken, s.out);
      try {
        const found = await compareWith(other.port, 'nginx', other.brotli);
        expect(found.length).toBeGreaterThan(0);
        expect(found[0]).toContain('/rss.xml');
        expect(found[0]).toContain('application/xml; charset=utf-8');
      } finally {
        await other.stop();
      }
    }, 120_000);
  },
);

describe.skipIf(!HAVE_CADDY)(
  'deploy/Caddyfile on Debian Caddy gives the headers serve gives',
  () => {
    let caddy: RunningCaddy;
    beforeAll(async () => {
      caddy = await startCaddy(join(REPO, 'deploy', 'Caddyfile'), s.out);
    }, 30_000);
    afterAll(async () => caddy?.stop());

    it('every file, every Accept-Encoding, GET, HEAD and conditional GET', async () => {
      expect(await compareWith(caddy.port, 'caddy', true)).toEqual([]);
    }, 120_000);
  },
);
