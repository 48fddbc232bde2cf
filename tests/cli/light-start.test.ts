import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BASE_CONFIG, CLI, makeProject, sampleBytes, tracedCli, type Project } from '../helpers.js';

/**
 * A cron tick with nothing to do is mostly Node starting and feedkeeper loading: so such a
 * build loads no code it does not run (pipeline/run.ts) and takes its validated configuration
 * from the state folder (config/config-cache.ts). The bundle is what runs, so it is what is
 * traced: every module the process loads (tests/helpers.ts tracedCli).
 */

/** Libraries a run with nothing to do has no use for (rolldown names each bundled module). */
const HEAVY = /node_modules\/(zod|node-cron|feed|fast-xml-parser|franc[\w-]*)\//;

function tracedBuild(
  p: Project,
  ...args: string[]
): { status: number | null; heavy: string[]; loaded: number } {
  const { r, loads } = tracedCli(CLI, p, ['build', ...args]);
  const ours = loads.filter((url) => url.startsWith('file:') && url.includes('/dist/bin/'));
  const heavy = ours.filter((url) => HEAVY.test(readFileSync(fileURLToPath(url), 'utf8')));
  return {
    status: r.status,
    heavy: heavy.map((u) => u.slice(u.lastIndexOf('/') + 1)),
    loaded: ours.length,
  };
}

const cacheOf = (p: Project): string => join(p.dir, '.feedkeeper', 'config-cache.json');
const cachedTitle = (p: Project): unknown =>
  (JSON.parse(readFileSync(cacheOf(p), 'utf8')) as { config: { site: { title: string } } }).config
    .site.title;

describe('a build with nothing to do starts light', () => {
  it('loads no schema, normalizer or feed library; a build with work does', () => {
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    const first = tracedBuild(p, '-q');
    expect(first.status).toBe(0);
    // The checker sees them when they are loaded: the first build archives and renders.
    expect(first.heavy.length).toBeGreaterThan(0);
    const idle = tracedBuild(p, '-q');
    expect(idle.status).toBe(0);
    expect(idle.loaded).toBeGreaterThan(5);
    expect(idle.heavy).toEqual([]);
    // A new article: the archive stage and the renderers are loaded again.
    p.write(
      'b.txt',
      'Alt titlu | Lume\n\nUn paragraf nou, cu destule cuvinte pentru un articol.\n',
    );
    const work = tracedBuild(p, '-q');
    expect(work.status).toBe(0);
    expect(work.heavy.length).toBeGreaterThan(0);
  });
});

describe('the validated configuration is remembered (config/config-cache.ts)', () => {
  it('is taken from the state folder while the file is the same, and validated again when not', () => {
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    expect(p.cli('build', '-q').status).toBe(0);
    expect(cachedTitle(p)).toBe('Test News');
    const saved = statSync(cacheOf(p)).mtimeMs;
    expect(p.cli('build', '-q').status).toBe(0);
    expect(statSync(cacheOf(p)).mtimeMs).toBe(saved); // a hit writes nothing

    // An edit is seen at once: the feeds carry the new title, the cache the new validation.
    p.config({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, title: 'Other News' } });
    expect(p.cli('build', '-q').status).toBe(0);
    expect(p.read('out/rss.xml')).toContain('<title>Other News</title>');
    expect(cachedTitle(p)).toBe('Other News');

    // A dry run writes nothing, the cache neither.
    p.config({ ...BASE_CONFIG, site: { ...BASE_CONFIG.site, title: 'Third News' } });
    expect(p.cli('build', '--dry-run', '-q').status).toBe(0);
    expect(cachedTitle(p)).toBe('Other News');

    // A value the schema refuses is refused, whatever the cache holds.
    p.config({ ...BASE_CONFIG, feed: { size: 0 } });
    const bad = p.cli('build', '-q');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('feed.size');
  });

  it('a hand-edited cache is not believed', () => {
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    expect(p.cli('build', '-q').status).toBe(0);
    const saved = JSON.parse(readFileSync(cacheOf(p), 'utf8')) as {
      config: { site: { title: string } };
    };
    saved.config.site.title = 'Forged News';
    writeFileSync(cacheOf(p), JSON.stringify(saved));
    expect(p.cli('build', '-q').status).toBe(0);
    expect(p.read('out/rss.xml')).not.toContain('Forged');
    expect(cachedTitle(p)).toBe('Test News'); // validated again and saved over it

    writeFileSync(cacheOf(p), '{"key": 1, "config": null');
    expect(p.cli('build', '-q').status).toBe(0);
    expect(cachedTitle(p)).toBe('Test News');
    expect(existsSync(cacheOf(p))).toBe(true);
  });
});
