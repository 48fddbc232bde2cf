import { rmSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject, type Project } from '../helpers.js';

/** The feed date is the archive's last change: it never goes back (RSS: lastBuildDate). */
const at = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));
const article = (title: string): string =>
  `${title} | Lume\n\nPrimul paragraf al știrii ${title}.\n\nAl doilea paragraf.\n`;
const feedDate = (p: Project): string =>
  /<updated>([^<]*)<\/updated>/.exec(p.read('out/atom.xml'))?.[1] ?? '';
const lastBuild = (p: Project): string =>
  /<lastBuildDate>([^<]*)<\/lastBuildDate>/.exec(p.read('out/rss.xml'))?.[1] ?? '';

describe('the feed date', () => {
  it('moves forward to a withdrawal when the newest entry is withdrawn (it went back before)', async () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    expect((await runOnce(p.context(at(8)), { dryRun: false })).issues).toEqual([]);
    p.write('b.txt', article('Beta'));
    await runOnce(p.context(at(9)), { dryRun: false });
    expect(feedDate(p)).toBe('2026-11-25T09:00:00Z');
    rmSync(join(p.articles, 'b.txt'));
    const r = await runOnce(p.context(at(10)), { dryRun: false });
    expect(r.archive.withdrawn).toHaveLength(1);
    expect(r.feeds?.published).toBe(true);
    expect(feedDate(p)).toBe('2026-11-25T10:00:00Z');
    expect(lastBuild(p)).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    expect(p.read('out/feed.json')).not.toContain('Beta');
  });

  it('moves forward again when a withdrawn article comes back unchanged (it went back before)', async () => {
    const p = makeProject();
    p.write('a.txt', article('Alfa'));
    await runOnce(p.context(at(8)), { dryRun: false });
    const atom = p.read('out/atom.xml');
    const rec = 'archive/records/2026/11/alfa.json';
    rmSync(join(p.articles, 'a.txt'));
    await runOnce(p.context(at(9)), { dryRun: false });
    expect(feedDate(p)).toBe('2026-11-25T09:00:00Z');
    p.write('a.txt', article('Alfa'));
    const back = await runOnce(p.context(at(10)), { dryRun: false });
    expect(back.issues).toEqual([]);
    // Counted as what it is, and the render says why.
    expect(back.archive.restored).toEqual(['2026/11/alfa.json']);
    expect(back.archive.revised).toEqual([]);
    expect(back.archive.recordsChanged).toBe(true);
    expect(back.feeds?.reason).toBe('the archive changed: 1 restored');
    // The feed date moves forward to the restore; the item is the one readers had.
    expect(feedDate(p)).toBe('2026-11-25T10:00:00Z');
    expect(lastBuild(p)).toBe('Wed, 25 Nov 2026 10:00:00 GMT');
    const entry = (x: string): string => /<entry>[\s\S]*<\/entry>/.exec(x)?.[0] ?? '';
    expect(entry(p.read('out/atom.xml'))).toBe(entry(atom));
    const record = JSON.parse(p.read(rec)) as Record<string, unknown>;
    expect(record).toMatchObject({
      publishedAt: '2026-11-25T08:00:00Z',
      updatedAt: '2026-11-25T08:00:00Z',
      withdrawnAt: null,
      restoredAt: '2026-11-25T10:00:00Z',
    });
    // Minted once: later runs, a full one included, keep it and the feed date.
    const again = await runOnce(p.context(at(11)), { dryRun: false, full: true });
    expect(again.issues).toEqual([]);
    expect(JSON.parse(p.read(rec))).toEqual(record);
    expect(feedDate(p)).toBe('2026-11-25T10:00:00Z');
    expect(p.cli('check').status).toBe(0);
  });

  it('does not go back when a recently revised entry leaves the window', async () => {
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 1 } });
    p.write('a.txt', article('Alfa'));
    await runOnce(p.context(at(8)), { dryRun: false });
    p.write('a.txt', article('Alfa').replace('Al doilea', 'Al treilea'));
    await runOnce(p.context(at(11)), { dryRun: false });
    expect(feedDate(p)).toBe('2026-11-25T11:00:00Z');
    // A back-dated article newer by publication (front matter) pushes Alfa out of the window.
    p.write('b.txt', `---\ndate: 2026-11-25T09:00:00Z\n---\n${article('Beta')}`);
    const r = await runOnce(p.context(at(12)), { dryRun: false });
    expect(r.issues).toEqual([]);
    expect(p.read('out/feed.json')).toContain('Beta');
    expect(p.read('out/feed.json')).not.toContain('Alfa');
    // Beta's date (and so its updatedAt) is 09:00; the archive last changed with Alfa's
    // revision at 11:00, which is no longer listed: the feed date stays there.
    expect(feedDate(p)).toBe('2026-11-25T11:00:00Z');
  });

  it('of an empty archive is when the site was configured, never 1970', () => {
    const p = makeProject();
    const configured = new Date('2026-11-01T10:00:00Z');
    utimesSync(join(p.dir, 'feedkeeper.config.json'), configured, configured);
    const r = p.cli('build');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(feedDate(p)).toBe('2026-11-01T10:00:00Z');
    expect(lastBuild(p)).toBe('Sun, 01 Nov 2026 10:00:00 GMT');
    expect(p.cli('check').status).toBe(0);
  });
});
