import { copyFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import { feedIds, jsonOf, makeProject, recordsOf, type Project } from '../helpers.js';

/**
 * A date in a file name declares the article's publication date (Jekyll's naming). Found by the
 * outside try: renaming a published undated `story.md` to `2026-10-15-story.md` withdrew its
 * record and minted another (new id, `-2` URL): subscribers saw the story twice. The record now
 * knows its date was only first seen (`publishedFrom`), so the renamed file keeps it, with its
 * id and date, and a warning says the date in the name is not taken.
 */
const STORY = `---\ntitle: Storm hits the coast\n---\nThe storm hit the coast overnight, cutting power to thousands of homes. Crews worked through the morning.\n`;

const build = (p: Project): RunReport => {
  const r = p.cli('build', '--json');
  expect(r.status, r.stderr).toBe(0);
  return jsonOf<RunReport>(r);
};
const records = recordsOf;

describe('a published article renamed to a dated file name', () => {
  it.each([
    ['the catalogue', false],
    ['a catalogue rebuilt from the records', true],
  ])('keeps its record, id and date, says so, and a dated copy is a duplicate (%s)', (_, fresh) => {
    const p = makeProject();
    p.write('storm.md', STORY);
    build(p);
    if (fresh) rmSync(join(p.dir, '.feedkeeper'), { recursive: true });
    const [before] = records(p);
    expect(before?.publishedFrom).toBe('firstSeen');
    const ids = feedIds(p);

    renameSync(join(p.articles, 'storm.md'), join(p.articles, '2026-10-15-storm.md'));
    const renamed = build(p);
    expect(renamed.archive.added).toEqual([]);
    expect(renamed.archive.withdrawn).toEqual([]);
    const kept = renamed.issues.find((i) => i.code === 'DATE_PUBLISHED_KEPT');
    expect(kept?.file).toBe('archive/articles/2026-10-15-storm.md');
    expect(kept?.message).toContain(before?.publishedAt);
    const after = records(p);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({
      id: before?.id,
      publishedAt: before?.publishedAt,
      input: { path: 'archive/articles/2026-10-15-storm.md' },
    });
    expect(feedIds(p)).toEqual(ids);
    expect(p.cli('check').status).toBe(0);

    copyFileSync(join(p.articles, '2026-10-15-storm.md'), join(p.articles, '2026-10-16-copy.md'));
    const copied = build(p);
    expect(copied.archive.added).toEqual([]);
    expect(copied.issues.map((i) => i.code)).toContain('ARTICLE_DUPLICATE');
    expect(feedIds(p)).toEqual(ids);
  });

  it('a dated file replaced by the same text under the next day is another article (a bulletin)', () => {
    const p = makeProject();
    p.write('2026-11-20-closed.md', STORY);
    build(p);
    expect(records(p)[0]?.publishedFrom).toBe('fileName');
    rmSync(join(p.articles, '2026-11-20-closed.md'));
    p.write('2026-11-21-closed.md', STORY);
    const next = build(p);
    expect(next.archive.added).toHaveLength(1);
    expect(next.archive.withdrawn).toHaveLength(1);
    expect(next.issues.map((i) => i.code)).not.toContain('DATE_PUBLISHED_KEPT');
  });

  it('an edited front-matter date of a published article is kept, with a warning', () => {
    const p = makeProject();
    p.write('storm.md', STORY);
    build(p);
    const [before] = records(p);
    p.write('storm.md', STORY.replace('title:', 'date: 2026-10-15\ntitle:'), 30);
    const r = build(p);
    expect(r.issues.find((i) => i.code === 'DATE_PUBLISHED_KEPT')?.hint).toContain(
      `date: ${before?.publishedAt}`,
    );
    expect(records(p)[0]?.publishedAt).toBe(before?.publishedAt);
  });
});

describe('a published article whose front matter declares another id', () => {
  it('keeps its record and id, with a warning, edited or not', () => {
    const p = makeProject();
    const one = 'tag:news.example.org,2026-11-20:storm-one';
    p.write('storm.md', STORY.replace('title:', `id: ${one}\ntitle:`));
    build(p);
    for (const [text, age] of [
      [STORY, 40],
      [STORY.replace('thousands', 'many thousands'), 20],
    ] as const) {
      p.write('storm.md', text.replace('title:', `id: ${one.replace('one', 'two')}\ntitle:`), age);
      const r = build(p);
      expect(r.archive.added).toEqual([]);
      expect(r.issues.find((i) => i.code === 'ARTICLE_ID_KEPT')?.hint).toContain(`id: ${one}`);
      expect(records(p).map((x) => x.id)).toEqual([one]);
      expect(feedIds(p)).toEqual([one]);
    }
  });
});
