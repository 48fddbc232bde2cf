import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { request } from 'node:http';
import { hostname, tmpdir } from 'node:os';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { outputFiles } from '../../src/model/outputs.js';
import { setGoneMarkers } from '../../src/publish/gone-markers.js';
import { encode, loadHashes, recordHashes } from '../../src/publish/precompress.js';
import { startServer, type RunningServer } from '../../src/serve/server.js';
import {
  articleName,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';
import { RUN_LIMIT_MS, type Project } from '../helpers.js';

/**
 * The copies `feedkeeper build` writes beside each published file (publish/precompress.ts),
 * the hashes it records for `serve`, the 410 markers, and how `serve` treats copies that are
 * missing or stale.
 */
afterAll(removeProjects);

const outOf = (p: Project): string => join(p.dir, 'out');
const bytesOf = (p: Project, name: string): Buffer => readFileSync(join(outOf(p), name));

function expectCopies(p: Project): void {
  for (const name of [...outputFiles(), 'index.html']) {
    const file = statSync(join(outOf(p), name));
    const bytes = bytesOf(p, name);
    expect(gunzipSync(bytesOf(p, `${name}.gz`)).equals(bytes), `${name}.gz`).toBe(true);
    expect(brotliDecompressSync(bytesOf(p, `${name}.br`)).equals(bytes), `${name}.br`).toBe(true);
    for (const ext of ['.gz', '.br'])
      expect(statSync(join(outOf(p), name + ext)).mtimeMs).toBeGreaterThanOrEqual(file.mtimeMs);
  }
}

describe('build writes the copies and the hashes; nothing else notices them', () => {
  it('a first build: .gz and .br beside each feed, hashes recorded, check passes', () => {
    const p = syntheticProject(4);
    expect(p.cli('build').status).toBe(0);
    expect(readdirSync(outOf(p)).sort()).toEqual(
      [
        '.feedkeeper-out', // the marker: this folder is feedkeeper's (pipeline/out-folder.ts)
        'archive', // the RFC 5005 archive documents and the month pages, with their copies
        'articles', // the article pages (README "Pages"), with theirs
        ...[...outputFiles(), 'index.html'].flatMap((f) => [f, `${f}.br`, `${f}.gz`]),
      ].sort(),
    );
    expectCopies(p);
    const etags = loadHashes(join(p.dir, '.feedkeeper')).rows;
    // The feeds and the pages (the front page here) alike.
    for (const name of [...outputFiles(), 'index.html']) {
      const s = statSync(join(outOf(p), name));
      expect(etags.get(name)).toEqual({
        size: s.size,
        mtimeMs: s.mtimeMs,
        sha256: createHash('sha256').update(bytesOf(p, name)).digest('hex'),
      });
    }
    // The publish state lists the outputs only, and `check` proves them with the copies there.
    const state = JSON.parse(p.read('.feedkeeper/published.json'));
    expect(Object.keys(state.files).sort()).toEqual(outputFiles().sort());
    const check = p.cli('check');
    expect(check.status, check.stdout + check.stderr).toBe(0);
  });

  it('a build with nothing new writes nothing; a new article replaces the feeds and their copies', () => {
    const p = syntheticProject(3);
    expect(p.cli('build').status).toBe(0);
    const before = p.snapshot();
    expect(p.cli('build').status).toBe(0);
    const after = p.snapshot();
    const changed = Object.keys(after).filter(
      (k) => after[k]!.mtimeMs !== before[k]?.mtimeMs && !k.endsWith('runs.jsonl'),
    );
    expect(changed).toEqual([]);

    const oldGz = bytesOf(p, 'rss.xml.gz');
    p.write(articleName(3), syntheticArticle(3));
    expect(p.cli('build').status).toBe(0);
    expect(bytesOf(p, 'rss.xml.gz').equals(oldGz)).toBe(false);
    expectCopies(p);
  });

  it('copies deleted or made stale by hand are repaired by the next build that renders', () => {
    const p = syntheticProject(2);
    expect(p.cli('build').status).toBe(0);
    rmSync(join(outOf(p), 'atom.xml.br'));
    const past = Date.now() / 1000 - 3600;
    utimesSync(join(outOf(p), 'feed.json.gz'), past, past);
    writeFileSync(join(outOf(p), 'rss.xml.gz'), 'not gzip');
    utimesSync(join(outOf(p), 'rss.xml.gz'), past, past);
    expect(p.cli('build', '--full').status).toBe(0);
    expectCopies(p);
  });

  it("the copies' temp files a killed run left are removed; a newsroom's own are not", () => {
    const p = syntheticProject(1);
    expect(p.cli('build').status).toBe(0);
    writeFileSync(join(outOf(p), '.rss.xml.gz.tmp-99999'), 'half');
    writeFileSync(join(outOf(p), '.atom.xml.br.tmp-99998'), 'half');
    writeFileSync(join(outOf(p), '.notes.gz.tmp-1'), 'theirs');
    // A run left nothing behind it: the next run does not look (it would walk all of out/).
    expect(p.cli('build').status).toBe(0);
    // (and the marker, .feedkeeper-out)
    expect(readdirSync(outOf(p)).filter((f) => f.startsWith('.'))).toHaveLength(4);
    // A killed run leaves its lock (a dead pid): the next run takes it over and cleans up.
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], {
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    writeFileSync(
      join(p.dir, '.feedkeeper', 'lock'),
      `${JSON.stringify({ pid: Number(dead.stdout), host: hostname(), command: 'build', startedAt: '2026-01-01T00:00:00.000Z', procStart: 'gone' })}\n`,
    );
    expect(p.cli('build').status).toBe(0);
    expect(readdirSync(outOf(p)).filter((f) => f.startsWith('.'))).toEqual([
      '.feedkeeper-out',
      '.notes.gz.tmp-1',
    ]);
  });

  it('encode() is deterministic: serve, compressing a file itself, makes the bytes build wrote', async () => {
    const p = syntheticProject(2);
    expect(p.cli('build').status).toBe(0);
    const enc = await encode(bytesOf(p, 'atom.xml'));
    expect(enc.gzip!.equals(bytesOf(p, 'atom.xml.gz'))).toBe(true);
    expect(enc.br!.equals(bytesOf(p, 'atom.xml.br'))).toBe(true);
    expect(await encode(Buffer.from('tiny'))).toEqual({ gzip: null, br: null });
  });
});

function get(
  server: RunningServer,
  path: string,
  headers: Record<string, string>,
): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    request(
      { host: '127.0.0.1', port: server.address.port, path, headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    )
      .on('error', reject)
      .end();
  });
}

