import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { makeProject, type Project } from '../helpers.js';

const at = (iso: string): Date => new Date(iso);
const T1 = at('2026-11-25T08:00:00Z');
const T2 = at('2026-11-26T09:30:00Z');

const story = (title: string, paragraphs: string[]): string =>
  `${title} | Lume\n\n${paragraphs.join('\n\n')}\n\nSursa: www.example.com\n`;
const A = story('Ploi abundente în sudul țării', [
  'Meteorologii au emis o avertizare de ploi abundente pentru mai multe județe din sud, valabilă până mâine seară.',
  'Autoritățile locale au pregătit echipe de intervenție și recomandă prudență șoferilor.',
]);

function record(p: Project, rel: string): ArchiveRecord {
  return JSON.parse(p.read(join('archive/records', rel))) as ArchiveRecord;
}

describe('identity over time', () => {
  it('mints id, slug and publishedAt once; an edit makes a revision that keeps the earlier version in full', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    const first = await archiveArticles(p.context(T1), { dryRun: false });
    expect(first.summary.added).toHaveLength(1);
    const rel = first.summary.added[0] ?? '';
    expect(rel).toBe('2026/11/ploi-abundente-in-sudul-tarii.json');
    const v1 = record(p, rel);
    expect(v1.id).toBe('tag:news.example.org,2026-11-25:ploi-abundente-in-sudul-tarii');
    expect(v1.publishedAt).toBe('2026-11-25T08:00:00Z');
    expect(v1.updatedAt).toBe('2026-11-25T08:00:00Z');

    p.write('ploi.txt', A.replace('mâine seară', 'joi dimineață'), 30);
    const second = await archiveArticles(p.context(T2), { dryRun: false });
    expect(second.summary.revised).toEqual([rel]);
    const v2 = record(p, rel);
    expect(v2.id).toBe(v1.id);
    expect(v2.slug).toBe(v1.slug);
    expect(v2.publishedAt).toBe(v1.publishedAt);
    expect(v2.updatedAt).toBe('2026-11-26T09:30:00Z');
    expect(v2.summary).toContain('joi dimineață');
    expect(v2.revisions).toHaveLength(1);
    const kept = v2.revisions[0];
    expect(kept?.summary).toBe(v1.summary);
    expect(kept?.body).toEqual(v1.body);
    expect(kept?.updatedAt).toBe(v1.updatedAt);
    expect(kept?.input).toEqual(v1.input);
  });

  it('a change to the bytes that readers do not see (line ends) updates input only: no revision, same updatedAt', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    const first = await archiveArticles(p.context(T1), { dryRun: false });
    const rel = first.summary.added[0] ?? '';
    p.write('ploi.txt', A.replace(/\n/g, '\r\n'), 30);
    const second = await archiveArticles(p.context(T2), { dryRun: false });
    expect(second.summary.revised).toEqual([]);
    const r = record(p, rel);
    expect(r.revisions).toHaveLength(0);
    expect(r.updatedAt).toBe('2026-11-25T08:00:00Z');
    expect(r.input.bytes).toBe(Buffer.byteLength(A.replace(/\n/g, '\r\n')));
  });

  it('the same content stored twice under another name gives one record and a reported duplicate', async () => {
    const p = makeProject();
    p.write('a.txt', A);
    p.write('b-copy.txt', `\uFEFF${A.replace(/\n/g, '\r\n')}`);
    const r = await archiveArticles(p.context(T1), { dryRun: false });
    expect(r.summary.added).toHaveLength(1);
    expect(r.summary.duplicates).toBe(1);
    const dup = r.issues.find((i) => i.code === 'ARTICLE_DUPLICATE');
    expect(dup?.file).toBe('archive/articles/b-copy.txt');
    expect(dup?.message).toContain('archive/articles/a.txt');
    expect(dup?.hint).not.toBe('');
  });

  it('two different articles with the same title get two records with distinct slugs and ids', async () => {
    const p = makeProject();
    p.write('one.txt', A);
    p.write(
      'two.txt',
      story('Ploi abundente în sudul țării', [
        'Un alt text, despre altă zi, cu alte detalii despre vreme și drumuri.',
      ]),
    );
    const r = await archiveArticles(p.context(T1), { dryRun: false });
    expect(r.summary.added.sort()).toEqual([
      '2026/11/ploi-abundente-in-sudul-tarii-2.json',
      '2026/11/ploi-abundente-in-sudul-tarii.json',
    ]);
    const ids = r.summary.added.map((rel) => record(p, rel).id);
    expect(new Set(ids).size).toBe(2);
  });

  it('a moved stored article keeps its record (no new id); a deleted one is withdrawn, kept, and restored when it returns', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    const first = await archiveArticles(p.context(T1), { dryRun: false });
    const rel = first.summary.added[0] ?? '';

    renameSync(join(p.articles, 'ploi.txt'), join(p.articles, 'renamed.txt'));
    const moved = await archiveArticles(p.context(T2), { dryRun: false });
    expect(moved.summary.added).toEqual([]);
    expect(moved.summary.withdrawn).toEqual([]);
    expect(record(p, rel).input.path).toBe('archive/articles/renamed.txt');
    expect(record(p, rel).withdrawnAt).toBeNull();

    rmSync(join(p.articles, 'renamed.txt'));
    const gone = await archiveArticles(p.context(T2), { dryRun: false });
    expect(gone.summary.withdrawn).toEqual([rel]);
    expect(record(p, rel).withdrawnAt).toBe('2026-11-26T09:30:00Z');
    expect(record(p, rel).body.length).toBeGreaterThan(0);

    p.write('back.txt', A);
    const back = await archiveArticles(p.context(T2), { dryRun: false });
    expect(back.summary.added).toEqual([]);
    expect(record(p, rel).withdrawnAt).toBeNull();
    expect(record(p, rel).id).toBe('tag:news.example.org,2026-11-25:ploi-abundente-in-sudul-tarii');
  });

  it('front matter date and id win, and a later front matter date change does not move publishedAt', async () => {
    const p = makeProject();
    p.write(
      'fm.txt',
      `---\ndate: 2024-03-01T10:15:30+02:00\nid: tag:example.com,2024:ploi\n---\n${A}`,
    );
    const first = await archiveArticles(p.context(T1), { dryRun: false });
    const rel = first.summary.added[0] ?? '';
    expect(rel).toBe('2024/03/ploi-abundente-in-sudul-tarii.json');
    expect(record(p, rel).publishedAt).toBe('2024-03-01T08:15:30Z');
    expect(record(p, rel).id).toBe('tag:example.com,2024:ploi');

    p.write('fm.txt', `---\ndate: 2025-01-01\nid: tag:example.com,2024:ploi\n---\n${A}`, 30);
    await archiveArticles(p.context(T2), { dryRun: false });
    expect(record(p, rel).publishedAt).toBe('2024-03-01T08:15:30Z');
  });
});

