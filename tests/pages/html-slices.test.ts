import { describe, expect, it } from 'vitest';
import type { Block } from '../../src/model/record.js';
import { renderArticlePage } from '../../src/render/article-page.js';
import { validateHtml } from '../../src/validate/html-validator.js';
import { FILE, record, site } from './page-fixtures.js';

/**
 * html-validate is worse than linear on a long page: an article of 20,000 short paragraphs
 * (320 KB, under the 1 MB limit) held the build for minutes. The body is validated in slices
 * of paragraphs, as a month page's list is; a fault in any slice is still found, at its line.
 */
describe('a long article page is validated in slices', () => {
  const body: Block[] = Array.from({ length: 450 }, (_, i) =>
    i % 50 === 0
      ? { type: 'heading', text: `Partea ${i / 50 + 1}` }
      : { type: 'paragraph', text: `Paragraful ${i}.` },
  );
  const page = renderArticlePage(site, { ...record, body }, FILE);

  it('passes when every slice is valid', () => {
    expect(page.split('\n').filter((l) => l.startsWith('<p>Paragraful')).length).toBe(441);
    expect(validateHtml(page)).toEqual([]);
  });

  it('finds a fault in the fourth slice, at its line in the page', () => {
    const lines = page.split('\n');
    const at = lines.indexOf('<p>Paragraful 333.</p>');
    expect(at).toBeGreaterThan(0);
    lines[at] = '<p id="x" id="y">Paragraful 333.</p>';
    const problems = validateHtml(lines.join('\n'));
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.map((p) => p.line)).toContain(at + 1);
  });

  it("and its representative (the gate's fast path) keeps every kind of block", () => {
    const lines = page.split('\n');
    const at = lines.indexOf('<p>Paragraful 333.</p>');
    // An item of a new shape is kept in the cut page: its fault is found.
    lines[at] = '<p id="x" id="y">Paragraful 333.</p>';
    expect(validateHtml(lines.join('\n'), { representative: true }).length).toBeGreaterThan(0);
  });
});
