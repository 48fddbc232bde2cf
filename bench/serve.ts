import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { precompress } from '../src/publish/precompress.js';
import { ArticleGenerator } from './article.js';
import { nginxAvailable, startNginx } from './nginx-runner.js';
import { createWorkspace } from './workspace.js';

/**
 * `npm run bench:serve`: requests per second and latency of `feedkeeper serve` beside Debian's
 * nginx running deploy/nginx.conf on the same out/, in the same run, on loopback, with
 * autocannon (in this process; each server is a process of its own). Target: serve at least
 * 0.5× nginx in every case. One nginx worker, as serve is one process; no access log on either.
 *
 *   npm run bench:serve -- --duration 12 --rounds 4 --connections 50 --articles 100
 */
const REPO = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const CLI = join(REPO, 'dist', 'src', 'main.js');

const arg = (name: string, fallback: number): number => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const DURATION = arg('duration', 12);
const CONNECTIONS = arg('connections', 50);
const ARTICLES = arg('articles', 100);
const SEED = arg('seed', 20261129);
const ROUNDS = arg('rounds', 4);

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

interface Case {
  readonly name: string;
  readonly path: string;
  readonly headers: (
    etagOf: (path: string, enc: string) => Promise<string>,
  ) => Promise<Record<string, string>>;
  readonly status: number;
}

