import { existsSync, mkdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { expect } from 'vitest';
import { setGoneMarkers } from '../../src/publish/gone-markers.js';
import { precompress } from '../../src/publish/precompress.js';
import { makeProject, sampleBytes, type Project } from '../helpers.js';
import {
  articleName,
  startCli,
  syntheticArticle,
  waitFor,
  type Running,
} from '../schedule/process-helpers.js';

/**
 * A published project to serve: the sample and a few synthetic articles built by the compiled
 * CLI (its pages included), plus a stylesheet, a hand-made withdrawn article's notice page with
 * its 410 marker (fixtures only where the build wrote nothing), a large file (streamed, not held in memory), and a secret beside out/ with symlinks
 * pointing at it from inside.
 */
export const SECRET = 'TOP-SECRET-6f1d2c';

export interface Served {
  readonly p: Project;
  readonly out: string;
  /** out/big.png: 12 MB of seeded random bytes. */
  readonly big: Buffer;
}

export const NOTICE_PAGE =
  '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Withdrawn</title></head>\n<body><p>This article was withdrawn by the newsroom.</p></body></html>\n';

export const INDEX_FIXTURE = `<!doctype html>
<html lang="ro">
<head>
<meta charset="utf-8">
<title>Test News</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Test News (RSS)" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" title="Test News (Atom)" href="/atom.xml">
<link rel="alternate" type="application/feed+json" title="Test News (JSON Feed)" href="/feed.json">
</head>
<body><h1>Test News</h1>${'<p>Placeholder for the front page the pages issue publishes.</p>\n'.repeat(8)}</body>
</html>
`;

export async function servedProject(seed = 20261129): Promise<Served> {
  const p = makeProject();
  p.write('sample.txt', sampleBytes());
  for (let i = 0; i < 5; i++) p.write(articleName(i), syntheticArticle(i));
  const r = p.cli('build');
  expect(r.status, r.stdout + r.stderr).toBe(0);
  const out = join(p.dir, 'out');
  // Fixtures beside the published pages (never over one).
  const fixture = (name: string, text: string | Buffer): void => {
    const path = join(out, name);
    if (existsSync(path)) return;
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
  };
  fixture('index.html', INDEX_FIXTURE);
  fixture('style.css', `body { font-family: serif; }\n${'h1 { margin: 0 0 1em 0; }\n'.repeat(20)}`);
  fixture('articles/withdrawn.html', NOTICE_PAGE);
  setGoneMarkers(out, [{ file: 'articles/withdrawn.html', status: 410 }]);
  mkdirSync(join(out, 'archive', '2026', '11'), { recursive: true });
  fixture('archive/2026/11/index.html', INDEX_FIXTURE);
  // As their publication will: copies beside them (the notice page is too small for any).
  await precompress(out, [
    'index.html',
    'style.css',
    'articles/withdrawn.html',
    'archive/2026/11/index.html',
  ]);
  console.log(`serve fixtures: big.png from seed ${seed}`);
  const big = seededBytes(seed, 12 * 1024 * 1024);
  writeFileSync(join(out, 'big.png'), big);

  writeFileSync(join(p.dir, 'secret.txt'), `${SECRET}\n`);
  symlinkSync(join(p.dir, 'secret.txt'), join(out, 'leak.txt'));
  symlinkSync(p.dir, join(out, 'up'));
  // Plain names linking to hidden ones inside out/ (found by an outside try: served).
  symlinkSync('.feedkeeper-out', join(out, 'marker.html'));
  mkdirSync(join(out, '.hid'));
  writeFileSync(join(out, '.hid', 'x.html'), `${SECRET}\n`);
  symlinkSync('.hid', join(out, 'vis'));
  return { p, out, big };
}

/** Deterministic bytes (printed seed): a tiny xorshift, so the file is the same every run. */
function seededBytes(seed: number, n: number): Buffer {
  const b = Buffer.alloc(n);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < n; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b.writeUInt32LE(x >>> 0, i);
  }
  return b;
}

export interface ServeProcess {
  readonly url: string;
  readonly running: Running;
}

/** `feedkeeper serve --port 0 …` in the project; resolves once it prints its address. */
export async function startServe(p: Project, ...args: string[]): Promise<ServeProcess> {
  const running = startCli(p, ...args);
  let url = '';
  await Promise.race([
    waitFor(() => {
      const m = /feedkeeper serve: (http:\/\/\S+\/)/.exec(running.output());
      if (m) url = m[1]!;
      return m !== null;
    }, 'serve to print its address'),
    running.done.then((f) => {
      throw new Error(`serve exited early: ${JSON.stringify(f)}`);
    }),
  ]);
  return { url, running };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly raw: Buffer;
}

/**
 * Send exactly `request` (no client library that would normalize the target) and read until
 * the server closes. Resolves with status 0 when the server closed without an answer.
 */
export function rawRequest(url: string, request: string | Buffer): Promise<RawResponse> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const s = connect(Number(port), hostname);
    s.on('data', (d) => chunks.push(d));
    s.on('error', reject);
    s.on('close', () => {
      const raw = Buffer.concat(chunks);
      const end = raw.indexOf('\r\n\r\n');
      const head = (end < 0 ? raw : raw.subarray(0, end)).toString('latin1').split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of head.slice(1)) {
        const i = line.indexOf(':');
        if (i > 0) headers[line.slice(0, i).toLowerCase()] = line.slice(i + 1).trim();
      }
      resolve({ status, headers, body: end < 0 ? Buffer.alloc(0) : raw.subarray(end + 4), raw });
    });
    s.write(request);
  });
}

/** A GET with Connection: close, target sent byte for byte. */
export const rawGet = (url: string, target: string, extra = ''): Promise<RawResponse> =>
  rawRequest(
    url,
    `GET ${target} HTTP/1.1\r\nHost: news.example.org\r\n${extra}Connection: close\r\n\r\n`,
  );

export function removeServed(s: Served): void {
  rmSync(s.p.dir, { recursive: true, force: true });
}
