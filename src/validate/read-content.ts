import { textContent, type HtmlNode } from './parse-html.js';

/**
 * What a reader sees in an HTML payload, and the rules it must follow.
 *
 * Reading: the top-level blocks (`<p>` a paragraph, `<h2>` a heading) with their texts, and
 * every link. Anything else at the top level is a block of its own kind, so that it shows up
 * as a difference from the records.
 *
 * Rules: only the elements we generate. A feed reader sanitizes what it shows, but each one
 * differently (some let `style` or `iframe` through): what we publish must not depend on that.
 */
export interface Block {
  readonly type: string;
  readonly text: string;
}

export interface Link {
  readonly href: string;
  readonly text: string;
}

export function readBlocks(nodes: readonly HtmlNode[]): Block[] {
  const blocks: Block[] = [];
  for (const n of nodes) {
    if (n.kind === 'text') {
      if (n.text.trim() !== '') blocks.push({ type: 'text', text: n.text });
    } else if (n.kind === 'element') {
      const type = n.name === 'p' ? 'paragraph' : n.name === 'h2' ? 'heading' : n.name;
      blocks.push({ type, text: textContent(n.children) });
    } else blocks.push({ type: n.name, text: '' });
  }
  return blocks;
}

export function readLinks(nodes: readonly HtmlNode[]): Link[] {
  return nodes.flatMap((n) =>
    n.kind !== 'element'
      ? []
      : n.name === 'a'
        ? [
            {
              href: n.attrs.find((a) => a.name === 'href')?.value ?? '',
              text: textContent(n.children),
            },
          ]
        : readLinks(n.children),
  );
}

/** The elements our HTML may hold, each with the attributes it may carry. */
export const CONTENT_ELEMENTS: Readonly<Record<string, readonly string[]>> = {
  p: [],
  h2: [],
  a: ['href'],
};

/** A summary in RSS is HTML by convention, but ours is plain text: no element at all. */
export const SUMMARY_ELEMENTS: Readonly<Record<string, readonly string[]>> = {};

export interface HtmlProblem {
  readonly code: 'HTML_ELEMENT' | 'HTML_ATTRIBUTE' | 'HTML_URL';
  readonly message: string;
}

/** Every element, attribute and link target that our HTML must not hold. */
export function htmlProblems(
  nodes: readonly HtmlNode[],
  allowed: Readonly<Record<string, readonly string[]>>,
): HtmlProblem[] {
  return nodes.flatMap((n): HtmlProblem[] => {
    if (n.kind === 'other')
      return n.name === '#comment'
        ? [{ code: 'HTML_ELEMENT', message: 'holds an HTML comment.' }]
        : [];
    if (n.kind === 'text') return [];
    const attrs = allowed[n.name];
    if (attrs === undefined)
      return [
        { code: 'HTML_ELEMENT', message: `holds a <${n.name}> element, which we never write.` },
        ...htmlProblems(n.children, allowed),
      ];
    const own = n.attrs.flatMap((a): HtmlProblem[] => {
      if (!attrs.includes(a.name))
        return [
          {
            code: 'HTML_ATTRIBUTE',
            message: `holds <${n.name} ${a.name}="…">${a.name.startsWith('on') ? ', an event handler that runs script' : ''}.`,
          },
        ];
      if (a.name === 'href' && !/^https?:\/\//i.test(a.value.trim()))
        return [
          {
            code: 'HTML_URL',
            message: `links to ${JSON.stringify(a.value.slice(0, 80))}, not an http(s) URL.`,
          },
        ];
      return [];
    });
    return [...own, ...htmlProblems(n.children, allowed)];
  });
}
