import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import { BASE_CONFIG, makeProject } from '../helpers.js';

/**
 * attackG, sections 13 and 15: a `paths.*` value that cannot be a folder is a configuration
 * error at load (exit 2, the key, what is there), not a Node stack trace (NUL) or a run failed
 * "on the disk" after creating out/ with a hint to move the user's own file away.
 */
const withPaths = (paths: Record<string, string>): unknown => ({ ...BASE_CONFIG, paths });
const problem = (raw: unknown, root: string): string[] => {
  try {
    resolveConfig(raw, root);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.lines];
    throw error;
  }
  return [];
};

describe('paths.* values that cannot be folders', () => {
  it.each(['articles', 'records', 'out', 'state'])(
    'a NUL in paths.%s is refused by name',
    (key) => {
      const [line] = problem(withPaths({ [key]: 'o\u0000ut' }), '/tmp/site');
      expect(line).toContain(`"paths.${key}"`);
      expect(line).toContain('NUL character (U+0000)');
    },
  );

  it('paths.state or paths.records naming a file: refused, naming the key and what is there', () => {
    const p = makeProject();
    writeFileSync(join(p.dir, '.gitignore'), 'out/\n');
    writeFileSync(join(p.dir, 'archive', 'README.md'), 'The archive.\n');
    expect(problem(withPaths({ state: '.gitignore' }), p.dir)).toEqual([
      `config: feedkeeper.config.json: "paths.state": ".gitignore" (${join(p.dir, '.gitignore')}) is a file, not a folder; feedkeeper keeps its catalogue and publish state there: write paths.state as a folder of its own, e.g. ".feedkeeper".`,
      'hint: fix the key above in the configuration file; nothing was read or written.',
    ]);
    expect(problem(withPaths({ records: 'archive/README.md' }), p.dir)[0]).toContain(
      `"paths.records": "archive/README.md" (${join(p.dir, 'archive', 'README.md')}) is a file, not a folder; feedkeeper keeps one folder per year of records there`,
    );
    expect(problem(withPaths({ state: '/dev/null' }), p.dir)[0]).toContain(
      '"paths.state": "/dev/null" (/dev/null) is a device, not a folder',
    );
    expect(problem(withPaths({ records: '.gitignore/records' }), p.dir)[0]).toContain(
      `is below ${join(p.dir, '.gitignore')}, which is a file, not a folder`,
    );
    // Folders that do not exist yet are made by the run.
    mkdirSync(join(p.dir, 'keep'));
    expect(problem(withPaths({ state: 'keep/state', records: 'new/records' }), p.dir)).toEqual([]);
  });

  it('build and status exit 2 with the configuration error and write nothing', () => {
    const p = makeProject();
    writeFileSync(join(p.dir, '.gitignore'), 'out/\n');
    p.write('a.txt', 'Ploi\n\nPrimul paragraf al știrii.\n\nAl doilea paragraf.\n');
    p.config(withPaths({ state: '.gitignore' }));
    const before = p.snapshot();
    for (const command of ['build', 'status']) {
      const r = p.cli(command);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain('"paths.state": ".gitignore"');
      expect(r.stderr).not.toContain('mv ');
    }
    p.config(withPaths({ out: 'o\u0000ut' }));
    const r = p.cli('build');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('"paths.out"');
    expect(r.stderr).not.toContain('    at ');
    // The same files, and none but the configuration (written again above) changed.
    const after = p.snapshot();
    delete after['feedkeeper.config.json'];
    delete before['feedkeeper.config.json'];
    expect(after).toEqual(before);
    expect(readdirSync(p.dir)).not.toContain('out');
  });
});