describe('records read back', () => {
  it('a corrupted record is reported with its path, never overwritten, and the run goes on', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    p.write(
      'other.txt',
      story('Alt subiect', [
        'Un paragraf cu destule cuvinte ca să fie un articol adevărat despre altceva.',
      ]),
    );
    const first = await archiveArticles(p.context(T1), { dryRun: false });
    const rel = '2026/11/ploi-abundente-in-sudul-tarii.json';
    expect(first.summary.added).toContain(rel);
    const abs = join(p.dir, 'archive/records', rel);
    writeFileSync(abs, '{"schemaVersion": 1, "id": 42');
    p.write('ploi.txt', A.replace('mâine seară', 'vineri'), 30);
    p.write(
      'new.txt',
      story('Articol nou', ['Un articol nou apare în aceeași rulare și trebuie arhivat normal.']),
      30,
    );
    const second = await archiveArticles(p.context(T2), { dryRun: false });
    const corrupt = second.issues.find((i) => i.code === 'RECORD_CORRUPT');
    expect(corrupt?.file).toBe(join('archive/records', rel));
    expect(readFileSync(abs, 'utf8')).toBe('{"schemaVersion": 1, "id": 42');
    expect(second.summary.added).toEqual(['2026/11/articol-nou.json']);
  });

  it('a killed run (catalogue left dirty) is recovered from the records: nothing minted twice', async () => {
    const p = makeProject();
    p.write('ploi.txt', A);
    await archiveArticles(p.context(T1), { dryRun: false });
    writeFileSync(join(p.dir, '.feedkeeper/catalogue.dirty'), '123\n');
    writeFileSync(
      join(p.dir, 'archive/records/2026/11/.ploi-abundente-in-sudul-tarii.json.tmp-123'),
      '{"half',
    );
    const again = await archiveArticles(p.context(T2), { dryRun: false });
    expect(again.summary.added).toEqual([]);
    expect(again.summary.unchanged).toBe(1);
    expect(existsSync(join(p.dir, '.feedkeeper/catalogue.dirty'))).toBe(false);
    expect(
      existsSync(
        join(p.dir, 'archive/records/2026/11/.ploi-abundente-in-sudul-tarii.json.tmp-123'),
      ),
    ).toBe(false);
  });
});
