import { lstatSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliWithin, mkfifo, feedIds, makeProject, sampleBytes, type Project } from '../helpers.js';

/**
 * State files that are not plain regular files (io/read-regular.ts). Found by the outside try:
 * a state file (or the records folder's generation file) that is a FIFO made every command,
 * status included, wait forever for a writer (build holding the lock), and a link to /dev/zero
 * grew the process by gigabytes. Now anything but a regular file there is taken as missing or
 * corrupt: never opened blocking nor read, and written again by the next run.
 */
const LIMIT_MS = 20_000;

// This test is about state files: its builds prove pages as a build does outside the tests
// (html-validate once per page shape), not on every page, which loaded html-validate (0.7 s of
// CPU) in every build that rendered one.
process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';
const run = (p: Project, ...args: string[]) => cliWithin(p, LIMIT_MS, ...args);

/** A project with two published articles, and its records folder. */
function published(): { p: Project; records: string } {
  const p = makeProject();
  p.write('a.txt', sampleBytes());
  p.write('b.md', '---\ntitle: Second story\n---\n\nThe second story has a body of its own.\n');
  expect(run(p, 'build', '-q').status).toBe(0);
  const records = join(p.dir, 'archive', 'records');
  return { p, records };
}

/**
 * The project a case left healthy (its last build repaired the state file, and check agreed),
 * taken by the next case instead of building a new one: a build less per case. A case that
 * fails leaves none, so the next starts from a new project.
 */
let healthy: Project | undefined;
function publishedOnce(): Project {
  const p = healthy ?? published().p;
  healthy = undefined;
  return p;
}

describe('a state file that is not a regular file', () => {
  it.each([
    ['records.json', 'fifo'],
    ['records.journal', 'zero'],
    ['inputs.json', 'zero'],
    ['inputs.journal', 'fifo'],
    ['published.json', 'zero'],
    ['runs.jsonl', 'fifo'],
    ['etags.json', 'zero'],
    ['history.json', 'zero'],
    ['config-cache.json', 'fifo'],
    ['pages.json', 'zero'],
  ])(
    '%s as a %s is taken as missing: nothing waits, the next build writes it again',
    (file, kind) => {
      const p = publishedOnce();
      const ids = feedIds(p);
      const path = join(p.dir, '.feedkeeper', file);
      rmSync(path, { force: true });
      if (kind === 'fifo') mkfifo(path);
      else symlinkSync('/dev/zero', path);
      for (const args of [['status'], ['check'], ['archive', 'list'], ['archive', 'verify']]) {
        const r = run(p, ...args);
        expect(r.error, `${args.join(' ')} waited on ${file}`).toBeUndefined();
      }
      // A new article too: the run publishes, so every state file is read and saved.
      const story = `${file} as a ${kind}`;
      p.write(
        `${file}-${kind}.md`,
        `---\ntitle: A story of ${story}\n---\n\nIts body: ${story}.\n`,
      );
      const build = run(p, 'build');
      expect(build.error, `build waited on ${file}`).toBeUndefined();
      expect(build.status, build.stdout + build.stderr).toBe(0);
      expect(build.stdout).toMatch(/1 added/);
      expect(feedIds(p)).toEqual(expect.arrayContaining(ids));
      expect(feedIds(p)).toHaveLength(ids.length + 1);
      // Written again (a rename replaces the FIFO or the link itself), as a corrupt one is.
      expect(lstatSync(path, { throwIfNoEntry: false })?.isSymbolicLink() ?? false).toBe(false);
      expect(run(p, 'check', '-q').status).toBe(0);
      healthy = p;
    },
    120_000,
  );

  it("the records folder's generation file as a FIFO or a link to /dev/zero is written again", () => {
    for (const make of [mkfifo, (path: string) => symlinkSync('/dev/zero', path)]) {
      const { p, records } = published();
      const generation = join(records, '.feedkeeper-generation');
      rmSync(generation);
      make(generation);
      for (const args of [['status'], ['archive', 'list'], ['archive', 'verify'], ['check']]) {
        const r = run(p, ...args);
        expect(r.error, `${args.join(' ')} waited on it`).toBeUndefined();
      }
      const build = run(p, 'build', '-q');
      expect(build.error, 'build waited on it').toBeUndefined();
      expect(build.status, build.stderr).toBe(0);
      expect(lstatSync(generation).isFile()).toBe(true);
      expect(run(p, 'check', '-q').status).toBe(0);
    }
  }, 120_000);
});
