import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWithin, mkfifo, feedIds, makeProject, sampleBytes, type Project } from '../helpers.js';

/**
 * Records that are not plain regular files (io/read-regular.ts, io/walk-files.ts). Found by the
 * outside try: a record that is a FIFO made build, check, archive show and history wait forever
 * for a writer (build holding the lock), a link to /dev/zero grew the process by gigabytes, and
 * records kept as links (git-annex, a year moved to another disk) were not listed when the
 * catalogue was rebuilt, so their articles were minted again with new ids, while archive verify
 * called them missing. Now a linked record is read everywhere, and anything else that is not a
 * regular file is RECORD_CORRUPT saying what it is.
 */
const LIMIT_MS = 20_000;
const run = (p: Project, ...args: string[]) => cliWithin(p, LIMIT_MS, ...args);

/** A project with two published articles; returns it and the path of the second one's record. */
function published(): { p: Project; records: string; first: string } {
  const p = makeProject();
  p.write('a.txt', sampleBytes());
  p.write('b.md', '---\ntitle: Second story\n---\n\nThe second story has a body of its own.\n');
  expect(run(p, 'build', '-q').status).toBe(0);
  const records = join(p.dir, 'archive', 'records');
  const month = readdirSync(records).find((d) => !d.startsWith('.')) ?? '';
  const inMonth = join(records, month, readdirSync(join(records, month))[0] ?? '');
  const first = readdirSync(inMonth).find((f) => f.startsWith('second-story')) ?? '';
  return { p, records, first: join(inMonth, first) };
}

describe('a record that is not a regular file', () => {
  it.each([
    ['a FIFO', (path: string) => mkfifo(path), 'is a FIFO (named pipe), not a regular file'],
    [
      'a link to /dev/zero',
      (path: string) => symlinkSync('/dev/zero', path),
      'is a symbolic link to /dev/zero, a character device, not a regular file',
    ],
  ])(
    '%s is RECORD_CORRUPT, never opened blocking, the rest published',
    (_, make, says) => {
      const { p, first } = published();
      const name = first.slice(p.dir.length + 1);
      const slug = name.replace(/^.*\//, '').replace(/\.json$/, '');
      rmSync(first);
      make(first);
      for (const args of [
        ['build'],
        ['check'],
        ['archive', 'show', slug],
        ['archive', 'history', slug],
        ['archive', 'verify'],
        ['build', '--full'],
      ]) {
        const r = run(p, ...args);
        expect(r.error, `${args.join(' ')} waited on it`).toBeUndefined();
        expect(r.status, args.join(' ')).toBe(1);
        expect(r.stdout + r.stderr, args.join(' ')).toContain(
          `error RECORD_CORRUPT ${name}: ${says}`,
        );
        expect(r.stdout + r.stderr).not.toContain('is missing');
      }
      // The other article is still published; the bad record's article is not minted again.
      expect(feedIds(p)).toHaveLength(1);
      expect(readdirSync(join(first, '..'))).toHaveLength(2);
    },
    120_000,
  );
});

describe('records kept as symbolic links', () => {
  it('a linked record and a linked month folder keep their ids when the catalogue is rebuilt', () => {
    const { p, records, first } = published();
    const ids = feedIds(p);
    const elsewhere = mkdtempSync(join(tmpdir(), 'feedkeeper-elsewhere-'));
    // One record linked (git-annex), then its whole year folder moved out and linked back.
    const kept = join(elsewhere, 'record.json');
    renameSync(first, kept);
    symlinkSync(kept, first);
    const year = readdirSync(records).find((d) => !d.startsWith('.')) ?? '';
    renameSync(join(records, year), join(elsewhere, year));
    symlinkSync(join(elsewhere, year), join(records, year));
    rmSync(join(p.dir, '.feedkeeper'), { recursive: true });

    const build = run(p, 'build');
    expect(build.status, build.stdout + build.stderr).toBe(0);
    expect(build.stdout).toMatch(/0 added/);
    expect(feedIds(p)).toEqual(ids);
    expect(p.read('out/rss.xml')).not.toContain('-2<');
    expect(run(p, 'archive', 'verify', '-q').status).toBe(0);
    expect(run(p, 'check', '-q').status).toBe(0);
    // Unchanged: the next run writes nothing, and the links stay links.
    const again = run(p, 'build', '-q');
    expect(again.status).toBe(0);
    expect(lstatSync(first).isSymbolicLink()).toBe(true);
    expect(lstatSync(join(records, year)).isSymbolicLink()).toBe(true);

    // A revision replaces the linked record by a regular file; the link's target is left alone.
    const before = readFileSync(kept, 'utf8');
    const name = first.slice(p.dir.length + 1);
    p.write(
      'b.md',
      '---\ntitle: Second story\n---\n\nThe second story has a body of its own.\n\nA corrected sentence.\n',
    );
    const revise = run(p, 'build');
    expect(revise.status, revise.stdout + revise.stderr).toBe(0);
    expect(revise.stdout).toContain('1 revised');
    expect(lstatSync(first).isFile()).toBe(true);
    expect(readFileSync(kept, 'utf8')).toBe(before);
    expect(p.read(name)).toContain('A corrected sentence.');
    expect(feedIds(p)).toEqual(ids);
  }, 120_000);

  it('archive verify reads a linked record, as build and check do; a loop is walked once', () => {
    const { p, records, first } = published();
    const kept = join(mkdtempSync(join(tmpdir(), 'feedkeeper-elsewhere-')), 'record.json');
    renameSync(first, kept);
    symlinkSync(kept, first);
    const year = readdirSync(records).find((d) => !d.startsWith('.')) ?? '';
    mkdirSync(join(records, year, 'deeper'));
    symlinkSync('..', join(records, year, 'deeper', 'loop'));
    const verify = run(p, 'archive', 'verify');
    expect(verify.error).toBeUndefined();
    expect(verify.stdout + verify.stderr).not.toContain('missing');
    expect(verify.status, verify.stdout + verify.stderr).toBe(0);
    expect(run(p, 'build', '-q').status).toBe(0);
    expect(run(p, 'check', '-q').status).toBe(0);
  }, 120_000);
});
