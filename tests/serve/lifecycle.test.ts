import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request, type IncomingMessage } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startServer } from '../../src/serve/server.js';
import { makeProject, type Project } from '../helpers.js';
import {
  articleName,
  removeProjects,
  sleep,
  syntheticArticle,
  syntheticProject,
  waitFor,
} from '../schedule/process-helpers.js';
import { removeServed, servedProject, startServe, type Served } from './serve-helpers.js';

/**
 * How `serve` starts and stops: SIGTERM lets the response in flight finish (exit 0), slow
 * clients are cut off, a busy port is a clear error, and `schedule --serve` runs both in one
 * process with one shutdown.
 */

const made: Served[] = [];
afterAll(() => {
  for (const s of made.splice(0)) removeServed(s);
  removeProjects();
  for (const d of bare.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('--quiet', () => {
  it('serve -q / --quiet writes no access log line (the flag main.ts takes for every command)', async () => {
    for (const flag of ['--quiet', '-q']) {
      const s = await servedProject();
      made.push(s);
      const srv = await startServe(s.p, 'serve', '--port', '0', flag);
      const marker = `quiet-${flag}`;
      expect((await fetch(new URL(`/rss.xml?${marker}`, srv.url))).status).toBe(200);
      srv.running.child.kill('SIGTERM');
      expect((await srv.running.done).code).toBe(0);
      expect(srv.running.output()).not.toContain(marker);
    }
  });
});

describe('SIGTERM', () => {
  it('a response in flight (a 12 MB file read slowly) is finished, then exit 0', async () => {
    const s = await servedProject();
    made.push(s);
    const srv = await startServe(s.p, 'serve', '--port', '0', '--quiet');
    const received: Buffer[] = [];
    let response: IncomingMessage | null = null;
    const finished = new Promise<number>((resolve, reject) => {
      const req = request(new URL('/big.png', srv.url), (res) => {
        response = res;
        res.on('data', (c: Buffer) => {
          received.push(c);
          // Stop reading after the first chunk: the rest waits in the server's buffers.
          if (received.length === 1) res.pause();
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end();
    });
    await waitFor(() => received.length > 0, 'the first bytes');
    expect(srv.running.child.kill('SIGTERM')).toBe(true);
    await waitFor(() => srv.running.output().includes('SIGTERM: stopping'), 'the signal to land');
    // A second signal (SIGHUP: a closed terminal) changes nothing; it once met Node's default
    // action and cut the response short.
    expect(srv.running.child.kill('SIGHUP')).toBe(true);
    await waitFor(
      () => srv.running.output().includes('SIGHUP: already stopping'),
      'the second signal to land',
    );
    // Still serving the one response: not exited, and no new connection is accepted.
    await sleep(300);
    expect(srv.running.child.exitCode).toBeNull();
    expect(await connects(srv.url)).toBe(false);
    // Read the rest: the whole file arrives, then the process exits 0.
    response!.resume();
    expect(await finished).toBe(200);
    expect(Buffer.concat(received).equals(s.big)).toBe(true);
    const done = await srv.running.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.signal).toBeNull();
    expect(done.stderr.trimEnd()).toMatch(/ stopped\.$/);
  }, 60_000);
});

/**
 * One GET on a connection of its own: a kept-alive connection left idle while a slow build runs
 * may be closed by the server (keepAliveTimeout) just as a client reuses it.
 */
function getText(url: URL): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    request(url, { agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (text += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    })
      .on('error', reject)
      .end();
  });
}

/** A project with an out/ holding one file, for what needs no build. */
function bareProject(): Project {
  const p = makeProject();
  mkdirSync(join(p.dir, 'out'));
  writeFileSync(join(p.dir, 'out', 'rss.xml'), '<rss version="2.0"><channel/></rss>\n');
  bare.push(p.dir);
  return p;
}
const bare: string[] = [];

function connects(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const s = connect(Number(port), hostname);
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

describe('slow and idle clients', () => {
  it('headers that never finish are cut off (408), and the server goes on', async () => {
    const p = bareProject();
    const server = await startServer({
      outDir: join(p.dir, 'out'),
      stateDir: join(p.dir, '.feedkeeper'),
      host: '127.0.0.1',
      port: 0,
      log: null,
      headersTimeoutMs: 300,
      requestTimeoutMs: 600,
    });
    try {
      const port = server.address.port;
      const answer = await new Promise<string>((resolve) => {
        let got = '';
        const sock = connect(port, '127.0.0.1', () => {
          // Slowloris: a request line and one header, then a byte now and then, never the end.
          sock.write('GET /rss.xml HTTP/1.1\r\nHost: x\r\n');
          const drip = setInterval(() => sock.writable && sock.write('X'), 100);
          sock.on('close', () => clearInterval(drip));
        });
        sock.on('data', (d) => (got += d.toString()));
        sock.on('close', () => resolve(got));
        sock.on('error', () => resolve(got));
      });
      expect(answer).toMatch(/^HTTP\/1\.1 408 /);
      const ok = await fetch(`http://127.0.0.1:${port}/rss.xml`);
      expect(ok.status).toBe(200);
    } finally {
      await server.close();
    }
  }, 30_000);
});

describe('start-up errors', () => {
  it('a port in use: exit 2 with what to do, nothing else started', async () => {
    const p = bareProject();
    const first = await startServe(p, 'serve', '--port', '0', '--quiet');
    const port = new URL(first.url).port;
    const second = p.cli('serve', '--port', port);
    expect(second.status).toBe(2);
    expect(second.stderr).toContain(`cannot listen on 127.0.0.1:${port}: the port is in use`);
    expect(second.stderr).toContain('hint: choose another with --port');
    first.running.child.kill('SIGTERM');
    expect((await first.running.done).code).toBe(0);
  }, 30_000);

  it('an empty --host is refused like an empty serve.host; an unknown host name says so', () => {
    // An unset `--host "$HOST"` listened on every interface (found by the outside try).
    const p = bareProject();
    const empty = p.cli('serve', '--host', '', '--port', '0');
    expect(empty.status).toBe(2);
    expect(empty.stderr).toContain('--host "" is not a host');
    // Reported as a file system refusal ("free space") before.
    const unknown = p.cli('serve', '--host', 'nosuch.invalid', '--port', '0');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('cannot listen on nosuch.invalid:0: no such host name');
    expect(unknown.stderr).not.toContain('file system');
  }, 30_000);

  it('a bad --port, a bad serve.port and no out/ yet are refused with exit 2', () => {
    const p = makeProject();
    expect(p.cli('serve', '--port', 'http').stderr).toContain(
      '--port "http" is not a port; write a number from 0 to 65535',
    );
    expect(p.cli('serve', '--port', '70000').status).toBe(2);
    const none = p.cli('serve');
    expect(none.status).toBe(2);
    expect(none.stderr).toContain('does not exist: there is nothing to serve yet');
    p.config({
      site: {
        title: 'T',
        baseUrl: 'https://news.example.org',
        author: { name: 'N' },
      },
      serve: { port: 80.5 },
    });
    const bad = p.cli('serve');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('"serve.port": expected a whole port number');
  });
});

describe('schedule --serve: the scheduler and the server in one process', () => {
  it('builds, serves what it built, and stops both on SIGTERM with exit 0', async () => {
    const p = syntheticProject(3);
    const srv = await startServe(p, 'schedule', '--cron', '0 0 1 1 *', '--serve', '--port', '0');
    await waitFor(
      () => existsSync(join(p.dir, 'out', 'rss.xml.br')),
      'the first run to publish',
      30_000,
    );
    await waitFor(() => srv.running.output().includes('run ok in'), 'the first run to finish');
    const r = await getText(new URL('/rss.xml', srv.url));
    expect(r.status).toBe(200);
    expect(r.text).toBe(readFileSync(join(p.dir, 'out', 'rss.xml'), 'utf8'));
    // A new article, then the next run (a second process, since this one never ticks): the
    // server answers the new bytes at once.
    p.write(articleName(3), syntheticArticle(3));
    expect(p.cli('build').status).toBe(0);
    const after = await getText(new URL('/feed.json', srv.url));
    expect((JSON.parse(after.text) as { items: unknown[] }).items).toHaveLength(4);

    srv.running.child.kill('SIGTERM');
    const done = await srv.running.done;
    expect(done.code, done.stdout + done.stderr).toBe(0);
    expect(done.stderr).toContain(
      'SIGTERM: stopping (no new runs; waiting for the current one to finish and the requests in flight)',
    );
    expect(done.stderr.trimEnd()).toMatch(/ stopped\.$/);
    // stdout is the access log only.
    expect(done.stdout.trim().split('\n')).toHaveLength(2);
    expect(done.stdout).toMatch(/"GET \/rss\.xml HTTP\/1\.1" 200 \d+\n/);
  }, 60_000);

  it('a paths.out changed while it runs is refused each tick with a logged error, not built elsewhere', async () => {
    // Found by an outside try: the runs published into the new folder while the server went on
    // answering the old one: readers got a frozen feed, and nothing said so.
    const p = syntheticProject(2);
    const srv = await startServe(p, 'schedule', '--cron', '* * * * * *', '--serve', '--port', '0');
    try {
      await waitFor(() => srv.running.output().includes('run ok in'), 'the first run', 30_000);
      const file = join(p.dir, 'feedkeeper.config.json');
      const config = JSON.parse(readFileSync(file, 'utf8')) as { paths?: Record<string, string> };
      config.paths = { ...config.paths, out: 'out2' };
      writeFileSync(file, JSON.stringify(config, null, 2));
      await waitFor(
        () => srv.running.output().includes('run skipped: the configuration is invalid'),
        'the refusal',
        30_000,
      );
      expect(srv.running.output()).toContain(
        `paths.out is now ${join(p.dir, 'out2')}, while this schedule --serve serves ${join(p.dir, 'out')}`,
      );
      expect(srv.running.output()).toContain('hint: restart the service to serve the new folder');
      expect(existsSync(join(p.dir, 'out2'))).toBe(false);
      // And `status` says so, for a monitor: the last run is the refusal, not the run before it.
      const st = p.cli('status');
      expect(st.status, st.stdout + st.stderr).toBe(1);
      expect(st.stdout).toMatch(
        /^last run: failed, schedule, .*: refused: paths\.out is now .*out2, while this schedule --serve serves /m,
      );
    } finally {
      srv.running.child.kill('SIGTERM');
    }
    expect((await srv.running.done).code).toBe(0);
  }, 60_000);

  it('--port without --serve is a usage error', () => {
    const p = makeProject();
    const r = p.cli('schedule', '--port', '8081');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--host, --port and --quiet go with --serve.');
  });
});
