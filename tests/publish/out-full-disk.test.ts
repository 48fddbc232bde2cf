import { existsSync, mkdirSync, readdirSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { atPath } from '../../src/io/atomic-write.js';
import { fileSystemRefusal } from '../../src/cli/fs-refusal.js';
import { publishFiles } from '../../src/publish/publish-files.js';
import { BASE_CONFIG, makeProject, sampleBytes } from '../helpers.js';
import { mountSmallDisk, SMALL_DISK, type SmallDisk } from '../io/small-disk.js';

/**
 * A write the file system refuses is said of the file the run meant to write (in out/), never
 * of a temp file or a staged copy, and the hint names the folder whose file system refused
 * (the staging folder's may not be out/'s). After such a run, status and check say what
 * happened: the last run failed for lack of space, nothing of it was published, out/ holds the
 * last good feeds; not "interrupted", not a round-trip mismatch that reads like a bug.
 */
describe('a refused write names the file in out/', () => {
  it('when the staged copy cannot be written: the out/ file, and the staging folder for the hint', () => {
    const p = makeProject();
    const out = join(p.dir, 'out');
    // A file where the staging folder should be: its copy of rss.xml cannot be written.
    writeFileSync(join(p.dir, 'blocked'), 'x');
    const staging = join(p.dir, 'blocked', 'staging');
    let error: unknown;
    try {
      publishFiles(out, staging, new Map([['rss.xml', '<rss/>']]));
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'ENOTDIR', path: join(out, 'rss.xml'), stagedIn: staging });
    expect(existsSync(join(out, 'rss.xml'))).toBe(false);
  });

  it('in the message: the intended file, its staging folder, and df -h on the full one', () => {
    const e = Object.assign(new Error('ENOSPC: no space left on device, write'), {
      code: 'ENOSPC',
      path: '/site/.feedkeeper/staging/.rss.xml.tmp-7',
    });
    const staged = Object.assign(atPath(e, '/srv/out/rss.xml'), {
      stagedIn: '/site/.feedkeeper/staging',
    });
    expect(fileSystemRefusal('build', staged)).toBe(
      'feedkeeper build: no space left on the device (ENOSPC) while writing /srv/out/rss.xml (its staged copy, in /site/.feedkeeper/staging)\n' +
        '  The run stopped. Every file written so far is whole (the one being written keeps its previous bytes), out/ holds the last complete publication, and the next run picks up from here.\n' +
        '  hint: free space on the file system that holds /site/.feedkeeper/staging (df -h /site/.feedkeeper/staging), or raise the quota or the file size limit (ulimit -f), then run feedkeeper build again.',
    );
    // A copy's own error (copyfile names its source) is said of the target all the same.
    const copy = Object.assign(new Error('EDQUOT: disk quota exceeded, copyfile'), {
      code: 'EDQUOT',
      path: '/site/.feedkeeper/staging/rss.xml',
    });
    expect(fileSystemRefusal('build', atPath(copy, '/srv/out/rss.xml'))).toContain(
      'the disk quota is exhausted (EDQUOT) while writing /srv/out/rss.xml\n',
    );
  });
});

describe('the df -h of a full disk, pasted', () => {
  it('quotes a folder with a space or a control character (it was pasted as two words)', () => {
    for (const [folder, word] of [
      ['/srv/my site/out', "'/srv/my site/out'"],
      ['/srv/a\tb/out', "$'/srv/a\\tb/out'"],
    ] as const) {
      const e = Object.assign(new Error('ENOSPC: no space left on device, write'), {
        code: 'ENOSPC',
      });
      expect(fileSystemRefusal('build', atPath(e, `${folder}/rss.xml`))).toContain(
        `(df -h ${word})`,
      );
    }
  });
});

