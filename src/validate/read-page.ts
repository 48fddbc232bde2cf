import type { DefaultTreeAdapterTypes as T } from 'parse5';
import { parseDocument } from './parse-html.js';

/**
 * A page read back as a browser reads it (parse5: the WHATWG algorithm), into the facts the
 * verifier compares with the records: no regular expression over the HTML. Pure.
 */
export interface PageElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  /** textContent. */
  readonly text: string;
  /** Names of the ancestors, outermost first, with their class (`div.body`). */
  readonly path: readonly string[];
}

export interface ReadPage {
  readonly lang: string | null;
  readonly elements: readonly PageElement[];
}

export function readPage(html: string): ReadPage {
  const doc = parseDocument(html);
  const elements: PageElement[] = [];
  let lang: string | null = null;
  const walk = (nodes: readonly T.ChildNode[], path: readonly string[]): void => {
    for (const node of nodes) {
      if (!('tagName' in node)) continue;
      const el = node as T.Element;
      const attrs = new Map(el.attrs.map((a) => [a.name, a.value]));
      if (el.tagName === 'html') lang = attrs.get('lang') ?? null;
      elements.push({ name: el.tagName, attrs, text: textOf(el), path });
      const cls = attrs.get('class');
      const kids =
        el.tagName === 'template' ? (el as T.Template).content.childNodes : el.childNodes;
      walk(kids, [...path, cls === undefined ? el.tagName : `${el.tagName}.${cls}`]);
    }
  };
  walk(doc.childNodes, []);
  return { lang, elements };
}

function textOf(node: T.ParentNode): string {
  let s = '';
  for (const c of node.childNodes) {
    if (c.nodeName === '#text') s += (c as T.TextNode).value;
    else if ('childNodes' in c) s += textOf(c as T.ParentNode);
  }
  return s;
}

/** The elements named `name` (and, when given, with that class), in document order. */
export const all = (p: ReadPage, name: string, cls?: string): PageElement[] =>
  p.elements.filter(
    (e) =>
      e.name === name &&
      (cls === undefined || (e.attrs.get('class') ?? '').split(' ').includes(cls)),
  );

/** Whether `e` lies inside an element written `name.class` (or `name`). */
export const inside = (e: PageElement, container: string): boolean =>
  e.path.some((p) => p === container || p.startsWith(`${container} `));
