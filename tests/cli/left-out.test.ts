import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import { jsonOf, makeProject, type Project } from '../helpers.js';

/**
 * A record that cannot be rendered (made by an older version, or edited by hand) is left out of
 * the feeds and reported with its code and path on every run; the rest of the site publishes,
 * and the record comes back once it is fixed (issue 10: "blocked must never outlive its cause").
 * Before: one such record among the newest feed.size stopped every publication, and a record
 * at `+010/00/` (year 10000) blocked the site even after its article was deleted.
 */
const RO =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici, iar ministrul a declarat că banii vor ajunge în conturi până la sfârșitul lunii.';

interface FeedJson {
  items: { id: string; title: string }[];
}

function threeArticles(): Project {
  const p = makeProject();
  for (const [name, day] of [
    ['a', '20'],
    ['b', '21'],
    ['c', '22'],
  ] as const)
    p.write(
      `${name}.txt`,
      `---\ndate: 2026-11-${day}T08:00:00Z\n---\nTitlu ${name}\n\n${RO}\n\nParagraful ${name}.\n`,
    );
  const r = p.cli('build');
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return p;
}

const recordOf = (p: Project, name: string): string =>
  join(p.dir, 'archive/records/2026/11', `titlu-${name}.json`);

function edit(p: Project, name: string, change: (r: Record<string, unknown>) => void): void {
  const file = recordOf(p, name);
  const r = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  change(r);
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
}

const titles = (p: Project): string[] =>
  (JSON.parse(p.read('out/feed.json')) as FeedJson).items.map((i) => i.title);

function addArticle(p: Project): void {
  p.write('d.txt', `---\ndate: 2026-11-23T08:00:00Z\n---\nTitlu d\n\n${RO}\n\nParagraful d.\n`);
}

describe('a record that cannot be rendered', { timeout: 240_000 }, () => {
  it.each([
    [
      'a date before 1970',
      (r: Record<string, unknown>) => {
        r.publishedAt = '0000-01-01T00:00:00Z';
      },
      'RECORD_UNPUBLISHABLE',
      /publishedAt: it is before 1970/,
    ],
    [
      'an id with &',
      (r: Record<string, unknown>) => {
        r.id = 'tag:x.org,2026:a&amp;b';
      },
      'RECORD_UNPUBLISHABLE',
      /id: it holds "&"/,
    ],
    [
      'a language validators refuse',
      (r: Record<string, unknown>) => {
        r.language = 'hms';
      },
      'RECORD_UNPUBLISHABLE',
      /language: "hms"/,
    ],
    [
      'a url holding ]]>',
      (r: Record<string, unknown>) => {
        r.url = 'https://news.example.org/a]]%3Eb';
      },
      'RECORD_UNPUBLISHABLE',
      /url: it holds "\]"/,
    ],
    [
      'the id of an older record',
      (r: Record<string, unknown>) => {
        r.id = 'tag:news.example.org,2026-11-20:titlu-a';
      },
      'RECORD_ID_DUPLICATE',
      /older record archive\/records\/2026\/11\/titlu-a\.json/,
    ],
    [
      'a year-10000 date (unreadable: the record schema refuses it)',
      (r: Record<string, unknown>) => {
        r.publishedAt = '+010000-01-01T23:58:59Z';
      },
      'RECORD_CORRUPT',
      /publishedAt/,
    ],
  ])(
    'with %s is left out, reported on every run, and back once fixed',
    (_what, breakIt, code, why) => {
      const p = threeArticles();
      const good = readFileSync(recordOf(p, 'b'), 'utf8');
      edit(p, 'b', breakIt);
      addArticle(p);

      const first = p.cli('build', '--json');
      expect(first.status, first.stderr).toBe(1);
      const report = jsonOf<RunReport>(first);
      // An id or a date edited by hand is what the catalogue's row holds too: the run says the
      // record changed behind it (CATALOGUE_BEHIND_RECORD) and takes it as it is now.
      const behind = code !== 'RECORD_CORRUPT' && /r\.(?:id|publishedAt) =/.test(String(breakIt));
      const issues = report.issues.filter((i) => i.code !== 'CATALOGUE_BEHIND_RECORD');
      expect(report.issues.length - issues.length).toBe(behind ? 1 : 0);
      expect(issues).toEqual([
        expect.objectContaining({ code, file: 'archive/records/2026/11/titlu-b.json' }),
      ]);
      expect(issues[0]?.message).toMatch(why);
      expect(report.feeds?.published).toBe(true);
      expect(titles(p)).toEqual(['Titlu d', 'Titlu c', 'Titlu a']);
      // Our own check agrees with what was published, and says why an entry is missing.
      const check = p.cli('check', '--json');
      expect(check.status).toBe(1);
      const checked = jsonOf<{ issues: { code: string }[] }>(check);
      expect(checked.issues.map((i) => i.code)).toEqual([code]);

      // Nothing else changed: reported again, nothing written.
      const second = jsonOf<RunReport>(p.cli('build', '--json'));
      expect(second.issues.map((i) => i.code)).toEqual([code]);
      expect(second.written).toEqual([]);

      // Repaired by hand: the next run publishes it again, without --full.
      writeFileSync(recordOf(p, 'b'), good);
      const fixed = p.cli('build', '--json');
      expect(fixed.status, fixed.stdout).toBe(0);
      expect(jsonOf<RunReport>(fixed).issues.map((i) => i.code)).toEqual(
        behind ? ['CATALOGUE_BEHIND_RECORD'] : [],
      );
      expect(titles(p)).toEqual(['Titlu d', 'Titlu c', 'Titlu b', 'Titlu a']);
      expect(readdirSync(join(p.dir, '.feedkeeper'))).not.toContain('left-out.json');
      expect(p.cli('build').stdout).toContain('feeds: unchanged (nothing changed)');
    },
  );

  it('of year 10000 does not block the site after its article is deleted', () => {
    const p = threeArticles();
    edit(p, 'c', (r) => {
      r.publishedAt = '+010000-01-01T23:58:59Z';
    });
    rmSync(join(p.articles, 'c.txt'));
    const report = jsonOf<RunReport>(p.cli('build', '--json'));
    expect(report.feeds?.published).toBe(true);
    expect(report.issues.map((i) => [i.code, i.file])).toEqual([
      ['RECORD_CORRUPT', 'archive/records/2026/11/titlu-c.json'],
    ]);
    expect(titles(p)).toEqual(['Titlu b', 'Titlu a']);
  });
});
