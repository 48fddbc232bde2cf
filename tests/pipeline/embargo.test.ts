import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { loadPublishState } from '../../src/pipeline/publish-state.js';
import { runOnce } from '../../src/pipeline/run.js';
import { formatQuiet, formatReport } from '../../src/cli/print-report.js';
import { formatHistory, formatRecord } from '../../src/history/show-record.js';
import { BASE_CONFIG, makeProject, type Project } from '../helpers.js';

/**
 * Embargoes (pipeline/embargo.ts): a record published after the run's clock is archived, not
 * listed, does not move the feed date, and is published by the first run at or after its time,
 * although no record changed then.
 */
const at = (iso: string): Date => new Date(iso);
const article = (title: string, date?: string): string =>
  `${date === undefined ? '' : `---\ndate: ${date}\n---\n`}${title} | Lume\n\nPrimul paragraf al știrii ${title}.\n\nAl doilea paragraf.\n`;
const feeds = (p: Project): string[] =>
  ['rss.xml', 'atom.xml', 'feed.json'].map((f) => p.read(`out/${f}`));
const feedDate = (p: Project): string =>
  /<updated>([^<]*)<\/updated>/.exec(p.read('out/atom.xml'))?.[1] ?? '';
const recordOf = (p: Project, title: string): ArchiveRecord => {
  const dir = join(p.dir, 'archive', 'records');
  // Hidden files (the records folder's .feedkeeper-generation marker) are not records.
  for (const y of readdirSync(dir).filter((n) => !n.startsWith('.')))
    for (const m of readdirSync(join(dir, y)))
      for (const f of readdirSync(join(dir, y, m))) {
        const r = JSON.parse(p.read(`archive/records/${y}/${m}/${f}`)) as ArchiveRecord;
        if (r.title === title) return r;
      }
  throw new Error(`no record titled ${title}`);
};

