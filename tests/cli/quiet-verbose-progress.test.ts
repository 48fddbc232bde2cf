import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { takeGlobalFlags } from '../../src/cli/output.js';
import { CLI, makeProject, sampleBytes, type Project, RUN_LIMIT_MS } from '../helpers.js';

/** A project with the sample archived and published: the next build is a no-op. */
const published = (): Project => {
  const p = makeProject();
  p.write('000_4b52bae062771df2.txt', sampleBytes());
  expect(p.cli('build').status).toBe(0);
  return p;
};

describe('-q/--quiet and -v/--verbose', () => {
  it('a no-op build with -q (or --quiet, before or after the command) prints nothing at all', () => {
    const p = published();
    for (const args of [
      ['build', '-q'],
      ['--quiet', 'build'],
      ['-q', 'check'],
    ]) {
      const r = p.cli(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toBe('');
    }
    // Without -q the same no-op run says so.
    expect(p.cli('build').stdout).toContain('no file written');
  });

  it('-q still prints one line when something changed, and problems (on stderr)', () => {
    const p = published();
    p.write('second.txt', 'A second story | World\n\nIt has a lede.\n\nAnd a paragraph of text.\n');
    p.write('empty.txt', '');
    const r = p.cli('build', '-q');
    expect(r.status).toBe(1);
    expect(r.stdout.trimEnd().split('\n')).toEqual([
      expect.stringMatching(
        /^archive: 1 added, 0 revised, 0 withdrawn, 1 rejected; feeds: 2 entries; \d+ files written\.$/,
      ),
    ]);
    expect(r.stderr).toMatch(/^error ARTICLE_EMPTY archive\/articles\/empty\.txt: .*\n {2}hint: /);
    // The rejected article is still a problem on the next run: printed, though nothing changed.
    const again = p.cli('build', '-q');
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('error ARTICLE_EMPTY archive/articles/empty.txt');
  });

  it('-v names the configuration, lists every path (not 20) and the duration', () => {
    const p = makeProject();
    for (let i = 0; i < 25; i++)
      p.write(
        `a${String(i).padStart(2, '0')}.txt`,
        `Story number ${i} | World\n\nThe lede of story ${i}.\n\nMore text about story ${i}.\n`,
      );
    const r = p.cli('build', '-v');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^config: .*feedkeeper\.config\.json$/m);
    expect(r.stdout.match(/^ {2}added {5}/gm)).toHaveLength(25);
    expect(r.stdout).not.toContain('more (--verbose or --json lists them all)');
    expect(r.stdout).toMatch(/^took \d+ ms\.$/m);
  });

  it('takeGlobalFlags: the last of -q/-v wins; anything after -- is left alone', () => {
    expect(takeGlobalFlags(['build', '-q', '--json'])).toEqual({
      argv: ['build', '--json'],
      verbosity: 'quiet',
    });
    expect(takeGlobalFlags(['-q', 'build', '--verbose'])).toEqual({
      argv: ['build'],
      verbosity: 'verbose',
    });
    expect(takeGlobalFlags(['init', '--', '-v'])).toEqual({
      argv: ['init', '--', '-v'],
      verbosity: 'normal',
    });
  });
});

/**
 * The progress line needs stderr to be a terminal: `script` (util-linux) gives the run a
 * pseudo-terminal, and FEEDKEEPER_PROGRESS_AFTER_MS=0 shows it without a slow run (no timing
 * in the test). Piped, or with --json or -q, there is none, even with the delay at 0.
 */
const haveScript = spawnSync('script', ['--version']).status === 0;
const PROGRESS = /\r\x1b\[Kfeedkeeper build: (reading|read) /;

describe('the progress line', () => {
  const env = { ...process.env, FEEDKEEPER_CONFIG: '', FEEDKEEPER_PROGRESS_AFTER_MS: '0' };
  const fresh = (): Project => {
    const p = makeProject();
    for (let i = 0; i < 3; i++)
      p.write(
        `s${i}.txt`,
        `Story ${i} | World\n\nThe lede of story ${i}.\n\nMore text about story ${i}.\n`,
      );
    return p;
  };
  const onTerminal = (p: Project, ...args: string[]): string => {
    const command = [process.execPath, CLI, ...args].map((a) => JSON.stringify(a)).join(' ');
    // A build reads no input; the timeout only keeps a stuck terminal from hanging the suite.
    const r = spawnSync('script', ['-qec', command, '/dev/null'], {
      cwd: p.dir,
      encoding: 'utf8',
      env,
      timeout: 120_000,
    });
    expect(r.status, r.stdout).toBe(0);
    return r.stdout;
  };

  it.skipIf(!haveScript)(
    'on a terminal: drawn on stderr while the run goes, then erased before the report',
    () => {
      const out = onTerminal(fresh(), 'build');
      expect(out).toMatch(PROGRESS);
      expect(out).toMatch(/reading stored articles \d\/3|read 3 stored articles/);
      // Erased: the last thing before the report is the erase sequence.
      expect(out).toMatch(/\r\x1b\[Karchive: 3 added/);
    },
  );

  it.skipIf(!haveScript)('on a terminal with --json or -q: none', () => {
    expect(onTerminal(fresh(), 'build', '--json')).not.toMatch(PROGRESS);
    expect(onTerminal(fresh(), 'build', '-q')).not.toMatch(PROGRESS);
  });

  it('piped (a log file, cron): none', () => {
    const p = fresh();
    const r = spawnSync(process.execPath, [CLI, 'build'], {
      cwd: p.dir,
      encoding: 'utf8',
      env,
      timeout: RUN_LIMIT_MS,
    });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout).not.toContain('\r');
  });
});
