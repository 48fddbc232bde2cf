import {
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/model/issue.js';
import { BASE_CONFIG, jsonOf, makeProject, type Project } from '../helpers.js';

/**
 * Records are the source of truth, and people edit them by hand (or restore old ones): build
 * notices a listed record that changed, reports a corrupt one with exit 1 and never overwrites
 * it, and `build --full` checks every record. `--dry-run` writes and deletes nothing.
 */
const article = (title: string, day: number): string =>
  `---\ndate: 2026-11-${String(day).padStart(2, '0')}T08:00:00Z\n---\n${title} | Lume\n\nPrimul paragraf despre ${title}.\n\nAl doilea paragraf.\n`;

function project(size = 50): Project {
  const p = makeProject({ ...BASE_CONFIG, feed: { size } });
  p.write('old.txt', article('Vechi', 10));
  p.write('new.txt', article('Nou', 20));
  const r = p.cli('build');
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return p;
}
const recordOf = (p: Project, slug: string): string => {
  const dir = join(p.dir, 'archive/records/2026/11');
  return join(
    'archive/records/2026/11',
    readdirSync(dir).find((f) => f.startsWith(slug))!,
  );
};
const issuesOf = (r: ReturnType<Project['cli']>): string[] =>
  jsonOf<{ issues: Issue[] }>(r).issues.map((i) => `${i.code} ${i.file}`);

describe('records edited or broken by hand', () => {
  it('a hand edit of a listed record is published by the next build, and check agrees', () => {
    const p = project();
    const rel = recordOf(p, 'nou');
    writeFileSync(
      join(p.dir, rel),
      p.read(rel).replace('"title": "Nou"', '"title": "Nou, corectat"'),
    );
    expect(p.cli('check').status).toBe(1);
    const r = p.cli('build', '--json');
    expect(r.status, r.stdout).toBe(0);
    expect(jsonOf<{ feeds: { reason: string } }>(r).feeds.reason).toContain(
      `the listed record 2026/11/nou.json was changed or removed outside feedkeeper`,
    );
    expect(p.read('out/feed.json')).toContain('Nou, corectat');
    expect(p.cli('check').status).toBe(0);
    // Its own page and its month page too, not only the feeds and the front page (found by
    // the outside try: they kept the old title until build --full).
    expect(p.read('out/articles/nou.html')).toContain('<title>Nou, corectat – Test News</title>');
    expect(p.read('out/archive/2026/11/index.html')).toContain('Nou, corectat');
    expect(p.read('out/index.html')).toContain('Nou, corectat');
  });

  // Found by an outside try: a record's date edited by hand made the renderer (which reads the
  // record) and the gate (which placed it by the catalogue's row) disagree, and every build
  // was refused with round-trip errors calling it a feedkeeper bug, until build --full.
  it.each([
    [
      'publishedAt moved back a day',
      '"publishedAt": "2026-11-20T08:00:00Z"',
      '"publishedAt": "2026-11-19T08:00:00Z"',
      '2026-11-19T08:00:00Z',
    ],
    [
      'publishedAt moved into the future',
      '"publishedAt": "2026-11-20T08:00:00Z"',
      '"publishedAt": "2099-01-05T00:00:00Z"',
      null,
    ],
  ])(
    '%s: check says so, build rebuilds the catalogue and publishes it',
    (_what, from, to, shown) => {
      const p = project();
      const rel = recordOf(p, 'nou');
      expect(p.read(rel)).toContain(from);
      writeFileSync(join(p.dir, rel), p.read(rel).replace(from, to));
      const before = p.snapshot();
      const check = p.cli('check', '--json');
      expect(check.status, check.stdout).toBe(1);
      // Said once, not as a round-trip mismatch per feed that reads like a feedkeeper bug.
      expect(issuesOf(check)).toEqual([`CATALOGUE_BEHIND_RECORD ${rel}`]);
      expect(p.snapshot()).toEqual(before);
      const dry = p.cli('build', '--dry-run', '--json');
      expect(dry.status, dry.stdout).toBe(0);
      expect(issuesOf(dry)).toEqual([`CATALOGUE_BEHIND_RECORD ${rel}`]);
      expect(p.snapshot()).toEqual(before);
      // An article changed in the same run: what the archive stage did is reported.
      p.write('old.txt', article('Vechi corectat', 10), 30);
      const r = p.cli('build', '--json');
      expect(r.status, r.stdout).toBe(0);
      expect(issuesOf(r)).toEqual([`CATALOGUE_BEHIND_RECORD ${rel}`]);
      expect(jsonOf<{ archive: { revised: string[] } }>(r).archive.revised).toHaveLength(1);
      const feed = JSON.parse(p.read('out/feed.json')) as {
        items: { title: string; date_published: string }[];
      };
      const nou = feed.items.find((i) => i.title === 'Nou');
      if (shown === null) expect(nou).toBeUndefined();
      else expect(nou?.date_published).toBe(shown);
      expect(feed.items.map((i) => i.title)).toContain('Vechi corectat');
      expect(p.read(rel)).toContain(to); // the record is the truth: never written back
      expect(p.cli('check').status).toBe(0);
      const again = p.cli('build', '--json');
      expect(again.status).toBe(0);
      expect(jsonOf<{ written: string[] }>(again).written).toEqual([]);
    },
  );

  it('an empty articles folder withdraws nothing without --withdraw-all (an unmounted share)', () => {
    const p = project();
    const away = `${p.articles}.away`;
    renameSync(p.articles, away);
    mkdirSync(p.articles);
    const before = p.snapshot();
    const r = p.cli('build');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('holds no stored article, while 2 records are published from it');
    expect(r.stderr).toContain('feedkeeper build --withdraw-all');
    // Nothing changed but the run log's line, which says why the run stopped.
    const after = p.snapshot();
    const log = '.feedkeeper/runs.jsonl';
    expect(after[log]?.text).toContain('holds no stored article');
    delete after[log];
    delete before[log];
    expect(after).toEqual(before);
    // Meant: withdrawn; and the folder back, restored.
    const all = p.cli('build', '--withdraw-all', '--json');
    expect(all.status, all.stderr).toBe(0);
    expect(jsonOf<{ archive: { withdrawn: string[] } }>(all).archive.withdrawn).toHaveLength(2);
    rmSync(p.articles, { recursive: true });
    renameSync(away, p.articles);
    const back = jsonOf<{ archive: { restored: string[] } }>(p.cli('build', '--json'));
    expect(back.archive.restored).toHaveLength(2);
  });

  it('a change readers do not see, which rewrites the record, is not called a hand edit', () => {
    const p = project();
    // A trailing blank line: the record's input (sha256, bytes) is updated by this very run.
    p.write('new.txt', `${article('Nou', 20)}\n`, 30);
    const r = p.cli('build', '--json');
    expect(r.status, r.stdout).toBe(0);
    const reason = jsonOf<{ feeds: { reason: string } }>(r).feeds.reason;
    expect(reason).toBe(
      'the listed record 2026/11/nou.json was updated by this run (its stored article changed, not what readers see)',
    );
    expect(p.cli('check').status).toBe(0);
  });

  it('a corrupt listed record: exit 1, RECORD_CORRUPT, left out of the feeds, the file untouched', () => {
    const p = project();
    const rel = recordOf(p, 'nou');
    writeFileSync(join(p.dir, rel), '{"schemaVersion": 1, "id": ');
    const out = p.read('out/rss.xml');
    const r = p.cli('build', '--json');
    expect(r.status).toBe(1);
    expect(issuesOf(r)).toEqual([`RECORD_CORRUPT ${rel}`]);
    // The rest of the site publishes without it (issue 10: one record never blocks the feeds).
    expect(p.read('out/rss.xml')).not.toBe(out);
    expect(jsonOf<{ feeds: { published: boolean } }>(r).feeds.published).toBe(true);
    expect(p.read(rel)).toBe('{"schemaVersion": 1, "id": ');
    // Every following run says so too, until it is repaired.
    expect(p.cli('build').status).toBe(1);
  });

  it('a corrupt record outside the feeds: build --full finds it (exit 1) and leaves it as it is', () => {
    const p = project(1);
    const rel = recordOf(p, 'vechi');
    writeFileSync(join(p.dir, rel), 'not json');
    expect(p.cli('build').status).toBe(0); // not read: a no-change run reads no record
    const full = p.cli('build', '--full', '--json');
    expect(full.status).toBe(1);
    expect(issuesOf(full)).toContain(`RECORD_CORRUPT ${rel}`);
    expect(p.read(rel)).toBe('not json');
    expect(p.read('out/feed.json')).toContain('Nou');
  });

  it('a record outside the feeds replaced by hand (as an editor, sed -i or git checkout write it): the next build publishes the correction on its pages; broken, it is left out', () => {
    const p = project(1);
    const rel = recordOf(p, 'vechi');
    const abs = join(p.dir, rel);
    const replace = (text: string): void => {
      writeFileSync(`${abs}.tmp`, text);
      renameSync(`${abs}.tmp`, abs);
    };
    replace(p.read(rel).replace('"title": "Vechi"', '"title": "Vechi, corectat"'));
    const r = p.cli('build', '--json');
    expect(r.status, r.stdout).toBe(0);
    expect(jsonOf<{ feeds: { reason: string } }>(r).feeds.reason).toBe(
      'records in archive/records/2026/11/ were changed outside feedkeeper since the last publication',
    );
    // Until now, only build --full published it.
    expect(p.read('out/articles/vechi.html')).toContain('<h1>Vechi, corectat</h1>');
    expect(p.read('out/archive/2026/11/index.html')).toContain('Vechi, corectat');
    expect(p.read('out/archive/2026/11/atom.xml')).toContain('Vechi, corectat');
    // Broken by hand: left out of every output rendered from it, the rest published.
    replace('not json');
    const broken = p.cli('build', '--json');
    expect(broken.status).toBe(1);
    expect(issuesOf(broken)).toContain(`RECORD_CORRUPT ${rel}`);
    expect(jsonOf<{ feeds: { published: boolean } }>(broken).feeds.published).toBe(true);
    expect(p.read('out/archive/2026/11/atom.xml')).not.toContain('Vechi');
    expect(p.read('out/archive/2026/11/index.html')).not.toContain('Vechi');
  });

  it('build --full on a healthy archive renders again and finds nothing to change', () => {
    const p = project();
    const before = p.snapshot();
    const r = p.cli('build', '--full', '--json');
    expect(r.status, r.stdout).toBe(0);
    const report = jsonOf<{ feeds: { rendered: boolean; reason: string; written: string[] } }>(r);
    expect(report.feeds).toMatchObject({ rendered: true, written: [] });
    const after = p.snapshot();
    for (const f of Object.keys(before).filter(
      (f) => f.startsWith('out/') || f.startsWith('archive/'),
    ))
      expect(after[f], f).toEqual(before[f]);
  });
});

describe('build --dry-run writes and deletes nothing', () => {
  it('on a new site: no folder is created', () => {
    const p = makeProject();
    p.write('new.txt', article('Nou', 20));
    const r = p.cli('build', '--dry-run', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(jsonOf<{ archive: { added: string[] } }>(r).archive.added).toHaveLength(1);
    for (const dir of ['.feedkeeper', 'out', 'archive/records'])
      expect(existsSync(join(p.dir, dir)), dir).toBe(false);
  });

  it('on an archive with changes and leftovers of a killed run: every byte as it was', () => {
    const p = project();
    p.write('third.txt', article('Al treilea', 22));
    writeFileSync(join(p.dir, 'out', '.rss.xml.tmp-424242'), 'left by a killed run');
    writeFileSync(join(p.dir, '.feedkeeper', '.inputs.json.tmp-424242'), 'left by a killed run');
    const before = p.snapshot();
    const r = p.cli('build', '--dry-run', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(jsonOf<{ archive: { added: string[] } }>(r).archive.added).toHaveLength(1);
    expect(p.snapshot()).toEqual(before);
    expect(readFileSync(join(p.dir, 'out', '.rss.xml.tmp-424242'), 'utf8')).toBe(
      'left by a killed run',
    );
  });
});
