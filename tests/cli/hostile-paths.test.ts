import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  lutimesSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import { CLI, jsonOf, makeProject, sampleBytes, type Project, RUN_LIMIT_MS } from '../helpers.js';

/**
 * Stored "articles" that are not regular files you can read (issue 10, part 6): each is the
 * article's own problem, with a code, its path and a hint; the run goes on and the good article
 * is published. Before: a link to /etc/passwd was published in all three feeds; a FIFO hung the
 * run; a link loop, a folder `x.txt` and a name that is not UTF-8 were skipped without a word;
 * a file name with a new line forged lines in the report.
 */
const SAMPLE = '000_4b52bae062771df2.txt';
const FEEDS = ['out/rss.xml', 'out/atom.xml', 'out/feed.json'];

function hostileProject(): Project {
  const p = makeProject();
  p.write(SAMPLE, sampleBytes());
  const a = p.articles;
  symlinkSync('/etc/passwd', join(a, 'passwd.txt'));
  spawnSync('mkfifo', [join(a, 'fifo.txt')]);
  symlinkSync('loop.txt', join(a, 'loop.txt'));
  symlinkSync('missing.txt', join(a, 'dangling.txt'));
  mkdirSync(join(a, 'x.txt'));
  // Windows-1250 `ș` (0xBA) in a name: not UTF-8.
  writeFileSync(
    Buffer.concat([Buffer.from(`${a}/st`), Buffer.from([0xba]), Buffer.from('ire.txt')]),
    'Titlu\n\nText.\n',
  );
  return p;
}

describe('stored articles that are not regular files', () => {
  it('are reported one by one, never followed or opened, and the rest is published', async () => {
    const p = hostileProject();
    // A socket, made by a listening server (closed once the runs are done).
    const server = createServer();
    await new Promise<void>((ok) => server.listen(join(p.articles, 'sock.txt'), ok));
    // Old enough that the scan trusts their stat (RACY_MS in archive/catalogue.ts): the
    // second run must find nothing to do.
    const t = Date.now() / 1000 - 60;
    for (const name of readdirSync(p.articles, { encoding: 'buffer' }))
      lutimesSync(Buffer.concat([Buffer.from(`${p.articles}/`), name]), t, t);
    try {
      const r = p.cli('build', '--json');
      expect(r.status, r.stderr).toBe(1);
      const report = jsonOf<RunReport>(r);
      const got = report.issues.map((i) => [i.code, i.file]);
      expect(got).toEqual(
        expect.arrayContaining([
          ['ARTICLE_LINK_OUTSIDE', 'archive/articles/passwd.txt'],
          ['ARTICLE_NOT_A_FILE', 'archive/articles/fifo.txt'],
          ['ARTICLE_NOT_A_FILE', 'archive/articles/sock.txt'],
          ['ARTICLE_NOT_A_FILE', 'archive/articles/x.txt'],
          ['ARTICLE_UNREADABLE', 'archive/articles/loop.txt'],
          ['ARTICLE_UNREADABLE', 'archive/articles/dangling.txt'],
          ['ARTICLE_NAME_NOT_UTF8', 'archive/articles/st\\xbaire.txt'],
        ]),
      );
      expect(report.issues).toHaveLength(7);
      for (const i of report.issues) {
        expect(i.severity).toBe('error');
        expect(i.hint).not.toBe('');
      }
      expect(report.archive.added).toHaveLength(1);
      expect(report.archive.rejected).toBe(7);
      for (const f of FEEDS) expect(p.read(f)).not.toContain('root:');
      expect(JSON.parse(p.read('out/feed.json')).items).toHaveLength(1);

      // Reported again on the next run (nothing else to do), and nothing written.
      const again = p.cli('build', '--json');
      expect(again.status).toBe(1);
      const second = jsonOf<RunReport>(again);
      expect(second.issues.map((i) => [i.code, i.file]).sort()).toEqual([...got].sort());
      expect(second.written).toEqual([]);
    } finally {
      await new Promise((ok) => server.close(ok));
    }
  });

  it('a link to an article inside the folder is read; fixing a problem clears it', () => {
    const p = makeProject();
    p.write(SAMPLE, sampleBytes());
    mkdirSync(join(p.dir, 'elsewhere'));
    writeFileSync(
      join(p.dir, 'elsewhere', 'b.txt'),
      'Alt titlu\n\nUn alt articol, cu text destul de lung pentru detectare.\n',
    );
    symlinkSync(join(p.dir, 'elsewhere', 'b.txt'), join(p.articles, 'b.txt'));
    const first = jsonOf<RunReport>(p.cli('build', '--json'));
    expect(first.issues.map((i) => i.code)).toEqual(['ARTICLE_LINK_OUTSIDE']);
    expect(first.archive.added).toHaveLength(1);

    // The newsroom moves the file in and links to it there: now it is an article, read at its
    // own name; the link is another name for it (it sorts first, and held the record once,
    // with the file reported as its duplicate).
    rmSync(join(p.articles, 'b.txt'));
    renameSync(join(p.dir, 'elsewhere', 'b.txt'), join(p.articles, 'real-b.txt'));
    symlinkSync('real-b.txt', join(p.articles, 'b.txt'));
    const second = p.cli('build', '--json');
    const report = jsonOf<RunReport>(second);
    expect(report.issues).toEqual([]);
    expect(report.archive.added).toHaveLength(1);
    const added = JSON.parse(
      readFileSync(join(p.dir, 'archive', 'records', report.archive.added[0] ?? ''), 'utf8'),
    ) as { input: { path: string } };
    expect(added.input.path).toBe('archive/articles/real-b.txt');
    expect(second.status).toBe(0);
  });
});

