import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHtml } from '../../src/render/article-html.js';
import { parseHtml, parseWithParse5 } from '../../src/validate/parse-html.js';
import { parseSimpleHtml } from '../../src/validate/simple-html.js';

/**
 * The gate's fast path for our own HTML (src/validate/simple-html.ts) must read every string
 * exactly as parse5 does, or step aside (null). FEEDKEEPER_SEED replays another seed.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261129);
const RUNS = 2000;
console.log(`simple-html properties: seed ${SEED} (FEEDKEEPER_SEED to replay)`);

/** Pieces of our subset and of everything near it that a fault could produce. */
const PIECES = [
  '<p>',
  '</p>',
  '<h2>',
  '</h2>',
  '<a href="',
  '">',
  '</a>',
  '<a href="https://x.ro/?a=1&amp;b=2">',
  '<a href="x" title="y">',
  '<a href=x>',
  '<a  href="x">',
  '<A href="x">',
  '<P>',
  '<p >',
  '<h3>',
  '</h3>',
  '<b>',
  '</b>',
  '<br>',
  '<script>',
  '</script>',
  '<!--',
  '-->',
  '<template>',
  '<',
  '>',
  '/',
  '=',
  '"',
  "'",
  '&amp;',
  '&lt;',
  '&gt;',
  '&quot;',
  '&#39;',
  '&',
  ';',
  '&amp',
  '&nbsp;',
  '&#x3C;',
  '&copy',
  '&AMP;',
  '\r',
  '\r\n',
  '\n',
  '\t',
  '\f',
  '\0',
  '\uFEFF',
  '\u00a0',
  ' ',
  'a',
  'ș',
  'ă',
  '\uD800',
  '\uDC00',
  '😀',
  'x',
];
const nearSubset = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((a) => a.join(''));

describe('the fast HTML path', () => {
  it('reads every string as parse5 does, or steps aside', () => {
    let taken = 0;
    fc.assert(
      fc.property(nearSubset, (html) => {
        const fast = parseSimpleHtml(html);
        if (fast !== null) {
          taken++;
          expect(fast).toEqual(parseWithParse5(html));
        }
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // The property must not hold vacuously: many generated strings are in the subset.
    expect(taken).toBeGreaterThan(RUNS / 20);
  });

  it('takes every body the renderer writes, whatever its text', () => {
    const text = fc
      .string({ unit: 'binary', maxLength: 30 })
      .filter((t) => !/[\r\0\uFEFF]/.test(t));
    const block = fc.record({ type: fc.constantFrom('paragraph', 'heading'), text });
    const source = fc.option(
      fc.record({ name: text, url: fc.constantFrom('https://a.ro/x?y=1&z="2"', 'ftp://x', null) }),
    );
    fc.assert(
      fc.property(fc.array(block, { maxLength: 6 }), source, (body, src) => {
        const html = contentHtml(body as never, src as never, 'ro');
        const fast = parseSimpleHtml(html);
        expect(fast).not.toBeNull();
        expect(fast).toEqual(parseWithParse5(html));
      }),
      { seed: SEED, numRuns: 500 },
    );
  });

  it('steps aside for markup outside the subset, so parse5 reads it', () => {
    for (const html of [
      '<p>a<script>x</script></p>',
      '<p>a<p>b</p></p>',
      '<p><a href="x"><a href="y">t</a></a></p>',
      '<p onclick="x">t</p>',
      '<a href="x" onclick="y">t</a>',
      '<p>a &copy b</p>',
      '<p>a\r\nb</p>',
      '<p>a</h2>',
      '<p>unclosed',
      '<p>a < b</p>',
    ])
      expect(parseSimpleHtml(html), html).toBeNull();
    // …and the gate still sees the script.
    expect(JSON.stringify(parseHtml('<p>a<script>x</script></p>'))).toContain('"script"');
  });
});
