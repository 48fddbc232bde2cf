import { describe, expect, it } from 'vitest';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, recordsOf } from '../helpers.js';

/**
 * A front-matter url naming `articles/<slug>.html` keeps that page from an article minted in the
 * same run (attackA #4), whatever the run's size: a run of more than 64 new articles mints each
 * as it is read (pipeline/archive-articles.ts), and an article read before the url, in path
 * order, took the file (the url's record got PAGE_URL_UNUSABLE, its feed link the other story).
 */
const BODY = 'Corpul articolului, destul de lung pentru o pagină întreagă.';
const ME = 'https://news.example.org';

describe('a front-matter url later in path order than the article whose slug it names', () => {
  it.each([3, 70])('keeps its page in a run of %i new articles', async (n) => {
    const p = makeProject();
    p.write('a-mare.txt', `Mare\n\n${BODY} Mare.\n`);
    for (let i = 0; i < n - 2; i++)
      p.write(`f${String(i).padStart(3, '0')}.txt`, `Știrea ${i}\n\n${BODY} Numărul ${i}.\n`);
    p.write(
      'z-other.md',
      `---\ntitle: Alt titlu\nurl: ${ME}/articles/mare.html\n---\n${BODY} Alt.\n`,
    );
    const r = await runOnce(p.context(), { dryRun: false });
    expect(r.archive.added).toHaveLength(n);
    expect(r.issues.map((i) => i.code)).not.toContain('PAGE_URL_UNUSABLE');
    const slugs = Object.fromEntries(recordsOf(p).map((x) => [x.title, x.slug]));
    expect(slugs['Mare']).toBe('mare-2');
    const items = (
      JSON.parse(p.read('out/feed.json')) as { items: { title: string; url: string }[] }
    ).items;
    const links = Object.fromEntries(items.map((i) => [i.title, i.url]));
    expect(links['Alt titlu']).toBe(`${ME}/articles/mare.html`);
    expect(links['Mare']).toBe(`${ME}/articles/mare-2.html`);
    expect(p.read('out/articles/mare.html')).toContain('Alt.');
    expect(p.read('out/articles/mare-2.html')).toContain('Mare.');
  });
});