describe('an embargoed article', () => {
  it('is archived but not published, does not freeze the feed date, and comes out on time without a change', async () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
    const first = await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(first.issues).toEqual([]);
    expect(first.archive.added).toHaveLength(2);
    expect(first.feeds).toMatchObject({
      published: true,
      entries: 1,
      scheduled: [{ publishedAt: '2026-11-25T12:00:00Z', record: '2026/11/embargo.json' }],
    });
    for (const text of feeds(p)) {
      expect(text).toContain('Alfa');
      expect(text).not.toContain('Embargo');
    }
    // The feed date is the last change readers can see, not the embargo's.
    expect(feedDate(p)).toBe('2026-11-25T08:00:00Z');
    // Its id carries the day it was archived, not the embargo day (pipeline/embargo.ts).
    const r = recordOf(p, 'Embargo');
    expect(r.publishedAt).toBe('2026-11-25T12:00:00Z');
    expect(r.id).toBe('tag:news.example.org,2026-11-25:embargo');
    expect(loadPublishState(join(p.dir, '.feedkeeper'))?.scheduled).toEqual([
      { record: '2026/11/embargo.json', id: r.id, publishedAt: '2026-11-25T12:00:00Z' },
    ]);

    // Before its time, a run with nothing new renders nothing.
    const before = await runOnce(p.context(at('2026-11-25T11:59:59Z')), { dryRun: false });
    expect(before.feeds).toMatchObject({ rendered: false, reason: 'nothing changed' });
    // At its time, the same: nothing changed on disk, and the run publishes it.
    const due = await runOnce(p.context(at('2026-11-25T12:00:00Z')), { dryRun: false });
    expect(due.archive.recordsChanged).toBe(false);
    expect(due.feeds).toMatchObject({ rendered: true, published: true, entries: 2, scheduled: [] });
    expect(due.feeds?.reason).toBe(
      'the embargo on 2026/11/embargo.json ended at 2026-11-25T12:00:00Z',
    );
    for (const text of feeds(p)) expect(text).toContain('Embargo');
    expect(feedDate(p)).toBe('2026-11-25T12:00:00Z');
    // And then it is a record like any other: the next run has nothing to do.
    const after = await runOnce(p.context(at('2026-11-25T12:05:00Z')), { dryRun: false });
    expect(after.feeds?.rendered).toBe(false);
    expect(p.cli('check').status).toBe(0);
  });

  it('follows its stored article until release: a moved embargo, then a lifted one; same id', async () => {
    const p = makeProject();
    p.write('later.txt', article('Embargo', '2026-12-10T08:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    const minted = recordOf(p, 'Embargo');
    expect(minted.id).toBe('tag:news.example.org,2026-11-25:embargo');

    p.write('later.txt', article('Embargo', '2026-12-01T06:00:00Z'));
    const moved = await runOnce(p.context(at('2026-11-26T08:00:00Z')), { dryRun: false });
    expect(moved.issues).toEqual([]);
    expect(moved.feeds?.scheduled).toEqual([
      { record: '2026/12/embargo.json', id: minted.id, publishedAt: '2026-12-01T06:00:00Z' },
    ]);
    expect(recordOf(p, 'Embargo')).toMatchObject({
      id: minted.id,
      publishedAt: '2026-12-01T06:00:00Z',
      updatedAt: '2026-12-01T06:00:00Z',
      revisions: [],
    });

    // The date removed: the embargo is lifted, published at once (its first-seen time is past).
    p.write('later.txt', article('Embargo'));
    const lifted = await runOnce(p.context(at('2026-11-27T09:00:00Z')), { dryRun: false });
    expect(lifted.feeds).toMatchObject({ published: true, entries: 1, scheduled: [] });
    expect(recordOf(p, 'Embargo')).toMatchObject({
      id: minted.id,
      publishedAt: '2026-11-27T09:00:00Z',
    });
    for (const text of feeds(p)) expect(text).toContain(minted.id);

    // Once released, dates are minted for good: a new date in front matter changes nothing.
    p.write('later.txt', article('Embargo', '2027-01-01'));
    await runOnce(p.context(at('2026-11-28T09:00:00Z')), { dryRun: false });
    expect(recordOf(p, 'Embargo').publishedAt).toBe('2026-11-27T09:00:00Z');
    expect(p.read('out/feed.json')).toContain('Embargo');
  });

  it('alone in a month or a month part of its own, it is in no archive document until its time (the gate agrees)', async () => {
    // A month that holds only a record under embargo, and a month's 101st record (a new part):
    // counted by the gate's chain but not the renderer's, they refused every build until then.
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 1 } });
    p.write('older.txt', article('Vechi', '2026-11-02T10:00:00Z'));
    p.write('old.txt', article('Mai vechi', '2026-11-01T10:00:00Z'));
    const clock = at('2026-11-25T08:00:00Z');
    expect((await runOnce(p.context(clock), { dryRun: false })).feeds?.published).toBe(true);
    p.write('scoop.txt', article('Scoop', '2026-12-01T09:00:00Z'));
    const held = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(held.issues).toEqual([]);
    expect(held.feeds).toMatchObject({
      published: true,
      scheduled: [{ record: '2026/12/scoop.json' }],
    });
    expect(p.read('out/rss.xml')).toContain('archive/2026/11/rss.xml');
    expect(p.read('out/rss.xml')).not.toContain('archive/2026/12/');
    // The rest goes on being published meanwhile.
    p.write('today.txt', article('Azi', '2026-11-25T09:30:00Z'));
    const next = await runOnce(p.context(at('2026-11-25T10:00:00Z')), { dryRun: false });
    expect(next.issues).toEqual([]);
    expect(p.read('out/rss.xml')).toContain('Azi');
    // On time, the new month's document appears and the subscription documents link it.
    const due = await runOnce(p.context(at('2026-12-01T09:00:00Z')), { dryRun: false });
    expect(due.issues).toEqual([]);
    expect(p.read('out/rss.xml')).toContain('Scoop');
    expect(p.read('out/rss.xml')).toContain('archive/2026/12/rss.xml');

    const q = makeProject();
    for (let i = 1; i <= 100; i++)
      q.write(
        `s${i}.txt`,
        article(`S${i}`, `2026-11-${String((i % 20) + 1).padStart(2, '0')}T10:00:00Z`),
      );
    expect((await runOnce(q.context(clock), { dryRun: false })).issues).toEqual([]);
    q.write('tonight.txt', article('Diseară', '2026-11-25T23:30:00Z'));
    const part = await runOnce(q.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(part.issues).toEqual([]);
    expect(part.feeds?.published).toBe(true);
    expect(q.read('out/rss.xml')).not.toContain('archive/2026/11/2/');
  });

  it('alone in a month of its own: build and check (the real clock) agree', () => {
    const now = new Date();
    const iso = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');
    // The first day of the month after next: a month no other record is in, under a year ahead.
    const later = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1, 9));
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 1 } });
    p.write('a.txt', article('Alfa', iso(new Date(now.getTime() - 3 * 3600_000))));
    p.write('b.txt', article('Beta', iso(new Date(now.getTime() - 2 * 3600_000))));
    p.write('later.txt', article('Embargo', iso(later)));
    const r = p.cli('build');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(p.read('out/rss.xml')).not.toContain('Embargo');
    const c = p.cli('check');
    expect(c.status, c.stdout + c.stderr).toBe(0);
  });

  it('dated more than a year ahead is a warning naming it (a 2062 for 2026)', async () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    p.write('typo.txt', article('Typo', '2062-11-25'));
    const r = await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_FAR_AHEAD',
        severity: 'warning',
        file: 'archive/articles/typo.txt',
        message: expect.stringContaining('2062-11-25T00:00:00Z'),
      }),
    ]);
    expect(feedDate(p)).toBe('2026-11-25T08:00:00Z');
    expect(p.read('out/rss.xml')).not.toContain('Typo');
    // Reported on every run until the date is fixed, or is less than a year away.
    const again = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(again.issues.map((i) => i.code)).toEqual(['DATE_FAR_AHEAD']);
    const yearBefore = await runOnce(p.context(at('2061-11-23T00:00:00Z')), { dryRun: false });
    expect(yearBefore.issues.map((i) => i.code)).toEqual(['DATE_FAR_AHEAD']);
    // The file did not change: the clock did. An embargo of under a year is nothing to warn of.
    const within = await runOnce(p.context(at('2061-11-26T00:00:00Z')), { dryRun: false });
    expect(within.issues).toEqual([]);
    expect(within.archive).toMatchObject({ added: [], revised: [], unchanged: 2 });
    expect(p.read('out/rss.xml')).not.toContain('Typo');
    const due = await runOnce(p.context(at('2062-11-25T00:00:00Z')), { dryRun: false });
    expect(due.issues).toEqual([]);
    expect(p.read('out/rss.xml')).toContain('Typo');
  });

  // Found by an outside try: with frontMatter left out of dates.sources, a front-matter date
  // after the clock was dropped without a word and the story published at once.
  it('declared in front matter that dates.sources leaves out is refused, not published, until its time', async () => {
    const names = { ...BASE_CONFIG, dates: { sources: ['fileName', 'firstSeen'] } };
    const p = makeProject(names);
    p.write('a.txt', article('Alfa'));
    p.write('2026-11-20-e.txt', article('Embargo', '2026-12-25T09:00:00Z'));
    const r = await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_SOURCE_UNUSED',
        severity: 'error',
        file: 'archive/articles/2026-11-20-e.txt',
        message: expect.stringContaining(
          'does not list frontMatter: it would be published on 2026-11-20T00:00:00Z',
        ) as string,
      }),
    ]);
    expect(r.archive.added).toHaveLength(1);
    for (const text of feeds(p)) expect(text).not.toContain('Embargo');
    // Refused on every run while the date is ahead, though the file does not change.
    const again = await runOnce(p.context(at('2026-11-26T08:00:00Z')), { dryRun: false });
    expect(again.issues.map((i) => i.code)).toEqual(['DATE_SOURCE_UNUSED']);
    // frontMatter listed: archived under embargo, published at its time.
    const listed = { ...BASE_CONFIG, dates: { sources: ['frontMatter', 'fileName', 'firstSeen'] } };
    const held = await runOnce(p.context(at('2026-11-27T08:00:00Z'), listed), { dryRun: false });
    expect(held.issues).toEqual([]);
    expect(held.feeds?.scheduled).toEqual([
      expect.objectContaining({ publishedAt: '2026-12-25T09:00:00Z' }),
    ]);
    for (const text of feeds(p)) expect(text).not.toContain('Embargo');

    // Without any other date, the message says it would go out at once; after its time, the
    // date is no embargo any more and the site's sources date the article as they say.
    const q = makeProject({ ...BASE_CONFIG, dates: { sources: ['firstSeen'] } });
    q.write('e.txt', article('Embargo', '2026-12-25T09:00:00Z'));
    const once = await runOnce(q.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(once.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_SOURCE_UNUSED',
        message: expect.stringMatching(/does not list frontMatter: it would be published at once/),
      }),
    ]);
    const past = await runOnce(q.context(at('2026-12-25T09:00:01Z')), { dryRun: false });
    expect(past.issues).toEqual([]);
    expect(q.read('out/rss.xml')).toContain('Embargo');
  });

  it('a plain build (the CLI, the real clock) publishes what has come due', () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    const r = p.cli('build', '--json');
    expect(r.status, r.stderr).toBe(0);
    // Past embargoes at the first run are simply published.
    p.write('b.txt', article('Beta', '2020-01-01T00:00:00Z'));
    p.write('c.txt', article('Gamma', '2999-01-01T00:00:00Z'));
    const second = p.cli('build', '--json');
    expect(second.status, second.stderr).toBe(0);
    const report = JSON.parse(second.stdout) as {
      feeds: { entries: number; scheduled: { publishedAt: string }[] };
      issues: { code: string }[];
    };
    expect(report.feeds.entries).toBe(2);
    expect(report.feeds.scheduled.map((s) => s.publishedAt)).toEqual(['2999-01-01T00:00:00Z']);
    expect(report.issues.map((i) => i.code)).toEqual(['DATE_FAR_AHEAD']);
    const human = p.cli('build');
    expect(human.stdout).toContain('scheduled 2999-01-01T00:00:00Z 2999/01/gamma.json');
    const status = p.cli('status');
    expect(status.stdout).toContain('scheduled: 1 under embargo, next due 2999-01-01T00:00:00Z');
    expect(p.cli('check').status).toBe(0);
  });
});

