import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/config/config-error.js';
import { claimOutFolder, OUT_MARKER } from '../../src/pipeline/out-folder.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * Issue 10, item 7: `paths.out` pointed at a folder holding files feedkeeper did not create is
 * refused at start (exit 2, which key, what to write), never overwritten. A marker in out/ says
 * the folder is feedkeeper's, so losing the state folder does not make it look foreign; a site
 * built before the marker existed is adopted by its publish state.
 */
const story = 'Ploi | Lume\n\nPrimul paragraf al știrii.\n\nAl doilea paragraf.\n';
const outOf = (p: Project): string => join(p.dir, 'out');
const marker = (p: Project): string => join(outOf(p), OUT_MARKER);
const claim = (p: Project, dryRun = false): void =>
  claimOutFolder(p.context().config, { mark: !dryRun });

function foreign(p: Project): void {
  mkdirSync(outOf(p), { recursive: true });
  writeFileSync(join(outOf(p), 'index.html'), '<h1>the site</h1>\n');
  writeFileSync(join(outOf(p), 'rss.xml'), '<rss>theirs</rss>\n');
}

describe('paths.out', () => {
  it('new or empty: taken, and marked as ours (a dry run marks nothing)', () => {
    const p = makeProject();
    claim(p, true);
    expect(existsSync(outOf(p))).toBe(false);
    claim(p);
    expect(readFileSync(marker(p), 'utf8')).toContain("feedkeeper's output (paths.out)");
    const q = makeProject();
    mkdirSync(outOf(q));
    claim(q);
    expect(existsSync(marker(q))).toBe(true);
  });

  it('holding only hidden files (a .gitkeep, a .htaccess): taken, and they are left alone', () => {
    const p = makeProject();
    mkdirSync(join(outOf(p), '.well-known'), { recursive: true });
    writeFileSync(join(outOf(p), '.gitkeep'), '');
    writeFileSync(join(outOf(p), '.htaccess'), 'Options -Indexes\n');
    claim(p);
    expect(existsSync(marker(p))).toBe(true);
    expect(p.read('out/.htaccess')).toBe('Options -Indexes\n');
    expect(existsSync(join(outOf(p), '.well-known'))).toBe(true);
  });

  it('holding files feedkeeper did not create: refused (which key, what to write), nothing touched', () => {
    const p = makeProject();
    foreign(p);
    for (const dryRun of [true, false]) {
      let error: unknown;
      try {
        claim(p, dryRun);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const [what, hint] = (error as ConfigError).lines;
      expect(what).toBe(
        `config: "paths.out": "out" (${outOf(p)}) holds files feedkeeper did not create (index.html, rss.xml): it would overwrite them (rss.xml, index.html, …).`,
      );
      expect(hint).toContain('as an empty or new folder, e.g. "out"');
      expect(hint).toContain(`touch ${marker(p)}`);
    }
    expect(existsSync(marker(p))).toBe(false);
    expect(p.read('out/rss.xml')).toBe('<rss>theirs</rss>\n');
  });

  it('ours: still ours when the state folder is lost (the marker is in out/)', async () => {
    const p = makeProject();
    p.write('a.txt', story);
    claim(p);
    expect((await runOnce(p.context(), { dryRun: false })).feeds?.published).toBe(true);
    rmSync(join(p.dir, '.feedkeeper'), { recursive: true });
    expect(() => claim(p)).not.toThrow();
  });

  it('built before the marker existed: adopted by the publish state; refused once that is lost too', async () => {
    const p = makeProject();
    p.write('a.txt', story);
    // runOnce publishes without claiming: out/ as an older feedkeeper left it.
    await runOnce(p.context(), { dryRun: false });
    expect(existsSync(marker(p))).toBe(false);
    const q = makeProject();
    q.write('a.txt', story);
    await runOnce(q.context(), { dryRun: false });
    claim(p);
    expect(existsSync(marker(p))).toBe(true);
    // The feeds there are not the ones the state recorded: not proof of ours.
    writeFileSync(join(outOf(q), 'rss.xml'), '<rss>edited</rss>\n');
    writeFileSync(join(outOf(q), 'atom.xml'), 'x');
    writeFileSync(join(outOf(q), 'feed.json'), '{}');
    expect(() => claim(q)).toThrow(ConfigError);
    rmSync(join(q.dir, '.feedkeeper'), { recursive: true });
    expect(() => claim(q)).toThrow(/holds files feedkeeper did not create/);
  });

  it('the CLI: exit 2 and the message, the foreign files kept', () => {
    const p = makeProject();
    p.write('a.txt', story);
    foreign(p);
    const r = p.cli('build');
    expect(r.status, r.stdout + r.stderr).toBe(2);
    expect(r.stderr).toContain('config: "paths.out": "out"');
    expect(p.read('out/index.html')).toBe('<h1>the site</h1>\n');
    expect(existsSync(join(p.dir, 'archive', 'records'))).toBe(false);
  });
});
