import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check } from '../../src/api/check.js';
import { runOnce } from '../../src/pipeline/run.js';
import type { RunReport } from '../../src/pipeline/report.js';
import { BASE_CONFIG, makeProject, type Project } from '../helpers.js';

/**
 * One rule for every output (src/pipeline/unpublishable.ts): a record that cannot be published
 * (unreadable, a value the feeds cannot carry, the id of an older record) is left out of the
 * subscription documents, its month's RFC 5005 archive documents and the month and front pages
 * alike, reported with its code and path, and the rest publishes. Before (an outside try,
 * 2026-11-30): the rule held for the newest feed.size records only. An id given by hand to
 * another record made `build --full` overwrite that record with the other article; a record
 * outside the newest that could not be read, or held a control character, failed its month's
 * archive document and nothing was published.
 *
 * Six articles, feed.size 2: a, b, c in October (outside the subscription window), d, e, f in
 * November; in-process runs (runOnce), one clock.
 */
const RO =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici, iar ministrul a declarat că banii vor ajunge în conturi până la sfârșitul lunii.';
const NOW = new Date('2026-11-25T08:00:00Z');
const CONFIG = { ...BASE_CONFIG, feed: { size: 2 } };

const article = (name: string, date: string): string =>
  `---\ndate: ${date}T08:00:00Z\n---\nTitlu ${name}\n\n${RO}\n\nParagraful ${name}.\n`;

async function build(p: Project, full = false): Promise<RunReport> {
  return runOnce(p.context(NOW, CONFIG), { dryRun: false, full });
}

async function sixArticles(): Promise<Project> {
  const p = makeProject(CONFIG);
  for (const [name, date] of [
    ['a', '2026-10-10'],
    ['b', '2026-10-12'],
    ['c', '2026-10-14'],
    ['d', '2026-11-20'],
    ['e', '2026-11-21'],
    ['f', '2026-11-22'],
  ] as const)
    p.write(`${name}.txt`, article(name, date));
  const r = await build(p);
  expect(r.issues).toEqual([]);
  expect(r.feeds?.published).toBe(true);
  return p;
}

const recordFile = (p: Project, month: string, name: string): string =>
  join(p.dir, 'archive/records/2026', month, `titlu-${name}.json`);

function editRecord(p: Project, month: string, name: string, change: (text: string) => string) {
  const file = recordFile(p, month, name);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before); // the edit happened
  writeFileSync(file, after);
}

const feedTitles = (p: Project, file: string): string[] =>
  (JSON.parse(p.read(file)) as { items: { title: string }[] }).items.map((i) => i.title);
const pageTitles = (p: Project, file: string): string[] =>
  [...p.read(file).matchAll(/Titlu [a-h]/g)].map((m) => m[0]);

/** Every output that lists the articles: what each one lists. */
function published(p: Project): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const format of ['rss.xml', 'atom.xml'])
    for (const doc of ['', 'archive/2026/10/', 'archive/2026/11/'])
      out[`${doc}${format}`] = [
        ...p.read(`out/${doc}${format}`).matchAll(/<title[^>]*>(Titlu [a-h])/g),
      ].map((m) => m[1] ?? '');
  for (const doc of ['', 'archive/2026/10/', 'archive/2026/11/'])
    out[`${doc}feed.json`] = feedTitles(p, `out/${doc}feed.json`);
  for (const page of ['index.html', 'archive/2026/10/index.html', 'archive/2026/11/index.html'])
    out[page] = pageTitles(p, `out/${page}`);
  return out;
}

/** What every output lists when `gone` (October) is left out: in none of them. */
function expected(octoberLive: string[]): Record<string, string[]> {
  const oct = octoberLive.map((n) => `Titlu ${n}`);
  const out: Record<string, string[]> = {};
  for (const format of ['rss.xml', 'atom.xml', 'feed.json']) {
    out[format] = ['Titlu f', 'Titlu e'];
    out[`archive/2026/10/${format}`] = oct;
    out[`archive/2026/11/${format}`] = ['Titlu f', 'Titlu e', 'Titlu d'];
  }
  out['index.html'] = ['Titlu f', 'Titlu e'];
  out['archive/2026/10/index.html'] = oct;
  out['archive/2026/11/index.html'] = ['Titlu f', 'Titlu e', 'Titlu d'];
  return out;
}

const codes = (r: RunReport): string[][] => r.issues.map((i) => [i.code, i.file]);

/** `feedkeeper check` agrees: what was published is right, and it says why one is missing. */
async function checked(p: Project): Promise<string[][]> {
  const c = await check({ config: join(p.dir, 'feedkeeper.config.json') });
  return c.problems.map((i) => [i.code, i.file]);
}

