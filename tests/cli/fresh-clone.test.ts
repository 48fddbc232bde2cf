import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CLI, REPO, RUN_LIMIT_MS } from '../helpers.js';

/**
 * The README's first command (`npm start`: the build on the shipped sample) on exactly the
 * files a clone of the repository holds: the configuration, archive/ and out/ as committed
 * (git ls-files). A rule that refused the repository's own out/.gitkeep passed every other
 * test, which start from folders the tests make.
 */
const clone = mkdtempSync(join(tmpdir(), 'feedkeeper-clone-'));
afterAll(() => rmSync(clone, { recursive: true, force: true }));

describe("a fresh clone's npm start", () => {
  it('builds the shipped sample: exit 0, the feeds written, out/ as committed kept', () => {
    const listed = spawnSync(
      'git',
      ['ls-files', '-z', '--', 'feedkeeper.config.json', 'archive', 'out'],
      { cwd: REPO, encoding: 'utf8', timeout: RUN_LIMIT_MS },
    );
    expect(listed.status, listed.stderr).toBe(0);
    const files = listed.stdout.split('\0').filter((f) => f !== '');
    expect(files).toContain('feedkeeper.config.json');
    for (const f of files) {
      mkdirSync(dirname(join(clone, f)), { recursive: true });
      cpSync(join(REPO, f), join(clone, f));
    }
    const run = spawnSync(process.execPath, [CLI, 'build'], {
      cwd: clone,
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    expect(run.status, run.stderr).toBe(0);
    for (const feed of ['rss.xml', 'atom.xml', 'feed.json'])
      expect(existsSync(join(clone, 'out', feed))).toBe(true);
    for (const f of files.filter((x) => x.startsWith('out/')))
      expect(readFileSync(join(clone, f))).toEqual(readFileSync(join(REPO, f)));
  });
});
