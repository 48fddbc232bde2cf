import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  closeSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { RunContext } from '../../src/pipeline/context.js';
import { runOnce } from '../../src/pipeline/run.js';
import { publishFiles } from '../../src/publish/publish-files.js';
import { walkFiles } from '../../src/io/walk-files.js';
import { makeProject, sampleBytes, type Project } from '../helpers.js';

const FEEDS = ['atom.xml', 'feed.json', 'rss.xml'];
/**
 * What a publication leaves in out/: the feeds with their gzip and brotli copies, and (RFC 5005)
 * the archive documents of 2026/11.
 */
const PUBLISHED = [
  ...['atom.xml', 'feed.json', 'rss.xml'].map((f) => `archive/2026/11/${f}`),
  ...FEEDS,
  // The pages (README "Pages"): the month, each article, the front page.
  'archive/2026/11/index.html',
  'articles/putin-face-o-vizita-rara-la-minsk-pentru-discutii-cu-liderul-belarus.html',
  'articles/story-one.html',
  'index.html',
]
  .flatMap((f) => [f, `${f}.br`, `${f}.gz`])
  .sort();

/** Every file in a folder (hidden ones too) with its bytes and mtime. */
function folder(dir: string): Record<string, { hex: string; mtimeMs: number; ino: number }> {
  const out: Record<string, { hex: string; mtimeMs: number; ino: number }> = {};
  for (const name of walkFiles(dir)) {
    const s = statSync(join(dir, name));
    out[name] = {
      hex: readFileSync(join(dir, name)).toString('hex'),
      mtimeMs: s.mtimeMs,
      ino: s.ino,
    };
  }
  return out;
}

const STORY_V1 = 'Story one | Tech\n\nThe first version of the body.\n\nA second paragraph.\n';
const STORY_V2 =
  'Story one | Tech\n\nThe second version of the body, corrected.\n\nA second paragraph.\n';

/**
 * A context whose render gets a U+0001 in the first Atom entry title: the `feed` library's
 * output is patched, the way a faulty upgrade of it would break it.
 */