describe('a publication stopped between its renames', () => {
  it('says out/ may hold files of two runs, and the next build completes it', () => {
    // A folder where feed.json goes: the pages, rss.xml and atom.xml are renamed in first. The
    // message said "out/ holds the last complete publication" (found by the outside try).
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    expect(p.cli('build', '-q').status).toBe(0);
    rmSync(join(p.dir, 'out', 'feed.json'));
    mkdirSync(join(p.dir, 'out', 'feed.json'));
    p.write('b.txt', 'Al doilea titlu | Lume\n\nUn paragraf despre a doua știre.\n');
    const r = p.cli('build');
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('stopped between the renames of its publication');
    expect(r.stderr).not.toContain('out/ holds the last complete publication');
    rmdirSync(join(p.dir, 'out', 'feed.json'));
    expect(p.cli('build', '-q').status).toBe(0);
    expect(p.read('out/feed.json')).toContain('Al doilea titlu');
    expect(p.cli('check', '-q').status).toBe(0);
  });

  it('init says what init did, not what a build does', () => {
    const e = Object.assign(new Error('EACCES: permission denied, open'), {
      code: 'EACCES',
      path: '/site/feedkeeper.config.json',
    });
    const text = fileSystemRefusal('init', e) ?? '';
    expect(text).toContain('init stopped');
    expect(text).not.toContain('publication');
  });
});

if (SMALL_DISK !== null) console.log(`out/ on a full disk skipped: ${SMALL_DISK}`);

describe.skipIf(SMALL_DISK !== null)('out/ on a file system of its own, full (tmpfs)', () => {
  let disk: SmallDisk;
  afterAll(() => disk?.unmount());

  it('is refused naming the file in out/; status and check say what happened; the next build recovers', () => {
    disk = mountSmallDisk(1024) as SmallDisk;
    const out = join(disk.dir, 'out');
    const p = makeProject({ ...BASE_CONFIG, paths: { out } });
    const story = (i: number): string =>
      `Știrea ${i} | Lume\n\n${`Un paragraf lung despre știrea ${i}. `.repeat(40)}\n\nAl doilea paragraf.\n`;
    p.write('a0.txt', story(0));
    const first = p.cli('build');
    expect(first.status, first.stderr).toBe(0);
    for (let i = 1; i < 12; i++) p.write(`a${i}.txt`, story(i));
    // Room for a few pages, not for the run's: out/ fills while its pages are copied in.
    disk.leave(48 * 1024);
    const full = p.cli('build');
    expect(full.status, full.stdout + full.stderr).toBe(1);
    expect(full.stderr).toMatch(
      new RegExp(
        `^feedkeeper build: no space left on the device \\(ENOSPC\\) while writing ${out}/\\S+\\n`,
      ),
    );
    expect(full.stderr).not.toMatch(/staging|\.tmp-/);
    expect(full.stderr).toContain(`(df -h ${out}`);
    // Not a publication interrupted between two renames: none was started.
    expect(existsSync(join(p.dir, '.feedkeeper', 'publishing.json'))).toBe(false);
    const leftovers = readdirSync(out, { recursive: true }).filter((f) => /\.tmp-/.test(String(f)));
    expect(leftovers).toEqual([]);
    const status = p.cli('status');
    expect(status.stdout).toMatch(
      /^last run: failed, build, .*: no space left on the device \(ENOSPC\) while writing /m,
    );
    expect(status.stdout).toMatch(
      /^feeds: NOT up to date with the archive: the last run \(build, [^)]+\) failed: no space left on the device \(ENOSPC\) while writing .*; nothing of it was published: out\/ holds the last good publication/m,
    );
    expect(status.stdout).not.toContain('INTERRUPTED');
    const check = p.cli('check');
    expect(check.status).toBe(1);
    expect(check.stdout + check.stderr).toContain('FEEDS_NOT_UP_TO_DATE');
    expect(check.stdout + check.stderr).toContain('(ENOSPC) while writing');
    expect(check.stdout + check.stderr).not.toContain('ROUNDTRIP');
    disk.leave(1 << 30);
    const again = p.cli('build');
    expect(again.status, again.stderr).toBe(0);
    expect(p.cli('check').status).toBe(0);
    expect(p.cli('status').stdout).toContain('feeds: out/ holds what was last published');
  }, 120_000);
});