async function main(): Promise<void> {
  if (!nginxAvailable()) {
    console.error(
      'bench:serve needs Debian nginx: apt-get install -y nginx libnginx-mod-http-brotli-static',
    );
    process.exitCode = 1;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-bench-serve-'));
  try {
    console.log(
      `seed ${SEED}, ${ARTICLES} articles, ${CONNECTIONS} connections, ${DURATION} s per case and server, in ${ROUNDS} alternating rounds`,
    );
    createWorkspace(dir, ARTICLES, new ArticleGenerator(SEED));
    const built = spawnSync(process.execPath, [CLI, 'build'], { cwd: dir, encoding: 'utf8' });
    if (built.status !== 0) throw new Error(`build failed: ${built.stdout}${built.stderr}`);
    const out = join(dir, 'out');
    const page = articlePage(out);
    await precompress(out, [page]);

    const serve = spawn(process.execPath, [CLI, 'serve', '--port', '0', '--quiet'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    });
    let said = '';
    serve.stderr.on('data', (d: Buffer) => (said += d.toString()));
    const servePort = await new Promise<number>((resolve, reject) => {
      const t = setInterval(() => {
        const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(said);
        if (m) {
          clearInterval(t);
          resolve(Number(m[1]));
        } else if (serve.exitCode !== null) {
          clearInterval(t);
          reject(new Error(`serve exited: ${said}`));
        }
      }, 20);
    });
    const nginx = await startNginx(join(REPO, 'deploy', 'nginx.conf'), out, {
      workers: 1,
      accessLog: false,
    });

    const etagOf =
      (port: number) =>
      async (path: string, enc: string): Promise<string> => {
        const r = await fetch(`http://127.0.0.1:${port}${path}`, {
          headers: { 'Accept-Encoding': enc },
        });
        await r.arrayBuffer();
        return r.headers.get('etag') ?? '';
      };
    const cases: Case[] = [
      {
        name: 'GET /rss.xml, gzip, 200',
        path: '/rss.xml',
        headers: async () => ({ 'Accept-Encoding': 'gzip' }),
        status: 200,
      },
      {
        name: 'GET /rss.xml, gzip, If-None-Match: 304',
        path: '/rss.xml',
        headers: async (etag) => ({
          'Accept-Encoding': 'gzip',
          'If-None-Match': await etag('/rss.xml', 'gzip'),
        }),
        status: 304,
      },
      {
        name: `GET /${page}, br, 200`,
        path: `/${page}`,
        headers: async () => ({ 'Accept-Encoding': 'gzip, deflate, br' }),
        status: 200,
      },
    ];
    const servers = [
      { name: 'feedkeeper serve', port: servePort },
      { name: 'nginx 1 worker', port: nginx.port },
    ];
    console.log(
      `cpus ${cpus().length}, load average before ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
    );
    const rows: string[] = [
      '| case | server | req/s | p50 ms | p97.5 ms | p99 ms | serve / nginx |',
      '| --- | --- | ---: | ---: | ---: | ---: | ---: |',
    ];
    let allMet = true;
    for (const c of cases) {
      // Rounds alternate the servers, so that a change in the machine's load (other processes)
      // falls on both; each figure is the median of the rounds.
      const samples = servers.map(() => [] as autocannon.Result[]);
      const headers = await Promise.all(servers.map((s) => c.headers(etagOf(s.port))));
      for (const [i, s] of servers.entries()) await run(s.port, c.path, headers[i]!, 1); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        for (const [i, s] of servers.entries()) {
          const r = await run(s.port, c.path, headers[i]!, DURATION / ROUNDS);
          const expected = c.status === 304 ? r['3xx'] : r['2xx'];
          if (r.errors > 0 || r.non2xx - (c.status === 304 ? r['3xx'] : 0) > 0 || expected === 0)
            throw new Error(
              `${s.name} ${c.name}: ${r.errors} errors, ${r.non2xx} non-2xx, ${expected} expected answers`,
            );
          samples[i]!.push(r);
        }
      }
      const results = servers.map((s, i) => ({
        name: s.name,
        rps: median(samples[i]!.map((r) => r.requests.average)),
        p50: median(samples[i]!.map((r) => r.latency.p50)),
        p975: median(samples[i]!.map((r) => r.latency.p97_5)),
        p99: median(samples[i]!.map((r) => r.latency.p99)),
      }));
      const ratio = results[0]!.rps / results[1]!.rps;
      allMet &&= ratio >= 0.5;
      for (const [i, x] of results.entries())
        rows.push(
          `| ${c.name} | ${x.name} | ${Math.round(x.rps).toLocaleString('en')} | ${x.p50} | ${x.p975} | ${x.p99} | ${i === 0 ? `${ratio.toFixed(2)}× ${ratio >= 0.5 ? '(≥ 0.5: met)' : '(< 0.5: NOT met)'}` : ''} |`,
        );
    }
    console.log(
      `load average after ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}\n`,
    );
    console.log(rows.join('\n'));
    console.log(`\ntarget serve ≥ 0.5× nginx in every case: ${allMet ? 'met' : 'NOT met'}`);
    serve.kill('SIGTERM');
    await new Promise((r) => serve.once('exit', r));
    await nginx.stop();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(
  port: number,
  path: string,
  headers: Record<string, string>,
  duration: number,
): Promise<autocannon.Result> {
  return autocannon({
    url: `http://127.0.0.1:${port}${path}`,
    connections: CONNECTIONS,
    duration,
    headers,
  });
}

/**
 * An article page: one the pages issue published, or until it does, a fixture of an article's
 * size (a headline, eight paragraphs, the links a page has) in its place.
 */
function articlePage(out: string): string {
  const dir = join(out, 'articles');
  const found = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.html')) : undefined;
  if (found) return `articles/${found}`;
  mkdirSync(dir, { recursive: true });
  const paragraph =
    '<p>Consiliul local a aprobat bugetul pentru reabilitarea podului de pe strada Râului, după o dezbatere de patru ore în care opoziția a cerut detalii despre costurile lucrărilor și despre termenele asumate de constructor.</p>\n';
  writeFileSync(
    join(dir, 'fixture.html'),
    `<!doctype html>\n<html lang="ro"><head><meta charset="utf-8"><title>Știri de test</title><link rel="alternate" type="application/rss+xml" href="/rss.xml"></head>\n<body><article><h1>Consiliul aprobă bugetul podului</h1>\n${paragraph.repeat(8)}</article></body></html>\n`,
  );
  return 'articles/fixture.html';
}

await main();
