import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { provenMessage } from '../../src/cli/check.js';
import type { Issue } from '../../src/model/issue.js';
import { jsonOf, makeProject, sampleBytes, type Project } from '../helpers.js';

/**
 * `feedkeeper check` is the oracle of the crash, lock and signal tests: here it is seen to fail.
 * Each case tampers with one published file (or a record), runs the compiled CLI, expects exit 1
 * with the code in both the human and the --json report, then puts the file back.
 */
let p: Project;
const read = (rel: string): string => readFileSync(join(p.dir, rel), 'utf8');

beforeAll(() => {
  p = makeProject();
  p.write('000_4b52bae062771df2.txt', sampleBytes());
  p.write('story.txt', 'Story one | Tech\n\nThe first paragraph.\n\nA second paragraph.\n');
  const r = p.cli('build');
  expect(r.status, r.stdout + r.stderr).toBe(0);
});

function tampered(rel: string, change: (text: string) => string | null): () => void {
  const abs = join(p.dir, rel);
  const original = readFileSync(abs, 'utf8');
  const changed = change(original);
  expect(changed, `the tampering of ${rel} must change it`).not.toBe(original);
  if (changed === null) rmSync(abs);
  else writeFileSync(abs, changed);
  return () => writeFileSync(abs, original);
}

const recordPath = (): string => {
  const years = readdirSync(join(p.dir, 'archive', 'records')).filter((f) => !f.startsWith('.'));
  const month = join('archive', 'records', years[0]!);
  const mm = readdirSync(join(p.dir, month))[0]!;
  const file = readdirSync(join(p.dir, month, mm)).find((f) => f.startsWith('story'))!;
  return join(month, mm, file);
};

