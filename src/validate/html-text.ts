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
  let out = '';
  let i = from;
  while (i < to) {
    const amp = html.indexOf('&', i);
    const stop = amp === -1 || amp >= to ? to : amp;
    const plain = html.slice(i, stop);
    if (forbidden.test(plain)) return null;
    out += plain;
    if (stop === to) break;
    const semi = html.indexOf(';', stop);
    const ref = semi === -1 || semi >= to ? undefined : REFERENCES[html.slice(stop, semi + 1)];
    if (ref === undefined) return null;
    out += ref;
    i = semi + 1;
  }
  return out;
}
