import { createRequire } from 'node:module';
import type * as Parse5 from 'parse5';
import type { DefaultTreeAdapterTypes as T } from 'parse5';
import { parseSimpleHtml } from './simple-html.js';

/**
 * The adapter for `parse5`: an HTML payload (Atom content, RSS content:encoded and description,
 * JSON Feed content_html) parsed as a browser or a feed reader's sanitizer parses it (the WHATWG
 * algorithm), into a small tree of our own. Reading the HTML like this, not with regular
 * expressions, is what lets the verifier see a heading turned into a paragraph, or a `<script>`
 * that an escaping fault let through.
 */
export type HtmlNode =
  | {
      readonly kind: 'element';
      readonly name: string;
      readonly attrs: readonly { readonly name: string; readonly value: string }[];
      readonly children: readonly HtmlNode[];
    }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'other'; readonly name: string };

export function parseHtml(html: string): readonly HtmlNode[] {
  let tree = recent.get(html);
  if (tree === undefined) {
    tree = parseSimpleHtml(html) ?? parseWithParse5(html);
    if (recent.size >= RECENT) recent.clear();
    recent.set(html, tree);
  }
  return tree;
}

/**
 * parse5 is loaded on first use: the HTML we render takes the fast path (validate/simple-html.ts),
 * so a run whose feeds hold only that HTML never pays for loading the parser (~20 ms of a cron
 * run). Node 20.19 loads an ES module through require() synchronously, as the verifier needs.
 */
let loaded: typeof Parse5 | undefined;
const parse5 = (): typeof Parse5 =>
  (loaded ??= createRequire(import.meta.url)('parse5') as typeof Parse5);

/**
 * A whole page as parse5 reads it (validate/read-page.ts: the slow, exact path for a page the
 * strict reader refuses). Through the same loader: a run whose pages all take the fast path
 * (validate/read-page-fast.ts) does not load parse5 (50 ms here).
 */
export const parseDocument = (html: string): T.Document => parse5().parse(html);

/**
 * The same content HTML is in all three feeds, byte for byte: it is parsed once (the trees are
 * read-only). Parsing was two thirds of the gate's time on a run that renders. Bounded, for a
 * service that runs for months.
 */
const RECENT = 512;
const recent = new Map<string, readonly HtmlNode[]>();

/** parse5 alone, uncached: what the fast path is held to (tests/validate/simple-html.test.ts). */
export const parseWithParse5 = (html: string): HtmlNode[] =>
  parse5().parseFragment(html).childNodes.map(nodeOf);

function nodeOf(node: T.ChildNode): HtmlNode {
  if (node.nodeName === '#text') return { kind: 'text', text: (node as T.TextNode).value };
  if ('tagName' in node) {
    const el = node as T.Element;
    // A <template>'s children live in its content fragment.
    const kids = el.tagName === 'template' ? (el as T.Template).content.childNodes : el.childNodes;
    return {
      kind: 'element',
      name: el.tagName,
      attrs: el.attrs.map((a) => ({ name: a.name, value: a.value })),
      children: kids.map(nodeOf),
    };
  }
  return { kind: 'other', name: node.nodeName };
}

/** The text a reader shows for these nodes (textContent). */
export const textContent = (nodes: readonly HtmlNode[]): string =>
  nodes
    .map((n) => (n.kind === 'text' ? n.text : n.kind === 'element' ? textContent(n.children) : ''))
    .join('');
