import { createHash } from 'node:crypto';
import { readFileSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Issue } from '../../src/model/issue.js';
import { runOnce } from '../../src/pipeline/run.js';
import { jsonOf, makeProject, type Project } from '../helpers.js';

/**
 * Issue 10: "With ~100 KB free a cut out/feed.json was published with exit 0, and later runs said
 * nothing changed and never repaired it": the publish state then held a stat of the cut file.
 * Now it holds the size and sha256 of the proven bytes (and the mtime and ctime after the
 * rename), so a run that finds nothing new still sees, by a stat, a feed that is not what was
 * published, and publishes the proven bytes again; `check` names it (FEED_NOT_AS_PUBLISHED); a
 * state written before the checksums existed is not trusted once.
 */
const at = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));
const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];

interface State {
  files: Record<string, { size: number; mtimeMs: number; ctimeMs?: number; sha256?: string }>;
}

function publishedProject(): Project {
  const p = makeProject();
  p.write('one.txt', 'Story one | Tech\n\nThe first body.\n\nA second paragraph.\n');
  p.write('two.txt', 'Story two | Tech\n\nThe second body.\n\nA second paragraph.\n');
  return p;
}

const state = (p: Project): State => JSON.parse(p.read('.feedkeeper/published.json')) as State;
const sha = (p: Project, feed: string): string =>
  createHash('sha256')
    .update(readFileSync(join(p.dir, 'out', feed)))
    .digest('hex');

async function expectRepairedBy(p: Project, now: Date, reason: RegExp): Promise<void> {
  const r = await runOnce(p.context(now), { dryRun: false });
  expect(r.archive.recordsChanged).toBe(false);
  expect(r.feeds?.reason).toMatch(reason);
  expect(r.feeds?.written).toEqual(['feed.json']);
  expect(() => JSON.parse(p.read('out/feed.json'))).not.toThrow();
  for (const feed of FEEDS) expect(state(p).files[feed]?.sha256).toBe(sha(p, feed));
  const idle = await runOnce(p.context(at(now.getUTCHours() + 1)), { dryRun: false });
  expect(idle.feeds?.rendered).toBe(false);
  expect(p.cli('check').status).toBe(0);
}

describe('out/ is repaired when it differs from what was last published', () => {
  it('records the size and sha256 of the proven bytes for each published file', async () => {
    const p = publishedProject();
    await runOnce(p.context(at(8)), { dryRun: false });
    for (const feed of FEEDS) {
      const f = state(p).files[feed]!;
      expect(f.sha256).toBe(sha(p, feed));
      expect(f.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(f.size).toBe(statSync(join(p.dir, 'out', feed)).size);
    }
  });

  it('the reported case: a cut feed.json under a state that recorded the cut file (no sha256)', async () => {
    const p = publishedProject();
    await runOnce(p.context(at(8)), { dryRun: false });
    // What the old code left: the feed cut by a short write, and a state holding its stat.
    const feed = join(p.dir, 'out', 'feed.json');
    truncateSync(feed, Math.floor(statSync(feed).size / 2));
    const old = state(p);
    for (const name of Object.keys(old.files)) {
      const s = statSync(join(p.dir, 'out', name));
      old.files[name] = { size: s.size, mtimeMs: s.mtimeMs };
    }
    writeFileSync(join(p.dir, '.feedkeeper', 'published.json'), JSON.stringify(old));

    const check = p.cli('check', '--json');
    expect(check.status).toBe(1);
    expect(jsonOf<{ issues: Issue[] }>(check).issues.map((i) => `${i.code} ${i.file}`)).toContain(
      'JSON_INVALID out/feed.json',
    );
    await expectRepairedBy(p, at(9), /^the publish state has no checksums/);
  });

  it('a feed cut in place after publishing, its mtime set back: seen by its size, repaired', async () => {
    const p = publishedProject();
    await runOnce(p.context(at(8)), { dryRun: false });
    const feed = join(p.dir, 'out', 'feed.json');
    const { mtime } = statSync(feed);
    truncateSync(feed, 4096);
    utimesSync(feed, mtime, mtime);

    const check = p.cli('check', '--json');
    expect(check.status).toBe(1);
    const codes = jsonOf<{ issues: Issue[] }>(check).issues.map((i) => `${i.code} ${i.file}`);
    expect(codes).toContain('FEED_NOT_AS_PUBLISHED out/feed.json');
    expect(p.cli('status').stdout).toMatch(
      /^feeds: out\/feed\.json holds 4096 bytes, not the \d+ that were published; the next build publishes the proven bytes again$/m,
    );
    await expectRepairedBy(
      p,
      at(9),
      /^out\/feed\.json holds 4096 bytes, not the \d+ that were published$/,
    );
  });

  it('the same size and the mtime set back: the ctime gives it away', async () => {
    const p = publishedProject();
    await runOnce(p.context(at(8)), { dryRun: false });
    const feed = join(p.dir, 'out', 'feed.json');
    const { mtime } = statSync(feed);
    const text = readFileSync(feed, 'utf8');
    writeFileSync(feed, text.replace('Story one', 'Story 1!!'));
    utimesSync(feed, mtime, mtime);
    expect(statSync(feed).size).toBe(Buffer.byteLength(text));

    const check = p.cli('check', '--json');
    expect(check.status).toBe(1);
    const codes = jsonOf<{ issues: Issue[] }>(check).issues.map((i) => `${i.code} ${i.file}`);
    expect(codes).toContain('FEED_NOT_AS_PUBLISHED out/feed.json');
    await expectRepairedBy(
      p,
      at(9),
      /^out\/feed\.json is not the file that was published \(its time stamps differ: edited, copied or restored\)$/,
    );
  });
});