function breakingAtom(p: Project, now: Date): RunContext {
  const atom1 = Feed.prototype.atom1;
  vi.spyOn(Feed.prototype, 'atom1').mockImplementation(function (this: Feed) {
    const xml = atom1.call(this);
    const broken = xml.replace('<entry>\n        <title type="html">', '$&\u0001');
    if (broken === xml) throw new Error('test: no Atom entry title to break');
    return broken;
  });
  return p.context(now);
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('a refused render publishes nothing (fail closed)', () => {
  it('keeps out/ byte- and mtime-identical, and the next good run publishes the change', async () => {
    const p = makeProject();
    p.write('000_4b52bae062771df2.txt', sampleBytes());
    p.write('story.txt', STORY_V1);
    const out = join(p.dir, 'out');

    const first = await runOnce(p.context(new Date('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(first.issues).toEqual([]);
    expect(first.feeds?.published).toBe(true);
    expect(Object.keys(folder(out))).toEqual(PUBLISHED);
    const before = folder(out);
    expect(p.read('out/atom.xml')).toContain('The first version of the body.');

    p.write('story.txt', STORY_V2);
    const refused = await runOnce(breakingAtom(p, new Date('2026-11-25T09:00:00Z')), {
      dryRun: false,
    });
    expect(refused.archive.revised).toHaveLength(1);
    expect(refused.feeds?.rendered).toBe(true);
    expect(refused.feeds?.published).toBe(false);
    expect(refused.feeds?.written).toEqual([]);
    expect(refused.issues.length).toBeGreaterThan(0);
    const illegal = refused.issues.find((i) => i.code === 'XML_ILLEGAL_CHARACTER');
    // The archive document of the month is rendered (and refused) first (RFC 5005 chain).
    expect(illegal).toMatchObject({ severity: 'error', file: 'out/archive/2026/11/atom.xml' });
    expect(illegal?.element).toMatch(/^line \d+$/);
    expect(illegal?.hint.length).toBeGreaterThan(10);
    expect(refused.issues.every((i) => i.file === 'out/archive/2026/11/atom.xml')).toBe(true);
    expect(refused.written.some((w) => w.startsWith('out/'))).toBe(false);

    // out/ as it was: same names (no staging, no temp file), same bytes, same mtimes, same inodes.
    expect(folder(out)).toEqual(before);
    expect(existsSync(join(p.dir, '.feedkeeper', 'staging'))).toBe(false);
    expect(existsSync(join(p.dir, '.feedkeeper', 'staging-archive'))).toBe(false);
    expect(existsSync(join(p.dir, '.feedkeeper', 'staging-pages'))).toBe(false);
    // The archive did take the revision: only the publication was refused.
    const revised = refused.written.find((w) => w.startsWith('archive/records/'));
    expect(revised).toBeDefined();
    expect(p.read(revised!)).toContain('The second version of the body, corrected.');

    // The next run renders again although its own scan finds nothing new, and publishes.
    vi.restoreAllMocks();
    const next = await runOnce(p.context(new Date('2026-11-25T10:00:00Z')), { dryRun: false });
    expect(next.archive.recordsChanged).toBe(false);
    expect(next.issues).toEqual([]);
    expect(next.feeds?.rendered).toBe(true);
    expect(next.feeds?.published).toBe(true);
    // The feeds, the RFC 5005 document of the story's month, and the pages of what changed:
    // the story's page, its month, the front page.
    expect([...(next.feeds?.written ?? [])].sort()).toEqual(
      [
        ...FEEDS,
        ...FEEDS.map((f) => `archive/2026/11/${f}`),
        'archive/2026/11/index.html',
        'articles/story-one.html',
        'index.html',
      ].sort(),
    );
    expect(p.read('out/atom.xml')).toContain('The second version of the body, corrected.');
    expect(p.read('out/rss.xml')).toContain('The second version of the body, corrected.');
    expect(p.read('out/feed.json')).toContain('The second version of the body, corrected.');
    expect(Object.keys(folder(out))).toEqual(PUBLISHED);

    // And then nothing is left to do.
    const idle = await runOnce(p.context(new Date('2026-11-25T11:00:00Z')), { dryRun: false });
    expect(idle.feeds?.rendered).toBe(false);
    expect(idle.written).toEqual([]);
  });

  it('a refused first publication creates no out/ files at all', async () => {
    const p = makeProject();
    p.write('story.txt', STORY_V1);
    const r = await runOnce(breakingAtom(p, new Date('2026-11-25T08:00:00Z')), { dryRun: false });
    expect(r.feeds?.published).toBe(false);
    expect(r.issues.map((i) => i.code)).toContain('XML_ILLEGAL_CHARACTER');
    const out = join(p.dir, 'out');
    expect(existsSync(out) ? readdirSync(out) : []).toEqual([]);
  });
});

describe('publishFiles', () => {
  const setup = (): { out: string; staging: string } => {
    const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-publish-'));
    return { out: join(dir, 'out'), staging: join(dir, 'state', 'staging') };
  };
  const PAST = new Date('2020-01-01T00:00:00Z');

  it('writes new files, then skips byte-identical ones and keeps their mtime', () => {
    const { out, staging } = setup();
    const first = publishFiles(
      out,
      staging,
      new Map([
        ['a.xml', '<a>1</a>\n'],
        ['b.xml', '<b>1</b>\n'],
      ]),
    );
    expect(first).toMatchObject({ written: ['a.xml', 'b.xml'], unchanged: [] });
    // The digests of the proven bytes: the publish state records them (sha256 is the ETag).
    expect(first.files['a.xml']).toEqual({
      size: 9,
      sha256: createHash('sha256').update('<a>1</a>\n').digest('hex'),
    });
    for (const name of ['a.xml', 'b.xml']) utimesSync(join(out, name), PAST, PAST);
    const before = folder(out);

    const second = publishFiles(
      out,
      staging,
      new Map([
        ['a.xml', '<a>1</a>\n'],
        ['b.xml', '<b>2 – ăîș 👩‍💻</b>\n'],
      ]),
    );
    expect(second).toMatchObject({ written: ['b.xml'], unchanged: ['a.xml'] });
    const after = folder(out);
    expect(after['a.xml']).toEqual(before['a.xml']);
    expect(after['a.xml']?.mtimeMs).toBe(PAST.getTime());
    expect(readFileSync(join(out, 'b.xml'), 'utf8')).toBe('<b>2 – ăîș 👩‍💻</b>\n');
    expect(after['b.xml']?.mtimeMs).toBeGreaterThan(PAST.getTime());
    // Replaced by rename (a new inode), never rewritten in place.
    expect(after['b.xml']?.ino).not.toBe(before['b.xml']?.ino);
    expect(Object.keys(after)).toEqual(['a.xml', 'b.xml']);
    expect(existsSync(staging)).toBe(false);

    const third = publishFiles(
      out,
      staging,
      new Map([
        ['a.xml', '<a>1</a>\n'],
        ['b.xml', '<b>2 – ăîș 👩‍💻</b>\n'],
      ]),
    );
    expect(third).toMatchObject({ written: [], unchanged: ['a.xml', 'b.xml'] });
    expect(folder(out)).toEqual(after);
    expect(existsSync(staging)).toBe(false);
  });

  it('a reader holding the old file still reads the old bytes, whole', () => {
    const { out, staging } = setup();
    publishFiles(out, staging, new Map([['feed.xml', 'old bytes\n']]));
    const fd = openSync(join(out, 'feed.xml'), 'r');
    try {
      publishFiles(out, staging, new Map([['feed.xml', 'new bytes, longer than before\n']]));
      const buf = Buffer.alloc(64);
      const n = readSync(fd, buf, 0, 64, 0);
      expect(buf.subarray(0, n).toString('utf8')).toBe('old bytes\n');
    } finally {
      closeSync(fd);
    }
    expect(readFileSync(join(out, 'feed.xml'), 'utf8')).toBe('new bytes, longer than before\n');
  });

  it('clears a staging folder left by a killed run and leaves no temp file in out/', () => {
    const { out, staging } = setup();
    mkdirSync(staging, { recursive: true });
    writeFileSync(join(staging, 'rss.xml'), 'half-written by a killed run');
    writeFileSync(join(staging, '.rss.xml.tmp-99999'), 'junk');
    const r = publishFiles(out, staging, new Map([['rss.xml', '<rss/>\n']]));
    expect(r.written).toEqual(['rss.xml']);
    expect(readdirSync(out)).toEqual(['rss.xml']);
    expect(readFileSync(join(out, 'rss.xml'), 'utf8')).toBe('<rss/>\n');
    expect(existsSync(staging)).toBe(false);
  });
});
