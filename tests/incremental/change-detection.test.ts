import { existsSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { jsonOf, type Project } from '../helpers.js';
import { articleName, removeProjects, syntheticProject } from '../schedule/process-helpers.js';

afterAll(removeProjects);

interface Report {
  archive: {
    added: string[];
    revised: string[];
    withdrawn: string[];
    unchanged: number;
  };
  feeds: { rendered: boolean; reason: string; entries: number; written: string[] } | null;
  written: string[];
}

const build = (p: Project): Report => {
  const r = p.cli('build', '--json');
  expect(r.status, r.stdout + r.stderr).toBe(0);
  return jsonOf<Report>(r);
};

/** The same length, other words: a size-preserving edit that readers see. */
const sameLengthEdit = (text: string): string => {
  const edited = text.replace('council', 'cabinet').replace('Paragraph 0', 'Paragraph Z');
  expect(edited).not.toBe(text);
  expect(Buffer.byteLength(edited)).toBe(Buffer.byteLength(text));
  return edited;
};

const record = (p: Project, rel: string): Record<string, unknown> =>
  JSON.parse(p.read(join('archive/records', rel))) as Record<string, unknown>;

/** A whole second in the past, so that utimes can set exactly the same mtime again. */
const PAST = Math.floor(Date.now() / 1000) - 3600;

describe('change detection is sound', () => {
  it('an edit in the same second, same size, mtime set back with utimes: ctime gives it away', () => {
    const p = syntheticProject(10);
    const file = join(p.articles, articleName(3));
    utimesSync(file, PAST, PAST);
    const first = build(p);
    expect(first.archive.added).toHaveLength(10);
    const rel = first.archive.added.find((a) => a.includes('report-number-3-'))!;
    const before = statSync(file);

    const text = p.read(join('archive/articles', articleName(3)));
    writeFileSync(file, sameLengthEdit(text));
    utimesSync(file, PAST, PAST);
    const after = statSync(file);
    // The premise: everything but ctime looks the same.
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).toBe(before.ino);

    const second = build(p);
    expect(second.archive.revised).toEqual([rel]);
    expect(second.archive.unchanged).toBe(9);
    expect(record(p, rel)).toMatchObject({ revisions: [expect.anything()] });
    expect(p.read('out/feed.json')).toContain('Paragraph Z of report 3');
    expect(p.cli('check').status).toBe(0);
  });

  it('a file replaced by rename (same size, same mtime): the new inode gives it away', () => {
    const p = syntheticProject(10);
    const file = join(p.articles, articleName(4));
    utimesSync(file, PAST, PAST);
    const first = build(p);
    const rel = first.archive.added.find((a) => a.includes('report-number-4-'))!;
    const before = statSync(file);

    // What editors and sync tools do: write a new file beside it, then rename it over.
    const tmp = join(p.articles, `.${articleName(4)}.swp`);
    writeFileSync(tmp, sameLengthEdit(p.read(join('archive/articles', articleName(4)))));
    utimesSync(tmp, PAST, PAST);
    renameSync(tmp, file);
    const after = statSync(file);
    expect(after.size).toBe(before.size);
    expect(after.mtimeMs).toBe(before.mtimeMs);
    expect(after.ino).not.toBe(before.ino);

    const second = build(p);
    expect(second.archive.revised).toEqual([rel]);
    expect(second.archive.added).toEqual([]);
    expect(p.read('out/atom.xml')).toContain('Paragraph Z of report 4');
  });

  it('a deleted article: its record is withdrawn but kept, and it leaves the feeds', () => {
    const p = syntheticProject(8);
    const first = build(p);
    const rel = first.archive.added.find((a) => a.includes('report-number-7-'))!;
    const id = record(p, rel)['id'] as string;
    for (const f of ['out/rss.xml', 'out/atom.xml', 'out/feed.json'])
      expect(p.read(f)).toContain(id);

    rmSync(join(p.articles, articleName(7)));
    const second = build(p);
    expect(second.archive.withdrawn).toEqual([rel]);
    expect(second.archive.unchanged).toBe(7);
    expect(second.feeds).toMatchObject({ rendered: true, entries: 7 });
    expect(existsSync(join(p.dir, 'archive/records', rel))).toBe(true);
    const kept = record(p, rel);
    expect(kept['withdrawnAt']).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(kept['id']).toBe(id);
    for (const f of ['out/rss.xml', 'out/atom.xml', 'out/feed.json'])
      expect(p.read(f)).not.toContain(id);
    expect(p.cli('check').status).toBe(0);

    // Withdrawn once: the next run has nothing to do.
    const third = build(p);
    expect(third.archive).toMatchObject({ withdrawn: [], revised: [], unchanged: 7 });
    expect(third.written).toEqual([]);
  });
});

