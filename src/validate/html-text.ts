/** The five character references our HTML writer uses (render/escape.ts), and nothing else. */
const REFERENCES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * html[from, to) as text, for the gate's fast HTML readers (simple-html.ts for the feeds' HTML,
 * read-page-fast.ts for the pages), or null if it holds anything they leave to parse5: a
 * character `forbidden` matches outside a reference, or any `&` but the five references.
 */
export function decodeText(
  html: string,
  from: number,
  to: number,
  forbidden: RegExp,
): string | null {
  // Searched within [from, to) only: an indexOf('&') over the rest of the page from every text
  // run was quadratic on a long page (a month page of 10,000 articles, 5 MB, took 10 s here).
  const text = from === 0 && to === html.length ? html : html.slice(from, to);
  let out = '';
  let i = 0;
  while (i < text.length) {
    const amp = text.indexOf('&', i);
    const stop = amp === -1 ? text.length : amp;
    const plain = text.slice(i, stop);
    if (forbidden.test(plain)) return null;
    out += plain;
    if (stop === text.length) break;
    const semi = text.indexOf(';', stop);
    const ref = semi === -1 ? undefined : REFERENCES[text.slice(stop, semi + 1)];
    if (ref === undefined) return null;
    out += ref;
    i = semi + 1;
  }
  return out;
}
