import type { HtmlNode } from './parse-html.js';
import { decodeText } from './html-text.js';

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
    const run = decodeText(html, i, end, TEXT_FORBIDS);
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
      const href = decodeText(tag, 8, tag.length - 1, ATTRIBUTE_FORBIDS);
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

/**
 * The parser rewrites or drops a CR, NUL or BOM, and a raw `"` would end an attribute value:
 * text holding one is left to parse5.
 */
const TEXT_FORBIDS = /[\r\0\uFEFF]/;
const ATTRIBUTE_FORBIDS = /[\r\0\uFEFF"]/;
