import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureArchiveReadme } from '../../src/archive/archive-readme.js';
import { wordDiff } from '../../src/history/word-diff.js';
import { CLI, makeProject, RUN_LIMIT_MS, type Project } from '../helpers.js';
import { CONFIG, article } from './newsroom.js';

/** `feedkeeper archive …` on a small archive: output and exit code of each command. */
const tagged = (i: number, date: string, extra: string): string =>
  article(i, date).replace('language: en\n', `language: en\n${extra}`);

describe('feedkeeper archive', () => {
  let p: Project;
  beforeAll(() => {
    p = makeProject(CONFIG);
    p.write('a1.txt', tagged(1, '2024-01-10T08:00:00Z', 'tags: [energy]\n'));
    p.write('a2.txt', tagged(2, '2024-02-10T08:00:00Z', 'section: Sport\n'));
    p.write('a3.txt', article(3, '2025-03-10T08:00:00Z'));
    p.write(
      'a4.txt',
      tagged(4, '2025-04-10T08:00:00Z', 'language: ro\n').replace('language: en\n', ''),
    );
    expect(p.cli('build').status).toBe(0);
    p.write('a3.txt', article(3, '2025-03-10T08:00:00Z', 2));
    rmSync(join(p.articles, 'a2.txt'));
    expect(p.cli('build').status).toBe(0);
  }, 120_000);

  it('list: newest first, published only by default, from the catalogue', () => {
    const r = p.cli('archive', 'list');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^2025-04-10 {2}ro +Report 4 /);
    expect(lines[2]).toMatch(/^2024-01-10 {2}en +Report 1 .*\(2024\/01\/report-1-/);
  });

  it('list: a reader that stops reading (| head) ends it quietly, exit 0, no stack trace', async () => {
    // The pipe's read end is closed before the command writes: every write meets EPIPE.
    const child = spawn(process.execPath, [CLI, 'archive', 'list', '--json'], {
      cwd: p.dir,
      env: { ...process.env, FEEDKEEPER_CONFIG: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_LIMIT_MS,
    });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const [code] = (await once(child, 'exit')) as [number | null];
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('list: filters, --status, --limit and JSON Lines', () => {
    const json = (...args: string[]): Record<string, unknown>[] =>
      p
        .cli('archive', 'list', '--json', ...args)
        .stdout.trim()
        .split('\n')
        .filter((l) => l !== '')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(json('--tag', 'energy').map((r) => r['slug'])).toEqual([
      expect.stringMatching(/^report-1-/),
    ]);
    expect(json('--status', 'withdrawn')).toMatchObject([
      { status: 'withdrawn', section: 'Sport' },
    ]);
    expect(json('--status', 'all', '--section', 'sport')).toHaveLength(1);
    expect(json('--language', 'ro')).toHaveLength(1);
    expect(json('--since', '2025-01-01')).toHaveLength(2);
    expect(json('--until', '2024-01-10')).toHaveLength(1);
    expect(json('--limit', '1')).toMatchObject([{ language: 'ro' }]);
    const bad = p.cli('archive', 'list', '--status', 'gone');
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--status is published, scheduled, withdrawn or all');
    // Not a day of the calendar: refused like any other non-date (it was read as 2026-03-02).
    const impossible = p.cli('archive', 'list', '--since', '2026-02-30');
    expect(impossible.status).toBe(2);
    expect(impossible.stderr).toContain('--since takes a date such as 2026-11-25');
    expect(p.cli('archive', 'show', '').status).toBe(2);
  });

  it('list reads no record file (a broken record does not change the list)', () => {
    const rel = p.cli('archive', 'list', '--json', '--limit', '1').stdout;
    const path = join(p.dir, 'archive', 'records', (JSON.parse(rel) as { path: string }).path);
    const before = readFileSync(path, 'utf8');
    writeFileSync(path, 'not json');
    try {
      expect(p.cli('archive', 'list', '--limit', '1').stdout).toContain('Report 4');
    } finally {
      writeFileSync(path, before);
    }
  });

  it('show: by slug, id, path and URL; --json is the file; an unknown name exits 1', () => {
    const slug = JSON.parse(p.cli('archive', 'list', '--json', '--tag', 'energy').stdout) as {
      slug: string;
      id: string;
      path: string;
    };
    const bySlug = p.cli('archive', 'show', slug.slug);
    expect(bySlug.status).toBe(0);
    expect(bySlug.stdout).toMatch(/^Report 1 on the /);
    expect(bySlug.stdout).toContain(`  id        ${slug.id}`);
    expect(bySlug.stdout).toContain('  revisions 0');
    expect(bySlug.stdout).toContain('A second paragraph about');
    for (const name of [
      slug.id,
      slug.path,
      `archive/records/${slug.path}`,
      `https://news.example.org/articles/${slug.slug}.html`,
      // Its stored article's path, from the project folder and absolute (it said "no record").
      relative(p.dir, join(p.articles, 'a1.txt')),
      join(p.articles, 'a1.txt'),
    ])
      expect(p.cli('archive', 'show', name).stdout, name).toBe(bySlug.stdout);
    // A deleted stored article's path still names the record it fed (withdrawn).
    const gone = p.cli('archive', 'history', relative(p.dir, join(p.articles, 'a2.txt')));
    expect(gone.status, gone.stderr).toBe(0);
    expect(gone.stdout).toContain('withdrawn');
    expect(p.cli('archive', 'show', slug.slug, '--json').stdout).toBe(
      readFileSync(join(p.dir, 'archive', 'records', slug.path), 'utf8'),
    );
    const none = p.cli('archive', 'show', 'no-such-article');
    expect(none.status).toBe(1);
    expect(none.stderr).toContain('no record is "no-such-article"');
  });

  it('a mistyped subcommand or --status value gets the closest one, exit 2', () => {
    const hist = p.cli('archive', 'hist', 'x');
    expect(hist.status).toBe(2);
    expect(hist.stderr).toContain('unknown archive command "hist"; did you mean "history"?');
    const far = p.cli('archive', 'frobnicate');
    expect(far.status).toBe(2);
    expect(far.stderr).toContain(
      'unknown archive command "frobnicate": it is list, show, history or verify.',
    );
    const status = p.cli('archive', 'list', '--status', 'publshed');
    expect(status.status).toBe(2);
    expect(status.stderr).toContain('not "publshed"; did you mean "published"?');
  });

  it('history: every revision with its date and a word diff', () => {
    const slug = (
      JSON.parse(
        p.cli('archive', 'list', '--json', '--since', '2025-03-01', '--until', '2025-03-31').stdout,
      ) as {
        slug: string;
      }
    ).slug;
    const r = p.cli('archive', 'history', slug);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('2 versions');
    expect(r.stdout).toContain('revision 1: ');
    expect(r.stdout).toContain('(publication date)');
    expect(r.stdout).toMatch(/title: Report 3 on the harbour market\s*\{\+.*update 2.*\+\}/);
    expect(r.stdout).toContain('version [-1-]{+2+},');
  });

  it('history: a withdrawn record says when it was withdrawn', () => {
    const gone = JSON.parse(p.cli('archive', 'list', '--json', '--status', 'withdrawn').stdout) as {
      slug: string;
      withdrawnAt: string;
    };
    const r = p.cli('archive', 'history', gone.slug);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain(`\nwithdrawn: ${gone.withdrawnAt}\n`);
  });

  it('verify: exit 0 on a whole archive; exit 1 naming each problem', () => {
    const ok = p.cli('archive', 'verify');
    expect(ok.status, ok.stdout).toBe(0);
    expect(ok.stdout).toContain('3 published: every record is whole');
    // -q: nothing found, nothing printed (README, "The command line").
    const quiet = p.cli('archive', 'verify', '-q');
    expect(quiet.status).toBe(0);
    expect(quiet.stdout).toBe('');
    // An edited stored article not yet archived, a deleted one, and a hand-broken chain.
    writeFileSync(join(p.articles, 'a1.txt'), article(1, '2024-01-10T08:00:00Z', 7));
    rmSync(join(p.articles, 'a4.txt'));
    const atom = join(p.dir, 'out', 'atom.xml');
    const before = readFileSync(atom, 'utf8');
    writeFileSync(atom, before.replace(/<entry[\s\S]*<\/entry>/, ''));
    // And a month page that no longer links one of its articles.
    const month = join(p.dir, 'out', 'archive', '2024', '01', 'index.html');
    const page = readFileSync(month, 'utf8');
    expect(page).toMatch(/href="[^"]*report-1-/);
    writeFileSync(month, page.replace(/href="([^"]*)report-1-/g, 'href="$1gone-'));
    const bad = p.cli('archive', 'verify');
    expect(bad.status).toBe(1);
    expect(bad.stdout).toContain('3 published; 6 problems:');
    expect(bad.stdout).toMatch(
      /error INPUT_CHANGED archive\/records\/2024\/01\/report-1-.*whose bytes changed/,
    );
    expect(bad.stdout).toMatch(
      /error INPUT_MISSING archive\/records\/2025\/04\/report-4-.*which is gone/,
    );
    expect(bad.stdout).toMatch(
      /error NOT_IN_CHAIN .*no atom document of the archive chain lists it/,
    );
    const json = JSON.parse(p.cli('archive', 'verify', '--json').stdout) as {
      ok: boolean;
      schemaVersion: number;
      command: string;
      problems: { code: string }[];
    };
    // The shape of every --json report (docs/reference.md): problems, not issues.
    expect(json).toMatchObject({ command: 'archive verify', schemaVersion: expect.any(Number) });
    expect(json.problems.map((i) => i.code)).toContain('NOT_IN_CHAIN');
    expect(json).not.toHaveProperty('issues');
    expect(bad.stdout).toMatch(
      /error NOT_IN_PAGES archive\/records\/2024\/01\/report-1-.*no page of its month links it/,
    );
    expect(json.ok).toBe(false);
    writeFileSync(atom, before);
    writeFileSync(month, page);
  });

  it('verify: a corrupt record, a duplicate id, a catalogue that disagrees', () => {
    const q = makeProject(CONFIG);
    q.write('a1.txt', article(1, '2024-01-10T08:00:00Z'));
    q.write('a2.txt', article(2, '2024-01-11T08:00:00Z'));
    expect(q.cli('build').status).toBe(0);
    const records = join(q.dir, 'archive', 'records', '2024', '01');
    const rows = q
      .cli('archive', 'list', '--json')
      .stdout.trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { path: string; id: string });
    const copy = readFileSync(join(q.dir, 'archive', 'records', rows[0]?.path ?? ''), 'utf8');
    writeFileSync(join(records, 'zz-copy.json'), copy);
    writeFileSync(join(q.dir, 'archive', 'records', rows[1]?.path ?? ''), '{"broken":');
    const r = q.cli('archive', 'verify');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('error RECORD_CORRUPT');
    expect(r.stdout).toMatch(
      /error DUPLICATE_ID archive\/records\/2024\/01\/zz-copy\.json: has the id "tag:/,
    );
    expect(r.stdout).toMatch(
      /error CATALOGUE_MISMATCH archive\/records\/2024\/01\/zz-copy\.json: is not in the catalogue/,
    );
  });

  it('archive/README.md is written when missing and kept once edited', () => {
    const readme = join(p.dir, 'archive', 'README.md');
    expect(existsSync(readme)).toBe(true);
    expect(readFileSync(readme, 'utf8')).toContain("find records -name '*.json' -print0");
    writeFileSync(readme, 'our own notes\n');
    expect(ensureArchiveReadme(join(p.dir, 'archive', 'records'))).toBeNull();
    expect(p.cli('archive', 'list').status).toBe(0);
    expect(readFileSync(readme, 'utf8')).toBe('our own notes\n');
  });

  it('word diff: [-removed-]{+added+}', () => {
    expect(wordDiff('the quick fox', 'the slow fox')).toBe('the [-quick-]{+slow+} fox');
    expect(wordDiff('same', 'same')).toBe('same');
  });

  it("word diff: the text's own brackets and backslashes are escaped, so a marker is always the diff's", () => {
    // The outside try's correction: it read as "not deleted" removed and "not" added.
    expect(wordDiff('Text with more.', 'Text with [-not deleted-] and {+not added+}.')).toBe(
      'Text with [-more-]{+\\[-not deleted-\\] and \\{+not added+\\}+}.',
    );
    expect(wordDiff('a \\ b', 'a \\ c')).toBe('a \\\\ [-b-]{+c+}');
  });
});
