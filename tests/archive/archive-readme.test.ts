import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { archiveReadmeText } from '../../src/archive/archive-readme.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * archive/README.md (issue 13): "written on first run, kept if edited". A plain `build` writes
 * it, not only `init` and the `archive` commands; a run that changes nothing does not look for
 * it (it is looked for only on a run that builds the catalogue or writes records).
 */
describe('archive/README.md from build', () => {
  it('the first build writes it (and says so); an edited one is kept; a no-change run writes nothing', async () => {
    const p = makeProject();
    const readme = join(p.dir, 'archive', 'README.md');
    p.write('a.txt', sampleBytes());

    const first = await runOnce(p.context(), { dryRun: false });
    expect(first.issues).toEqual([]);
    expect(readFileSync(readme, 'utf8')).toBe(archiveReadmeText());
    expect(first.written).toContain('archive/README.md');

    // Edited by the newsroom, then a new article (a run that writes a record): kept as edited.
    writeFileSync(readme, 'our own notes\n');
    p.write(
      'b.txt',
      'Another story\n\nIts only paragraph, long enough to be a story of its own.\n',
    );
    const second = await runOnce(p.context(new Date('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(second.archive.added).toHaveLength(1);
    expect(second.written).not.toContain('archive/README.md');
    expect(readFileSync(readme, 'utf8')).toBe('our own notes\n');

    // Deleted: a run with nothing to do writes nothing, and does not bring it back...
    rmSync(readme);
    const idle = await runOnce(p.context(new Date('2026-11-25T10:00:00Z')), { dryRun: false });
    expect(idle.written).toEqual([]);
    expect(existsSync(readme)).toBe(false);
    // ...and neither does a dry run; the next run that writes a record does.
    p.write('c.txt', 'A third story\n\nWith a paragraph that is not like the other two at all.\n');
    const dry = await runOnce(p.context(new Date('2026-11-25T11:00:00Z')), { dryRun: true });
    expect(dry.archive.added).toHaveLength(1);
    expect(existsSync(readme)).toBe(false);
    const third = await runOnce(p.context(new Date('2026-11-25T11:00:00Z')), { dryRun: false });
    expect(third.archive.added).toHaveLength(1);
    expect(third.written).toContain('archive/README.md');
    expect(readFileSync(readme, 'utf8')).toBe(archiveReadmeText());
  });

  it('beside a custom records folder, like init and the archive commands', async () => {
    const p = makeProject();
    const raw = {
      ...JSON.parse(p.read('feedkeeper.config.json')),
      paths: { records: 'data/records' },
    };
    p.write('a.txt', sampleBytes());
    const first = await runOnce(p.context(undefined, raw), { dryRun: false });
    expect(first.written).toContain('data/README.md');
    expect(existsSync(join(p.dir, 'data', 'README.md'))).toBe(true);
    expect(existsSync(join(p.dir, 'archive', 'README.md'))).toBe(false);
  });
});

/** The recipe under a `# heading` line of archive/README.md, as a shell command. */
function recipe(readme: string, heading: string): string {
  const lines = readme.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(`# ${heading}`));
  expect(start, heading).toBeGreaterThan(0);
  const body: string[] = [];
  for (const l of lines.slice(start + 1)) {
    if (l.trim() === '') break;
    body.push(l.slice(4));
  }
  return body.join('\n');
}

const hasJq = spawnSync('jq', ['--version']).status === 0;

describe.skipIf(!hasJq)('archive/README.md recipes, run with jq', () => {
  // Found by an outside try: "every published article" listed one still under embargo.
  it('list the published articles, and those under embargo apart', () => {
    const p = makeProject();
    p.write('a.txt', 'Out now\n\nA story readers already have, long enough to be one.\n');
    const due = new Date(Date.now() + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    p.write('b.txt', `---\ndate: ${due}\n---\nNot yet\n\nA story under embargo until tomorrow.\n`);
    expect(p.cli('build').status).toBe(0);
    const readme = p.read('archive/README.md');
    const run = (heading: string): string =>
      spawnSync('bash', ['-c', recipe(readme, heading)], {
        cwd: join(p.dir, 'archive'),
        encoding: 'utf8',
      }).stdout;
    expect(run('every published article')).toMatch(/^\S+\ttag:[^\t]+\tOut now\n$/);
    expect(run('articles under embargo')).toBe(`${due} Not yet\n`);
  });
});