describe('the human report', () => {
  it('escapes control characters in names: a new line cannot forge a line', () => {
    const p = makeProject();
    p.write(SAMPLE, sampleBytes());
    const forged = 'x.txt\nerror FAKE_CODE archive/articles/all.txt: forged\u001b[2J';
    p.write(`${forged}.txt`, 'Doar un titlu\n');
    const r = p.cli('build');
    expect(r.status).toBe(1);
    // The report on stdout, problems on stderr (README, "The command line"): neither forged.
    const lines = `${r.stdout}\n${r.stderr}`.split('\n');
    expect(lines.some((l) => l.startsWith('error FAKE_CODE'))).toBe(false);
    expect(`${r.stdout}${r.stderr}`).not.toContain('\u001b');
    expect(lines).toContain(
      'error ARTICLE_NO_BODY archive/articles/x.txt\\nerror FAKE_CODE archive/articles/all.txt: forged\\u001b[2J.txt: has a headline but no body text.',
    );
    // --json keeps the name exactly (JSON escapes it itself).
    const json = jsonOf<RunReport>(p.cli('build', '--json'));
    expect(json.issues[0]?.file).toBe(`archive/articles/${forged}.txt`);
  });
});

/**
 * A file the run cannot read. Tests run as root here, and root reads any file whatever its
 * mode, so the build runs as root without its capabilities (setpriv: no CAP_DAC_OVERRIDE or
 * CAP_DAC_READ_SEARCH), for which a mode of 000 means what it says. Running it as `nobody`
 * instead failed wherever the clone sits in a folder only root may enter (mktemp -d).
 */
describe('an unreadable stored article', () => {
  const withoutCapabilities = (p: Project, ...args: string[]) =>
    spawnSync(
      'setpriv',
      ['--inh-caps=-all', '--bounding-set=-all', process.execPath, CLI, ...args],
      {
        cwd: p.dir,
        encoding: 'utf8',
        env: { ...process.env, FEEDKEEPER_CONFIG: '' },
        timeout: RUN_LIMIT_MS,
      },
    );
  const root = process.getuid?.() === 0;
  const canDrop = root && spawnSync('setpriv', ['--version']).status === 0;

  it.runIf(canDrop || !root)('and an unreadable folder are problems of their own', () => {
    const p = makeProject();
    p.write(SAMPLE, sampleBytes());
    const secret = p.write(
      'secret.txt',
      'Secret | X\n\nUn text pe care nimeni nu îl poate citi.\n',
    );
    chmodSync(secret, 0o000);
    mkdirSync(join(p.articles, 'locked'));
    p.write('locked/a.txt', 'Închis | X\n\nUn text într-un dosar închis.\n');
    chmodSync(join(p.articles, 'locked'), 0o000);
    const run = (...args: string[]) => (root ? withoutCapabilities(p, ...args) : p.cli(...args));
    const r = run('build', '--json');
    expect(r.status, r.stderr).toBe(1);
    const report = jsonOf<RunReport>(r);
    expect(report.issues.map((i) => [i.code, i.file]).sort()).toEqual([
      ['ARTICLE_UNREADABLE', 'archive/articles/locked'],
      ['ARTICLE_UNREADABLE', 'archive/articles/secret.txt'],
    ]);
    expect(report.issues.find((i) => i.file.endsWith('secret.txt'))?.hint).toMatch(/chmod/);
    expect(report.archive.added).toHaveLength(1);
    expect(readFileSync(join(p.dir, 'out', 'feed.json'), 'utf8')).toContain('"items"');
  });
});