describe('a changed configuration re-renders the feeds (and only the feeds)', () => {
  it('a new baseUrl gives new self links; the records are not rewritten', () => {
    const p = syntheticProject(6);
    build(p);
    const raw = JSON.parse(p.read('feedkeeper.config.json'));
    raw.site.baseUrl = 'https://mirror.example.net';
    p.config(raw);
    const r = build(p);
    expect(r.archive).toMatchObject({ added: [], revised: [], unchanged: 6 });
    expect(r.feeds).toMatchObject({
      rendered: true,
      reason: 'the configuration or feedkeeper changed',
    });
    // The feeds, their gzip and brotli copies and hashes (publish/precompress.ts), the state.
    const feeds = ['out/atom.xml', 'out/feed.json', 'out/rss.xml'];
    const articlePages = r.written.filter((w) => w.startsWith('out/articles/'));
    expect([...r.written].filter((w) => !articlePages.includes(w)).sort()).toEqual(
      [
        '.feedkeeper/published.json',
        '.feedkeeper/etags.journal',
        ...feeds,
        ...feeds.flatMap((f) => [`${f}.gz`, `${f}.br`]),
        // RFC 5005: every archive document links the subscription documents by URL.
        '.feedkeeper/history.json',
        'out/archive/2025/01/atom.xml',
        'out/archive/2025/01/atom.xml.gz',
        'out/archive/2025/01/atom.xml.br',
        'out/archive/2025/01/feed.json',
        'out/archive/2025/01/feed.json.gz',
        'out/archive/2025/01/feed.json.br',
        'out/archive/2025/01/rss.xml',
        'out/archive/2025/01/rss.xml.gz',
        'out/archive/2025/01/rss.xml.br',
        // The front page and the month page carry the new autodiscovery links (README "Pages").
        // The records keep the URLs minted under the old baseUrl, now on another host: no
        // article page of ours (the rows say so: the month's group of page rows).
        '.feedkeeper/pages.journal',
        '.feedkeeper/pages/2025-01-0.journal',
        ...['out/index.html', 'out/archive/2025/01/index.html'].flatMap((f) => [
          f,
          `${f}.gz`,
          `${f}.br`,
        ]),
      ].sort(),
    );
    // Their pages at the old addresses are removed, with their copies: no record has them now
    // (render-pages.ts `orphans`), and left there they were never rendered again.
    expect(articlePages).toHaveLength(6 * 3);
    for (const f of articlePages) expect(existsSync(join(p.dir, f)), f).toBe(false);
    expect(p.read('out/atom.xml')).toContain(
      '<link rel="self" href="https://mirror.example.net/atom.xml"/>',
    );
    expect(p.read('out/rss.xml')).toContain('href="https://mirror.example.net/rss.xml" rel="self"');
    expect(JSON.parse(p.read('out/feed.json')).feed_url).toBe(
      'https://mirror.example.net/feed.json',
    );
    for (const f of ['out/rss.xml', 'out/atom.xml', 'out/feed.json'])
      expect(p.read(f)).not.toContain('https://news.example.org/atom.xml');
    expect(p.cli('check').status).toBe(0);
  });

  it('a new feed.size changes the number of entries', () => {
    const p = syntheticProject(12);
    const first = build(p);
    expect(first.feeds?.entries).toBe(12);
    const raw = JSON.parse(p.read('feedkeeper.config.json'));
    p.config({ ...raw, feed: { size: 5 } });
    const r = build(p);
    expect(r.feeds).toMatchObject({ rendered: true, entries: 5 });
    expect(r.archive.unchanged).toBe(12);
    expect(p.read('out/rss.xml').match(/<item>/g)).toHaveLength(5);
    expect(p.read('out/atom.xml').match(/<entry[ >]/g)).toHaveLength(5);
    expect(JSON.parse(p.read('out/feed.json')).items).toHaveLength(5);
    // The newest five, newest first.
    expect(p.read('out/rss.xml')).toContain('Report number 11 ');
    expect(p.read('out/rss.xml')).not.toContain('Report number 6 ');
    expect(p.cli('check').status).toBe(0);
  });
});
