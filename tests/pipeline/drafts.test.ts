import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject } from '../helpers.js';

/** Drafts (pipeline/drafts.ts): `draft: true` is not archived, gets no id, never appears. */
const at = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));
const article = (draft: string): string =>
  `---\n${draft}language: ro\n---\nCiornă | Lume\n\nPrimul paragraf al ciornei.\n\nAl doilea paragraf.\n`;
const FEEDS = ['rss.xml', 'atom.xml', 'feed.json'];

describe('a draft', () => {
  it('is reported, not archived and not listed, on every run; published (as new) when the flag goes', async () => {
    const p = makeProject();
    p.write('a.txt', 'Alfa | Lume\n\nPrimul paragraf al știrii Alfa.\n\nAl doilea paragraf.\n');
    p.write('draft.txt', article('draft: true\n'));
    const first = await runOnce(p.context(at(8)), { dryRun: false });
    expect(first.archive).toMatchObject({
      added: ['2026/11/alfa.json'],
      drafts: ['archive/articles/draft.txt'],
      duplicates: 0,
      rejected: 0,
    });
    expect(first.issues).toEqual([
      expect.objectContaining({
        code: 'ARTICLE_DRAFT',
        severity: 'warning',
        file: 'archive/articles/draft.txt',
      }),
    ]);
    for (const f of FEEDS) expect(p.read(`out/${f}`)).not.toContain('Ciorn');
    expect(existsSync(join(p.dir, 'archive/records/2026/11/ciorna.json'))).toBe(false);

    const again = await runOnce(p.context(at(9)), { dryRun: false });
    expect(again.archive.drafts).toEqual(['archive/articles/draft.txt']);
    expect(again.issues.map((i) => i.code)).toEqual(['ARTICLE_DRAFT']);

    // `draft: false` is not a draft; the record is minted now, at its first archive.
    p.write('draft.txt', article('draft: false\n'));
    const ready = await runOnce(p.context(at(10)), { dryRun: false });
    expect(ready.issues).toEqual([]);
    expect(ready.archive).toMatchObject({ added: ['2026/11/ciorna.json'], drafts: [] });
    expect(ready.archive.dated).toEqual([
      {
        record: '2026/11/ciorna.json',
        publishedAt: '2026-11-25T10:00:00Z',
        publishedFrom: 'firstSeen',
        updatedAt: '2026-11-25T10:00:00Z',
        updatedFrom: 'firstSeen',
      },
    ]);
    for (const f of FEEDS)
      expect(p.read(`out/${f}`)).toContain('tag:news.example.org,2026-11-25:ciorna');
  });

  it('made of a published article takes it out of the feeds; the flag gone, it is back with its id', async () => {
    const p = makeProject();
    p.write('story.txt', article(''));
    await runOnce(p.context(at(8)), { dryRun: false });
    const rel = 'archive/records/2026/11/ciorna.json';
    const id = (JSON.parse(p.read(rel)) as ArchiveRecord).id;

    p.write('story.txt', article('draft: true\n'));
    const drafted = await runOnce(p.context(at(9)), { dryRun: false });
    expect(drafted.archive).toMatchObject({
      withdrawn: ['2026/11/ciorna.json'],
      drafts: ['archive/articles/story.txt'],
    });
    expect(drafted.feeds).toMatchObject({ published: true, entries: 0 });
    for (const f of FEEDS) expect(p.read(`out/${f}`)).not.toContain(id);

    p.write('story.txt', article(''));
    const back = await runOnce(p.context(at(10)), { dryRun: false });
    expect(back.issues).toEqual([]);
    expect(back.archive.added).toEqual([]);
    expect(back.feeds).toMatchObject({ published: true, entries: 1 });
    const r = JSON.parse(p.read(rel)) as ArchiveRecord;
    expect(r).toMatchObject({ id, publishedAt: '2026-11-25T08:00:00Z', withdrawnAt: null });
    for (const f of FEEDS) expect(p.read(`out/${f}`)).toContain(id);
    expect(readdirSync(join(p.dir, 'archive/records/2026/11'))).toEqual(['ciorna.json']);
  });

  it('with a draft value that is not true or false is refused (FRONT_MATTER_INVALID)', async () => {
    const p = makeProject();
    p.write('x.txt', article('draft: maybe\n'));
    const r = await runOnce(p.context(at(8)), { dryRun: false });
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'FRONT_MATTER_INVALID',
        message: expect.stringContaining('"draft": expected true or false'),
      }),
    ]);
  });
});