// Found by an outside try: a record whose date the clock had passed counted as published,
// though no build had run since its time. A moved embargo then went out at the old time
// (with a false DATE_PUBLISHED_KEPT), and a rename that moved it minted a second record.
describe('an embargo moved later, seen by the first build after its old time', () => {
  it.each([
    ['in place', 'later.txt'],
    ['with a rename', 'later-final.txt'],
  ])('%s: keeps its record and waits for the new time', async (_, name) => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    const before = recordOf(p, 'Embargo');
    rmSync(join(p.articles, 'later.txt'));
    p.write(name, article('Embargo', '2026-11-25T18:00:00Z'));
    // No build at 12:00: the next one comes after the old time.
    const moved = await runOnce(p.context(at('2026-11-25T13:00:00Z')), { dryRun: false });
    expect(moved.archive.added).toEqual([]);
    expect(moved.issues.map((i) => i.code)).toEqual([]);
    expect(recordOf(p, 'Embargo')).toMatchObject({
      id: before.id,
      publishedAt: '2026-11-25T18:00:00Z',
    });
    for (const text of feeds(p)) expect(text).not.toContain('Embargo');
    await runOnce(p.context(at('2026-11-25T18:00:01Z')), { dryRun: false });
    for (const text of feeds(p)) expect(text).toContain('Embargo');
  });
});

