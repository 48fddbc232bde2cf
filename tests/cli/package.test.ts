import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, normalize } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, REPO, sampleBytes, RUN_LIMIT_MS } from '../helpers.js';

/**
 * What `npm pack` ships, and the package as a user's code sees it. `--ignore-scripts`: the
 * tests run after `npm run build:ts`, so dist/ is current (packing runs `prepare`, tsc, first).
 */
interface Packed {
  files: { path: string }[];
}

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** A folder where `feedkeeper` is installed (node_modules/feedkeeper → this repository). */
function consumer(): string {
  const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-consumer-'));
  made.push(dir);
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(REPO, join(dir, 'node_modules', 'feedkeeper'), 'dir');
  writeFileSync(join(dir, 'package.json'), '{ "type": "module", "private": true }\n');
  return dir;
}

describe('the package', () => {
  it('npm pack --dry-run lists only what a user needs: package.json, README and docs/, LICENSE, compiled src and its types', () => {
    const r = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: REPO,
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    expect(r.status, r.stderr).toBe(0);
    const [packed] = JSON.parse(r.stdout) as Packed[];
    const paths = packed!.files.map((f) => f.path);
    const other = paths.filter(
      (p) => !/^dist\/src\/.+\.(js|d\.ts)$/.test(p) && !/^dist\/bin\/[\w-]+\.js$/.test(p),
    );
    expect(other.sort()).toEqual([
      'LICENSE',
      'README.md',
      'dist/bin/package.json', // the bundle is CommonJS (rolldown.config.js)
      'docs/development.md',
      'docs/reference.md',
      'package.json',
    ]);
    // The README links to docs/ (the reference, the development notes): every file a shipped
    // Markdown file links to is shipped, so the links work in node_modules/feedkeeper too.
    for (const md of paths.filter((p) => p.endsWith('.md')))
      for (const m of readFileSync(join(REPO, md), 'utf8').matchAll(/\]\(([^)\s#]+)[^)\s]*\)/g))
        if (!/^[a-z]+:/i.test(m[1]!))
          expect(paths, `${md} links to ${m[1]!}`).toContain(normalize(join(dirname(md), m[1]!)));
    for (const needed of [
      'dist/bin/main.js', // the command (package.json "bin"), bundled
      'dist/bin/write-worker.js',
      'dist/src/index.js',
      'dist/src/index.d.ts',
      'dist/src/io/write-worker.js',
    ])
      expect(paths).toContain(needed);
    // Nothing of the development: tests, benchmarks, sources, the sample archive, the config.
    expect(
      paths.filter((p) => /^(tests|bench|src|archive|out|dist\/(tests|bench))\//.test(p)),
    ).toEqual([]);
    expect(paths).not.toContain('feedkeeper.config.json');
  });

  it("import('feedkeeper') gives build, check and ConfigError; internals are not reachable", () => {
    const dir = consumer();
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    const config = join(p.dir, 'feedkeeper.config.json');
    const script = `
      const fk = await import('feedkeeper');
      const built = await fk.build({ config: ${JSON.stringify(config)} });
      const checked = await fk.check({ config: ${JSON.stringify(config)} });
      let internal = 'reachable';
      try { await import('feedkeeper/dist/src/cli/build.js'); } catch (e) { internal = e.code; }
      let configError = null;
      try { await fk.build({ config: 'nope.json' }); } catch (e) { configError = e instanceof fk.ConfigError; }
      console.log(JSON.stringify({ keys: Object.keys(fk).sort(), built, checked, internal, configError }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, FEEDKEEPER_CONFIG: '' },
      timeout: RUN_LIMIT_MS,
    });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out['keys']).toEqual(['ConfigError', 'JSON_SCHEMA_VERSION', 'build', 'check']);
    expect(out['built']).toMatchObject({
      schemaVersion: 1,
      command: 'build',
      ok: true,
      skipped: false,
      archive: { added: [expect.stringMatching(/\.json$/) as unknown] },
      feeds: { published: true, entries: 1 },
      problems: [],
      dryRun: false,
    });
    expect(out['built']).not.toHaveProperty('issues');
    expect(out['checked']).toMatchObject({
      schemaVersion: 1,
      command: 'check',
      ok: true,
      entries: 1,
      problems: [],
    });
    expect(out['internal']).toBe('ERR_PACKAGE_PATH_NOT_EXPORTED');
    expect(out['configError']).toBe(true);
  });

  it('its types: a TypeScript user gets build, check, the record and problem types (and a wrong use fails to compile)', () => {
    const dir = consumer();
    writeFileSync(
      join(dir, 'use.ts'),
      `import { build, check, type ArchiveRecord, type BuildResult, type Problem } from 'feedkeeper';
const r: BuildResult = await build({ dryRun: true, wait: 0 });
const problems: Problem[] = r.skipped ? [] : r.problems;
const codes: string[] = problems.map((p) => p.code);
const c = await check();
const n: number = c.entries;
const title = (rec: ArchiveRecord): string => rec.title + rec.publishedAt + rec.input.path;
// @ts-expect-error dryRun is a boolean
await build({ dryRun: 'yes' });
export { codes, n, title };
`,
    );
    writeFileSync(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          target: 'ES2023',
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ['use.ts'],
      }),
    );
    const tsc = join(REPO, 'node_modules', 'typescript', 'bin', 'tsc');
    const r = spawnSync(process.execPath, [tsc, '-p', dir], {
      cwd: dir,
      encoding: 'utf8',
      timeout: RUN_LIMIT_MS,
    });
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