describe(
  'a record that cannot be published is left out of every output',
  { timeout: 120_000 },
  () => {
    it('given another live record id by hand: build --full overwrites no record, reports both files, publishes the rest', async () => {
      const p = await sixArticles();
      const a = JSON.parse(readFileSync(recordFile(p, '10', 'a'), 'utf8')) as { id: string };
      editRecord(p, '10', 'b', (t) => t.replace(/"id": "[^"]*"/, `"id": "${a.id}"`));
      const records = ['a', 'b', 'c'].map((n) => readFileSync(recordFile(p, '10', n), 'utf8'));
      const page = readFileSync(join(p.dir, 'out/articles/titlu-b.html'));

      const r = await build(p, true);
      expect(codes(r)).toEqual([['RECORD_ID_DUPLICATE', 'archive/records/2026/10/titlu-b.json']]);
      expect(r.issues[0]?.message).toContain(a.id);
      expect(r.issues[0]?.message).toContain('archive/records/2026/10/titlu-a.json');
      expect(r.issues[0]?.hint).toMatch(/then run feedkeeper build\.$/);
      expect(r.feeds?.published).toBe(true);
      expect(r.archive.revised).toEqual([]);
      expect(r.archive.withdrawn).toEqual([]);
      // No record written: a keeps its own article, b its own.
      expect(['a', 'b', 'c'].map((n) => readFileSync(recordFile(p, '10', n), 'utf8'))).toEqual(
        records,
      );
      expect(published(p)).toEqual(expected(['c', 'a']));
      expect(await checked(p)).toEqual(codes(r));
      // Its page is not rendered again: the one published before stays as it was.
      expect(readFileSync(join(p.dir, 'out/articles/titlu-b.html'))).toEqual(page);

      // Reported on every run until fixed; the id put back, the next build publishes it (a
      // plain one: the row of a record that shares an id is checked against the record).
      expect(codes(await build(p))).toEqual(codes(r));
      editRecord(p, '10', 'b', (t) =>
        t.replace(a.id, a.id.replace(/10-10:titlu-a$/, '10-12:titlu-b')),
      );
      const fixed = await build(p);
      expect(codes(fixed)).toEqual([
        ['CATALOGUE_BEHIND_RECORD', 'archive/records/2026/10/titlu-b.json'],
      ]);
      expect(published(p)).toEqual(expected(['c', 'b', 'a']));
    });

    it.each([
      [
        'unreadable',
        (t: string) => t.replace('"title": "Titlu b"', '"title": "Titlu b'),
        'RECORD_CORRUPT',
      ],
      [
        'holding a control character',
        (t: string) => t.replace('"title": "Titlu b"', '"title": "Titlu \\u0001b"'),
        'RECORD_UNPUBLISHABLE',
      ],
    ])(
      'outside the newest, %s: left out of its archive documents and pages too, the rest published, back once repaired',
      async (_what, breakIt, code) => {
        const p = await sixArticles();
        const good = readFileSync(recordFile(p, '10', 'b'), 'utf8');
        editRecord(p, '10', 'b', breakIt);

        // --full reads every record (a plain run reads the records of what it renders).
        const r = await build(p, true);
        expect(codes(r)).toEqual([[code, 'archive/records/2026/10/titlu-b.json']]);
        expect(r.feeds?.published).toBe(true);
        expect(published(p)).toEqual(expected(['c', 'a']));
        expect(await checked(p)).toEqual(codes(r));

        // Repaired by hand: the next plain build puts it back everywhere.
        writeFileSync(recordFile(p, '10', 'b'), good);
        const fixed = await build(p);
        expect(fixed.issues).toEqual([]);
        expect(published(p)).toEqual(expected(['c', 'b', 'a']));
        expect(existsSync(join(p.dir, '.feedkeeper/left-out.json'))).toBe(false);
      },
    );

    it('unreadable among the newest, then pushed out of them by new articles: the site still publishes', async () => {
      const p = await sixArticles();
      editRecord(p, '11', 'e', (t) => t.replace('"title": "Titlu e"', '"title": "Titlu e'));
      const first = await build(p);
      expect(codes(first)).toEqual([['RECORD_CORRUPT', 'archive/records/2026/11/titlu-e.json']]);
      expect(first.feeds?.published).toBe(true);
      p.write('g.txt', article('g', '2026-11-23'));
      p.write('h.txt', article('h', '2026-11-24'));
      const r = await build(p);
      expect(codes(r)).toEqual([['RECORD_CORRUPT', 'archive/records/2026/11/titlu-e.json']]);
      expect(r.feeds?.published).toBe(true);
      for (const doc of ['out/archive/2026/11/feed.json', 'out/feed.json'])
        expect(feedTitles(p, doc)).not.toContain('Titlu e');
      expect(feedTitles(p, 'out/archive/2026/11/feed.json')).toEqual([
        'Titlu h',
        'Titlu g',
        'Titlu f',
        'Titlu d',
      ]);
      expect(pageTitles(p, 'out/archive/2026/11/index.html')).toEqual([
        'Titlu h',
        'Titlu g',
        'Titlu f',
        'Titlu d',
      ]);
    });
  },
);