// Found by an outside try: the dry run said the article stayed scheduled and nothing changed,
// and the real run reported "unchanged", blaming an earlier run that had not published.
describe('an embargo lifted', () => {
  it('reschedules its record, seen by a dry run, and is the reason of the publication', async () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    p.write('later.txt', article('Embargo'), 30);
    const dry = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: true });
    expect(dry.archive.rescheduled).toEqual(['2026/11/embargo.json']);
    expect(dry.feeds?.reason).toContain('1 rescheduled');
    const real = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(real.archive).toMatchObject({ revised: [], rescheduled: ['2026/11/embargo.json'] });
    expect(real.feeds?.reason).toBe('the archive changed: 1 rescheduled');
    for (const text of feeds(p)) expect(text).toContain('Embargo');
  });
});

// Found by an outside try: a moved embargo was "revised" in the build's report while `archive
// show` said "revisions 0" and `archive history` showed one version; an edit made under
// embargo showed as two versions at the same instant. A record nobody saw has no revisions:
// build, show and history now say the same.
describe('a record changed before its release: build, show and history agree', () => {
  const path = '2026/11/embargo.json';
  const shown = (p: Project): { show: string; history: string } => {
    const r = recordOf(p, 'Embargo');
    return { show: formatRecord(r, path), history: formatHistory(r) };
  };

  it('its embargo moved: rescheduled, no revision', async () => {
    const p = makeProject();
    p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    p.write('later.txt', article('Embargo', '2026-11-25T18:00:00Z'));
    const moved = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(moved.archive).toMatchObject({ revised: [], rescheduled: [path], amended: [] });
    expect(formatReport(moved)).toContain(
      'archive: 0 added, 0 revised, 0 withdrawn, 1 rescheduled,',
    );
    expect(formatReport(moved)).toContain(`  rescheduled ${path}`);
    expect(formatQuiet(moved)).toContain('1 rescheduled');
    expect(shown(p).show).toContain('  revisions 0');
    expect(shown(p).history).toContain('  1 version\n');
  });

  it('its text edited: amended, one version (the one released), then a real revision after release', async () => {
    const p = makeProject();
    p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
    await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
    const edited = article('Embargo', '2026-11-25T12:00:00Z').replace(
      'Al doilea paragraf.',
      'Al doilea paragraf, corectat.',
    );
    p.write('later.txt', edited);
    const amended = await runOnce(p.context(at('2026-11-25T09:00:00Z')), { dryRun: false });
    expect(amended.archive).toMatchObject({ revised: [], rescheduled: [], amended: [path] });
    expect(amended.feeds?.reason).toBe('the archive changed: 1 amended');
    expect(recordOf(p, 'Embargo')).toMatchObject({
      revisions: [],
      updatedAt: '2026-11-25T12:00:00Z',
    });
    expect(shown(p).show).toContain('  revisions 0');
    expect(shown(p).history).toContain('  1 version\n');
    expect(shown(p).history).not.toContain('[-');

    // Released: still the one version readers got.
    await runOnce(p.context(at('2026-11-25T12:00:01Z')), { dryRun: false });
    for (const text of feeds(p)) expect(text).toContain('corectat');
    expect(recordOf(p, 'Embargo').revisions).toEqual([]);

    // An edit after its release is a revision like any other.
    p.write('later.txt', edited.replace('corectat', 'corectat din nou'));
    const revised = await runOnce(p.context(at('2026-11-25T13:00:00Z')), { dryRun: false });
    expect(revised.archive).toMatchObject({ revised: [path], amended: [] });
    expect(shown(p).show).toContain('  revisions 1');
    expect(shown(p).history).toMatch(/ {2}2 versions\n[\s\S]*\{\+[^+]*din nou/);
  });
});

describe('an embargoed article deleted before its time', () => {
  it.each([
    ['the same name', 'later.txt'],
    ['another name', 'again.txt'],
  ])(
    'written again (%s) with a new embargo after the old time passed: its first record, never seen',
    async (_, name) => {
      const p = makeProject();
      p.write('a.txt', article('Alfa'));
      p.write('later.txt', article('Embargo', '2026-11-25T12:00:00Z'));
      await runOnce(p.context(at('2026-11-25T08:00:00Z')), { dryRun: false });
      const first = recordOf(p, 'Embargo');
      rmSync(join(p.articles, 'later.txt'));
      const gone = await runOnce(p.context(at('2026-11-25T10:00:00Z')), { dryRun: false });
      expect(gone.archive.withdrawn).toEqual(['2026/11/embargo.json']);
      // The old time passes with a publication (Beta): the first record is still not out.
      p.write('b.txt', article('Beta'));
      await runOnce(p.context(at('2026-11-25T13:00:00Z')), { dryRun: false });
      p.write(name, article('Embargo', '2026-11-26T12:00:00Z'));
      const back = await runOnce(p.context(at('2026-11-25T14:00:00Z')), { dryRun: false });
      expect(back.issues).toEqual([]);
      expect(back.archive.added).toEqual([]);
      expect(back.feeds).toMatchObject({
        scheduled: [{ publishedAt: '2026-11-26T12:00:00Z', record: '2026/11/embargo.json' }],
      });
      for (const text of feeds(p)) expect(text).not.toContain('Embargo');
      const out = await runOnce(p.context(at('2026-11-26T12:00:00Z')), { dryRun: false });
      expect(out.issues).toEqual([]);
      const r = recordOf(p, 'Embargo');
      expect([r.id, r.slug, r.url]).toEqual([first.id, first.slug, first.url]);
      expect(r.publishedAt).toBe('2026-11-26T12:00:00Z');
      for (const text of feeds(p)) expect(text.split(first.id)).toHaveLength(2);
    },
  );
});
