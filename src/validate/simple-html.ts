import type { HtmlNode } from './parse-html.js';

/**
 * A fast path for the gate: the HTML our renderer writes (render/article-html.ts) is a small,
 * regular subset: `<p>` and `<h2>` blocks holding text and `<a href="…">` links, text escaped
 * with five references. For a string wholly inside that subset, the WHATWG parser builds the
 * obvious tree, and this function builds the same tree in one pass, without parse5's per-character
 * tokenizer (which was most of the gate's time on a run that renders).
 *
 * Anything outside the subset returns null and the caller falls back to parse5: another tag or
 * attribute, a tag in an unexpected place (a `<p>` in a `<p>`, a link in a link), any other `&`,
 * a carriage return or NUL (which the parser rewrites), a stray `<`. So a fault that lets markup
 * through is still read as a browser reads it. A property test holds this function to parse5's
 * trees on generated near-subset strings (tests/validate/simple-html.test.ts).
 */
export function parseSimpleHtml(html: string): HtmlNode[] | null {
  const top: HtmlNode[] = [];
  // The open elements, outermost first: at most a block and a link.
  const open: { name: string; attrs: { name: string; value: string }[]; children: HtmlNode[] }[] =
    [];
  let text = '';
  let i = 0;
  const children = (): HtmlNode[] => open.at(-1)?.children ?? top;
  const flush = (): void => {
    if (text !== '') children().push({ kind: 'text', text });
    text = '';
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt === -1 ? html.length : lt;
    const run = decodeText(html, i, end);
    if (run === null) return null;
    text += run;
    if (lt === -1) break;
    const close = html.indexOf('>', lt);
    if (close === -1) return null;
    const tag = html.slice(lt + 1, close);
    const current = open.at(-1)?.name;
    if (tag === 'p' || tag === 'h2') {
      if (current !== undefined) return null;
      flush();
      open.push({ name: tag, attrs: [], children: [] });
    } else if (tag.startsWith('a href="') && tag.endsWith('"')) {
      if (current === 'a') return null;
      const href = decodeText(tag, 8, tag.length - 1, true);
      if (href === null) return null;
      flush();
      open.push({ name: 'a', attrs: [{ name: 'href', value: href }], children: [] });
    } else if (tag === `/${current}`) {
      flush();
      const el = open.pop();
      if (el === undefined) return null;
      children().push({ kind: 'element', ...el });
    } else return null;
    i = close + 1;
  }
  if (open.length > 0) return null;
  flush();
  return top;
}

const REFERENCES: Readonly<Record<string, string>> = {
  '&amp;': '&',
  '&lt;': '<',
  '&gt;': '>',
  '&quot;': '"',
  '&#39;': "'",
};

/**
 * html[from, to) as text, or null if it holds anything the subset does not allow: a CR, NUL or
 * BOM (the parser rewrites or drops them), any `&` but the five references, and in an
 * attribute value a raw `"` (which would end the value).
 */
function decodeText(html: string, from: number, to: number, inAttribute = false): string | null {
  let out = '';
  let i = from;
  while (i < to) {
    const amp = html.indexOf('&', i);
    const stop = amp === -1 || amp >= to ? to : amp;
    const plain = html.slice(i, stop);
    if ((inAttribute ? /[\r\0\uFEFF"]/ : /[\r\0\uFEFF]/).test(plain)) return null;
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