const serveOut = (p: Project): Promise<RunningServer> =>
  startServer({
    outDir: outOf(p),
    stateDir: join(p.dir, '.feedkeeper'),
    host: '127.0.0.1',
    port: 0,
    log: null,
  });

describe('serve and the copies', () => {
  it('a stale copy (older than its file) is not sent; a missing one is made in memory', async () => {
    const p = syntheticProject(2);
    expect(p.cli('build').status).toBe(0);
    const past = Date.now() / 1000 - 3600;
    writeFileSync(join(outOf(p), 'rss.xml.gz'), 'stale bytes from an older publication');
    utimesSync(join(outOf(p), 'rss.xml.gz'), past, past);
    rmSync(join(outOf(p), 'rss.xml.br'));
    const server = await serveOut(p);
    try {
      const gz = await get(server, '/rss.xml', { 'Accept-Encoding': 'gzip' });
      expect(gz.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(gz.body).equals(bytesOf(p, 'rss.xml'))).toBe(true);
      const br = await get(server, '/rss.xml', { 'Accept-Encoding': 'br' });
      expect(br.headers['content-encoding']).toBe('br');
      expect(brotliDecompressSync(br.body).equals(bytesOf(p, 'rss.xml'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('a file replaced while serving is answered with its new bytes, ETag and copies', async () => {
    const p = syntheticProject(2);
    expect(p.cli('build').status).toBe(0);
    const server = await serveOut(p);
    try {
      const before = await get(server, '/feed.json', { 'Accept-Encoding': 'br' });
      p.write(articleName(2), syntheticArticle(2));
      expect(p.cli('build').status).toBe(0);
      const after = await get(server, '/feed.json', { 'Accept-Encoding': 'br' });
      expect(after.headers['etag']).not.toBe(before.headers['etag']);
      expect(brotliDecompressSync(after.body).equals(bytesOf(p, 'feed.json'))).toBe(true);
      const sha = createHash('sha256').update(bytesOf(p, 'feed.json')).digest('hex');
      expect(after.headers['etag']).toBe(`"${sha.slice(0, 32)}-br"`);
    } finally {
      await server.close();
    }
  });

  it('410 follows the marker: set before a notice page is published, removed when it is not', async () => {
    const p = syntheticProject(1);
    expect(p.cli('build').status).toBe(0);
    const out = outOf(p);
    setGoneMarkers(out, [{ file: 'page.html', status: 410 }]);
    writeFileSync(join(out, 'page.html'), '<!doctype html><p>Withdrawn.</p>\n');
    expect(existsSync(join(out, 'page.html.gone'))).toBe(true);
    const server = await serveOut(p);
    try {
      expect((await get(server, '/page.html', {})).status).toBe(410);
      // Restored: the marker goes, then the article's page replaces the notice.
      setGoneMarkers(out, [{ file: 'page.html', status: undefined }]);
      expect(existsSync(join(out, 'page.html.gone'))).toBe(false);
      writeFileSync(join(out, 'page.html'), '<!doctype html><p>The article, back.</p>\n');
      expect((await get(server, '/page.html', {})).status).toBe(200);
    } finally {
      await server.close();
    }
  });
});

describe('etags.json written before journals (an upgrade)', () => {
  it('is read once: the hashes of files not published again are kept, in a new snapshot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-etags-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    writeFileSync(join(out, 'old.html'), 'old page');
    writeFileSync(join(out, 'new.html'), 'new page');
    const old = statSync(join(out, 'old.html'));
    const legacy = { 'old.html': { size: old.size, mtimeMs: old.mtimeMs, sha256: 'a'.repeat(64) } };
    writeFileSync(join(dir, 'etags.json'), JSON.stringify(legacy, null, 2));
    expect(recordHashes(out, dir, new Map([['new.html', 'new page']]), () => ['old.html'])).toEqual(
      [join(dir, 'etags.json')],
    );
    const rows = loadHashes(dir).rows;
    expect(rows.get('old.html')?.sha256).toBe('a'.repeat(64));
    expect(rows.get('new.html')?.sha256).toBe(
      createHash('sha256').update('new page').digest('hex'),
    );
  });
});

describe('recording the hashes of a run that publishes a few files', () => {
  const sha = (text: string): string => createHash('sha256').update(text).digest('hex');
  const later = (path: string, text: string, at: number): void => {
    writeFileSync(path, text);
    utimesSync(path, at, at);
  };

  it('appends their rows without reading the table; files older than its last save are not hashed again', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-etags-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    const t0 = Date.now() / 1000 - 100;
    const many = new Map<string, string>();
    for (let i = 0; i < 200; i++) {
      later(join(out, `p${i}.html`), `page ${i}`, t0);
      many.set(`p${i}.html`, `page ${i}`);
    }
    expect(recordHashes(out, dir, many)).toEqual([join(dir, 'etags.json')]);
    // The snapshot's rows can no longer be parsed: a writer that read them would fail over to
    // a new snapshot; this one appends to the journal. Saved at t0 + 10.
    const snapshot = readFileSync(join(dir, 'etags.json'), 'utf8');
    later(join(dir, 'etags.json'), snapshot.replace('"p7.html"', '"p7.html'), t0 + 10);
    later(join(out, 'p1.html'), 'page 1, revised', t0 + 20);
    const run = new Map([
      ['p0.html', 'page 0'],
      ['p1.html', 'page 1, revised'],
    ]);
    expect(recordHashes(out, dir, run)).toEqual([join(dir, 'etags.journal')]);
    const journal = readFileSync(join(dir, 'etags.journal'), 'utf8');
    expect(journal).toContain(sha('page 1, revised'));
    // p0.html is older than the save before: already recorded, not hashed again.
    expect(journal).not.toContain('p0.html');
    // Nothing newer than the last save (t0 + 30): nothing is written.
    utimesSync(join(dir, 'etags.journal'), t0 + 30, t0 + 30);
    later(join(dir, 'etags.json'), snapshot, t0 + 10);
    expect(recordHashes(out, dir, run)).toEqual([]);
    expect(loadHashes(dir).rows.get('p1.html')?.sha256).toBe(sha('page 1, revised'));
    expect(loadHashes(dir).rows.get('p2.html')?.sha256).toBe(sha('page 2'));
  });

  it('a file named but gone from out/ is dropped from the table', () => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-etags-'));
    const out = join(dir, 'out');
    mkdirSync(out);
    const t0 = Date.now() / 1000 - 100;
    later(join(out, 'a.html'), 'a', t0);
    later(join(out, 'b.html'), 'b', t0);
    recordHashes(
      out,
      dir,
      new Map([
        ['a.html', 'a'],
        ['b.html', 'b'],
      ]),
    );
    expect(recordHashes(out, dir, new Map([['c.html', 'c']]))).toEqual([
      join(dir, 'etags.journal'),
    ]);
    expect(loadHashes(dir).rows.has('c.html')).toBe(false);
    expect([...loadHashes(dir).rows.keys()].sort()).toEqual(['a.html', 'b.html']);
  });
});