describe('feedkeeper check', () => {
  it('passes on what build published (exit 0, ok: true)', () => {
    const human = p.cli('check');
    expect(human.status, human.stdout).toBe(0);
    expect(human.stdout).toContain(
      'say exactly what the archive says (2 entries); so do the 3 archive documents of the RFC 5005 chain.',
    );
    expect(human.stderr).toBe('');
    const json = p.cli('check', '--json');
    expect(json.status).toBe(0);
    expect(jsonOf(json)).toEqual({
      schemaVersion: 1,
      command: 'check',
      ok: true,
      entries: 2,
      archiveDocuments: 1, // RFC 5005: the month both articles are in (its three files)
      files: ['out/rss.xml', 'out/atom.xml', 'out/feed.json'],
      problems: [],
      issues: [],
    });
  });

  it.each([
    ['out/rss.xml', 'deleted', (t: string) => (t ? null : t), 'FEED_MISSING', '(file)'],
    [
      'out/atom.xml',
      'a title typed html',
      (t: string) => t.replace('<title type="text">Story', '<title type="html">Story'),
      'ATOM_TEXT_TYPE',
      'entry[2]/title',
    ],
    [
      'out/rss.xml',
      "a weekday that is not the date's",
      (t: string) =>
        t.replace(
          /<pubDate>(\w{3}),/,
          (_m, d: string) => `<pubDate>${d === 'Mon' ? 'Tue' : 'Mon'},`,
        ),
      'RSS_DATE_WEEKDAY',
      'item[1]/pubDate',
    ],
    [
      'out/rss.xml',
      'a control character',
      (t: string) => t.replace('<title>Story one', '<title>Story\u0001one'),
      'XML_ILLEGAL_CHARACTER',
      'line',
    ],
    [
      'out/feed.json',
      'a title changed',
      (t: string) => t.replace('"title": "Story one"', '"title": "Story two"'),
      'ROUNDTRIP_MISMATCH',
      'items[2]/title',
    ],
    ['out/feed.json', 'cut short', (t: string) => t.slice(0, 200), 'JSON_INVALID', '(document)'],
    [
      'out/atom.xml',
      'an entry removed',
      (t: string) => t.replace(/<entry[\s\S]*?<\/entry>\s*/, ''),
      'ROUNDTRIP_COUNT',
      'entries',
    ],
    [
      'out/rss.xml',
      'a wrong namespace URI',
      (t: string) =>
        t.replace('http://purl.org/rss/1.0/modules/content/', 'http://purl.org/content/'),
      'XML_NAMESPACE',
      'content:encoded',
    ],
  ])('%s, %s', (rel, _how, change, code, element) => {
    const restore = tampered(rel, change);
    try {
      const human = p.cli('check');
      expect(human.status, human.stderr).toBe(1);
      expect(human.stdout).toBe('');
      expect(human.stderr).toMatch(
        new RegExp(`^error ${code} ${rel.replace('.', '\\.')} \\(`, 'm'),
      );
      const json = p.cli('check', '--json');
      expect(json.status).toBe(1);
      const report = jsonOf<{ ok: boolean; problems: Issue[]; issues: Issue[] }>(json);
      expect(report.ok).toBe(false);
      // `issues`, the name before schemaVersion 1, is the same list.
      expect(report.issues).toEqual(report.problems);
      const hit = report.issues.find((i) => i.code === code);
      expect(hit).toMatchObject({ severity: 'error', file: rel });
      expect(hit?.element?.startsWith(element)).toBe(true);
      expect(hit?.hint.length).toBeGreaterThan(20);
      expect(report.issues.every((i) => i.file === rel)).toBe(true);
    } finally {
      restore();
    }
    expect(p.cli('check').status).toBe(0);
  });

  it('its message counts files, in the right number: 1 entry, 3 archive documents a month', () => {
    const files = ['out/rss.xml', 'out/atom.xml', 'out/feed.json'];
    const said = (entries: number, archiveDocuments: number): string =>
      provenMessage({ files, entries, archiveDocuments });
    // `archiveDocuments` counts months (and parts of months); each is an RSS, an Atom and a
    // JSON Feed document, and the message counts those files (out/archive/2026/11/rss.xml…).
    expect(said(1, 1)).toBe(
      'check: out/rss.xml, out/atom.xml, out/feed.json are well-formed, follow their specs and say exactly what the archive says (1 entry); so do the 3 archive documents of the RFC 5005 chain.',
    );
    expect(said(250, 3)).toMatch(
      / \(250 entries\); so do the 9 archive documents of the RFC 5005 chain\.$/,
    );
    expect(said(0, 0)).toMatch(
      / \(0 entries\); there is no archive document of the RFC 5005 chain yet\.$/,
    );
  });

  it.each([
    ['empty', ''],
    ['of spaces', '   '],
  ])(
    'a record whose title is %s (edited by hand): RECORD_CORRUPT at "title", before and after build',
    (_how, title) => {
      const rel = recordPath();
      const restore = tampered(rel, (t) =>
        t.replace('"title": "Story one"', `"title": ${JSON.stringify(title)}`),
      );
      try {
        for (const run of ['check', 'build', 'check']) {
          const json = p.cli(run, '--json');
          expect(json.status, `${run}: ${json.stdout}`).toBe(1);
          const report = jsonOf<{ issues: Issue[] }>(json);
          expect(report.issues[0], run).toMatchObject({
            code: 'RECORD_CORRUPT',
            file: rel,
            message: expect.stringContaining('at "title"') as string,
          });
        }
        // build left it out: no feed carries a title readers would see as nothing.
        expect(read('out/rss.xml')).not.toContain(`<title>${title}</title>`);
        expect(read('out/rss.xml')).not.toContain('Story one');
      } finally {
        restore();
      }
      expect(p.cli('build').status).toBe(0);
      expect(p.cli('check').status).toBe(0);
    },
  );

  it('a corrupt record: RECORD_CORRUPT, naming the record', () => {
    const rel = recordPath();
    const restore = tampered(rel, (t) => t.slice(0, 40));
    try {
      const json = p.cli('check', '--json');
      expect(json.status).toBe(1);
      const report = jsonOf<{ issues: Issue[] }>(json);
      // Named first; out/ then lists an entry build would now leave out, which check says too.
      expect(report.issues[0]).toMatchObject({ code: 'RECORD_CORRUPT', file: rel });
    } finally {
      restore();
    }
    expect(read(rel)).toContain('"schemaVersion"');
    expect(p.cli('check').status).toBe(0);
  });
});
