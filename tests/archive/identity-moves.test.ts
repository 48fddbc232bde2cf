import { cpSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * The identity cases an outside review found lost (issue: identity), through the real archive
 * stage on a real folder: each keeps its id, or the copy takes over, and nothing is re-announced.
 */
const T = (h: number): Date => new Date(Date.UTC(2026, 10, 25, h));
const story = (title: string, words: string): string =>
  `${title} | Lume\n\n${words} Meteorologii au emis o avertizare pentru mai multe județe din sud, valabilă până mâine seară.\n\nAutoritățile locale au pregătit echipe de intervenție și recomandă prudență șoferilor pe drumurile naționale.\n`;
const A = story('Ploi abundente în sudul țării', 'Vremea se strică.');
const A_EDITED = A.replace('până mâine seară', 'până joi dimineață');
const B = story('Ninsori în nordul Moldovei', 'Iarna vine devreme.');

const records = (p: Project): Map<string, ArchiveRecord> => {
  const out = new Map<string, ArchiveRecord>();
  const walk = (dir: string): void => {
    for (const e of readdirSync(join(p.dir, dir), { withFileTypes: true }))
      if (e.name.startsWith('.'))
        continue; // the generation marker
      else if (e.isDirectory()) walk(join(dir, e.name));
      else out.set(join(dir, e.name), JSON.parse(p.read(join(dir, e.name))) as ArchiveRecord);
  };
  walk('archive/records');
  return out;
};
const byInput = (p: Project, path: string): ArchiveRecord | undefined =>
  [...records(p).values()].find((r) => r.input.path === `archive/articles/${path}`);
const run = (p: Project, h: number) => archiveArticles(p.context(T(h)), { dryRun: false });

describe('identity survives what a newsroom does to its files', () => {
  it('a file moved and edited in one step keeps its record (a revision, no -2 slug)', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    await run(p, 8);
    const before = byInput(p, 'ploi.txt')!;
    rmSync(join(p.articles, 'ploi.txt'));
    p.write('2026/ploi-sud.txt', A_EDITED);
    const r = await run(p, 9);
    expect(r.summary).toMatchObject({ added: [], withdrawn: [], revised: [expect.any(String)] });
    expect(records(p).size).toBe(1);
    const after = byInput(p, '2026/ploi-sud.txt')!;
    expect([after.id, after.slug, after.url, after.publishedAt]).toEqual([
      before.id,
      before.slug,
      before.url,
      before.publishedAt,
    ]);
    expect(after.revisions).toHaveLength(1);
    expect(after.withdrawnAt).toBeNull();
  });

  it('a deleted file that comes back edited gets its record back', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    await run(p, 8);
    const before = byInput(p, 'ploi.txt')!;
    rmSync(join(p.articles, 'ploi.txt'));
    expect((await run(p, 9)).summary.withdrawn).toHaveLength(1);
    p.write('ploi.txt', A_EDITED);
    const r = await run(p, 10);
    expect(r.summary.added).toEqual([]);
    expect(records(p).size).toBe(1);
    const after = byInput(p, 'ploi.txt')!;
    expect(after.id).toBe(before.id);
    expect(after.withdrawnAt).toBeNull();
    expect(after.summary).toContain('joi dimineață');
  });

  it('two files that swap names: each record follows its story', async () => {
    const p = makeProject();
    p.write('a.txt', A);
    p.write('b.txt', B);
    await run(p, 8);
    const idA = byInput(p, 'a.txt')!.id;
    const idB = byInput(p, 'b.txt')!.id;
    renameSync(join(p.articles, 'a.txt'), join(p.articles, 'tmp'));
    renameSync(join(p.articles, 'b.txt'), join(p.articles, 'a.txt'));
    renameSync(join(p.articles, 'tmp'), join(p.articles, 'b.txt'));
    const r = await run(p, 9);
    expect(r.summary).toMatchObject({ added: [], revised: [], withdrawn: [] });
    expect(byInput(p, 'a.txt')?.id).toBe(idB);
    expect(byInput(p, 'b.txt')?.id).toBe(idA);
    expect(byInput(p, 'b.txt')?.title).toBe('Ploi abundente în sudul țării');
  });

  it('deleting the original of a duplicate pair: the copy takes over, nothing is withdrawn', async () => {
    const p = makeProject();
    p.write('a.txt', A);
    await run(p, 8);
    const id = byInput(p, 'a.txt')!.id;
    p.write('copy.txt', A);
    const dup = await run(p, 9);
    expect(dup.issues.map((i) => `${i.code} ${i.file}`)).toEqual([
      'ARTICLE_DUPLICATE archive/articles/copy.txt',
    ]);
    rmSync(join(p.articles, 'a.txt'));
    const r = await run(p, 10);
    expect(r.summary).toMatchObject({ added: [], withdrawn: [] });
    expect(r.issues).toEqual([]);
    expect(byInput(p, 'copy.txt')?.id).toBe(id);
    expect(byInput(p, 'copy.txt')?.withdrawnAt).toBeNull();
  });
});

describe('the scan time moves on once a racy file is verified (like git)', () => {
  it('after a copy that sets every mtime to now, the third run reads no article', async () => {
    const src = makeProject();
    for (let i = 0; i < 20; i++)
      src.write(`s${i}.txt`, story(`Știrea ${i} despre vreme`, `Partea ${i}.`));
    const p = makeProject();
    rmSync(p.articles, { recursive: true });
    cpSync(src.articles, p.articles, { recursive: true }); // no preserveTimestamps: mtime is now
    const mtime = statSync(join(p.articles, 's0.txt')).mtimeMs;
    expect(Date.now() - mtime).toBeLessThan(2000); // racy for the first scan
    const first = await archiveArticles(p.context(T(8)), { dryRun: false });
    expect(first.summary.added).toHaveLength(20);
    await new Promise((r) => setTimeout(r, 2100));
    // Second run: the racy files are read again once, found the same, and the scan time moves.
    const second = await archiveArticles(p.context(T(9)), { dryRun: false });
    expect(second.summary).toMatchObject({ added: [], revised: [], unchanged: 20 });
    // Third run: nothing is racy any more; it reads no article and writes nothing.
    const third = await archiveArticles(p.context(T(10)), { dryRun: false });
    expect(third.summary.unchanged).toBe(20);
    expect(third.written).toEqual([]);
    expect(third.recordsLoaded).toBe(false);
  });

  it('a rejected article is reported on every run, racy re-reads included', async () => {
    const p = makeProject();
    p.write('empty.txt', '', 0);
    for (let h = 8; h <= 10; h++) {
      const r = await run(p, h);
      expect(
        r.issues.map((i) => `${i.code} ${i.file}`),
        `run at ${h}h`,
      ).toEqual(['ARTICLE_EMPTY archive/articles/empty.txt']);
      expect(r.summary.rejected).toBe(1);
    }
  });
});
