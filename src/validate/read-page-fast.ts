import type { PageElement, ReadPage } from './read-page.js';
import { decodeText } from './html-text.js';

/**
 * The gate's fast path for pages (README "How pages are proven"): a strict reader for exactly
 * the markup the page templates write, in one pass, without parse5's per-character tokenizer.
 * It accepts only: `<!DOCTYPE html>`, the elements pages are made of, every element but the two
 * void ones closed explicitly and in order, attributes written `name="value"`, text and values
 * holding no `<`, `>`, `"`, `'` or `&` but the five references the renderer writes, no CR or
 * NUL; `<style>` and `<script>` (raw text) holding no `<`. Anything else returns null, and the
 * caller reads the page with parse5 and html-validate instead, so a fault is reported as a
 * browser would see it.
 *
 * Besides the elements (the same ReadPage parse5's reader gives, tests/pages/read-page-fast.
 * test.ts), it returns the page's shape: its tree with every text and every free attribute
 * value erased (`#` for a text that is not blank), and, where the templates repeat a unit
 * (the body's blocks, a list's items, a paragraph's inline content), the children reduced to
 * the set of distinct shapes, each marked once or many. Two pages of one shape differ only in
 * escaped text and free attribute values, which html-validate's standard rules do not judge;
 * so html-validate runs once per shape and run (validate/page-proof.ts).
 */
export interface FastPage {
  readonly page: ReadPage;
  readonly shape: string;
}

const ELEMENTS = new Set(
  'html head body meta title link style script header main footer article section nav ul ol li p a h1 h2 div span time'.split(
    ' ',
  ),
);
const VOID = new Set(['meta', 'link']);
const RAW = new Set(['style', 'script']);
/** Attribute values that are part of the template (kept in the shape). */
const FIXED = new Set(['rel', 'type', 'charset', 'name', 'property', 'class']);
/** Elements whose children repeat in any order and number: reduced to a set in the shape. */
const REPEATING = new Set(['div', 'ol', 'ul', 'li', 'p', 'span', 'a', 'time', 'h1', 'h2']);

interface Open {
  readonly name: string;
  readonly attrs: Map<string, string>;
  readonly path: readonly string[];
  readonly index: number;
  text: string;
  readonly kids: string[];
}

const DOCTYPE = '<!DOCTYPE html>\n';

export function readPageFast(html: string): FastPage | null {
  if (!html.startsWith(DOCTYPE) || /[\r\0]/.test(html)) return null;
  const elements: { name: string; attrs: Map<string, string>; text: string; path: string[] }[] = [];
  const stack: Open[] = [];
  let rootShape: string | null = null;
  let lang: string | null = null;
  let i = DOCTYPE.length;
  // Text after </body> belongs to body, as the WHATWG parser puts it ("after body" mode).
  let bodyIndex = -1;
  let afterBody = '';
  const addText = (t: string): boolean => {
    if (t === '') return true;
    const top = stack.at(-1);
    if (top === undefined) {
      if (/[^\n ]/.test(t)) return false;
      if (bodyIndex >= 0) afterBody += t;
      return true;
    }
    // Blank text between </head> and <body> and before <head> is where parse5 puts it: not
    // in any element we compare; html's own text is ignored.
    for (const o of stack) o.text += t;
    if (/[^\s]/.test(t)) top.kids.push('#');
    return true;
  };
  while (i < html.length) {
    const lt = html.indexOf('<', i);
    const end = lt < 0 ? html.length : lt;
    const text = decodeText(html, i, end, FORBIDS);
    if (text === null || !addText(text)) return null;
    if (lt < 0) break;
    const close = html.indexOf('>', lt);
    if (close < 0) return null;
    const tag = html.slice(lt + 1, close);
    i = close + 1;
    if (tag.startsWith('/')) {
      const top = stack.pop();
      if (top === undefined || tag !== `/${top.name}`) return null;
      const shape = shapeOf(top);
      const el = elements[top.index];
      if (el) el.text = top.text;
      if (top.name === 'body') bodyIndex = top.index;
      const parent = stack.at(-1);
      if (parent) parent.kids.push(shape);
      else rootShape = shape;
      continue;
    }
    const m = /^([a-z][a-z0-9]*)((?: [a-z:-]+="[^"<>]*")*)$/.exec(tag);
    if (m === null) return null;
    const name = m[1] as string;
    if (!ELEMENTS.has(name)) return null;
    if ((stack.length === 0) !== (name === 'html') || rootShape !== null) return null;
    const attrs = new Map<string, string>();
    for (const a of (m[2] ?? '').matchAll(/ ([a-z:-]+)="([^"<>]*)"/g)) {
      const value = decodeText(a[2] as string, 0, (a[2] as string).length, FORBIDS);
      if (value === null || attrs.has(a[1] as string)) return null;
      attrs.set(a[1] as string, value);
    }
    if (name === 'html') lang = attrs.get('lang') ?? null;
    const parentPath = stack.at(-1)?.path ?? [];
    const cls = attrs.get('class');
    const own = cls === undefined ? name : `${name}.${cls}`;
    elements.push({ name, attrs, text: '', path: [...parentPath] });
    const open: Open = {
      name,
      attrs,
      path: [...parentPath, own],
      index: elements.length - 1,
      text: '',
      kids: [],
    };
    if (VOID.has(name)) {
      stack.at(-1)?.kids.push(shapeOf(open));
      continue;
    }
    if (RAW.has(name)) {
      const endTag = html.indexOf(`</${name}>`, i);
      if (endTag < 0) return null;
      const raw = html.slice(i, endTag);
      if (raw.includes('<')) return null;
      for (const o of stack) o.text += raw;
      open.text = raw;
      (elements[open.index] as { text: string }).text = raw;
      stack.at(-1)?.kids.push(shapeOf(open));
      i = endTag + name.length + 3;
      continue;
    }
    stack.push(open);
  }
  if (stack.length > 0 || rootShape === null) return null;
  if (bodyIndex >= 0 && afterBody !== '') {
    const body = elements[bodyIndex];
    if (body) body.text += afterBody;
    const htmlEl = elements[0];
    if (htmlEl) htmlEl.text += afterBody;
  }
  const out: PageElement[] = elements;
  return { page: { lang, elements: out }, shape: rootShape };
}

function shapeOf(o: Open): string {
  const attrs = [...o.attrs]
    .map(([k, v]) => (FIXED.has(k) ? ` ${k}="${v}"` : ` ${k}`))
    .sort()
    .join('');
  let kids: string[];
  if (REPEATING.has(o.name)) {
    const count = new Map<string, number>();
    for (const k of o.kids) count.set(k, (count.get(k) ?? 0) + 1);
    kids = [...count].map(([k, n]) => (n > 1 ? `${k}*` : k)).sort();
  } else {
    // Order kept; a run of one shape is written once, marked when it repeats.
    kids = [];
    o.kids.forEach((k, j) => {
      if (k === o.kids[j - 1]) {
        if (!kids[kids.length - 1]?.endsWith('*')) kids[kids.length - 1] = `${k}*`;
      } else kids.push(k);
    });
  }
  return `<${o.name}${attrs}>${kids.join('')}</${o.name}>`;
}

/**
 * Outside a reference, our writer never leaves `>`, `"` or `'` raw (render/escape.ts), and a CR,
 * NUL or BOM is what parse5 rewrites: text holding one is left to parse5.
 */
const FORBIDS = /[>"'\r\0\uFEFF]/;
