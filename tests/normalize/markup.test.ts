import { describe, expect, it } from 'vitest';
import { bodyHtml } from '../../src/render/article-html.js';
import { RO_PARAGRAPH, article, texts } from './normalize-helpers.js';

describe('markup in a stored article', () => {
  it('stays literal text in the record', () => {
    const a = article(
      `<b>Bold</b> & "quotes" | Section\n\n${RO_PARAGRAPH}\n\n<script>alert(1)</script>\n\nA <i>doua</i> frază &amp; încă una.`,
    );
    expect(a.title).toBe('<b>Bold</b> & "quotes"');
    expect(a.section).toBe('Section');
    expect(a.body).toEqual([
      { type: 'paragraph', text: RO_PARAGRAPH },
      { type: 'paragraph', text: '<script>alert(1)</script>' },
      { type: 'paragraph', text: 'A <i>doua</i> frază &amp; încă una.' },
    ]);
  });

  it('is escaped by bodyHtml()', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\n<script>alert(1)</script>\n\nO & B\n\n"x" 'y' ]]>`,
    );
    expect(texts(a)).toContain('<script>alert(1)</script>');
    const html = bodyHtml(a.body);
    expect(html).toBe(
      [
        `<p>${RO_PARAGRAPH}</p>`,
        '<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>',
        '<h2>O &amp; B</h2>',
        '<p>&quot;x&quot; &#39;y&#39; ]]&gt;</p>',
      ].join('\n'),
    );
    expect(html).not.toContain('<script');
    expect(html).not.toContain(']]>');
  });
});
