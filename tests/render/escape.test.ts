import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { escapeHtmlText } from '../../src/render/escape.js';
import { parseHtml, textContent } from '../../src/validate/parse-html.js';

/**
 * The RSS channel description is escaped as HTML with as few references as an HTML parser
 * needs (render/feed-adapter.ts): what a reader rendering it shows must be the text itself.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261130);
const shown = (html: string): string => textContent(parseHtml(html));

describe(`escapeHtmlText (fast-check seed ${SEED})`, () => {
  it('is read back by an HTML parser as the text, whatever it holds', () => {
    for (const text of [
      'Știri & analize',
      'AT&T',
      '&copy2026 and &amp; written out',
      '&#38; &#x26;',
      '<b>bold</b> & <script>x</script>',
      'a > b "quoted" \'single\'',
    ])
      expect(shown(escapeHtmlText(text))).toBe(text);
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.constantFrom('&', '<', '>', '"', '#', 'a', 'm', 'p', ';', 'x', '1', ' ', 'ș'),
        }),
        (text) => {
          expect(shown(escapeHtmlText(text))).toBe(text);
        },
      ),
      { seed: SEED, numRuns: 300 },
    );
  });

  it('writes no reference where the text needs none: a lone &, > and quotes stay as they are', () => {
    expect(escapeHtmlText('Știri & analize "bune" > restul')).toBe(
      'Știri & analize "bune" > restul',
    );
    expect(escapeHtmlText('<x> &copy')).toBe('&lt;x> &amp;copy');
  });
});
