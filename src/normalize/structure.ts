import type { Block, Source } from '../model/record.js';
import { collapseWhitespace, unglueBrackets } from './clean-text.js';
import { sourceOf } from './source-line.js';
import { splitTrailer } from './trailer.js';

export { parseSource } from './source-line.js';

/**
 * Paragraph-level structure of an article body (DESIGN.md section 4). Pure. Input is cleaned text
 * without front matter; output is the headline, the blocks readers see, and the attribution.
 */
export interface Structure {
  readonly headline: string | null;
  readonly section: string | null;
  readonly blocks: readonly Block[];
  readonly source: Source | null;
}

/** Markdown ATX heading (`## Title`), for .md articles. */
const ATX = /^#{1,6}\s+(.+?)\s*#*$/;

export function parseStructure(
  text: string,
  opts: { readonly titleFromFrontMatter: string | null },
): Structure {
  let raw = text
    .split(/\n[ \t]*\n/)
    .map((b) => b.split('\n').filter((l) => l.trim() !== ''))
    .filter((lines) => lines.length > 0);

  let headline: string | null = null;
  let section: string | null = null;
  const first = raw[0];
  if (first) {
    const line = first[0] ?? '';
    const split = splitHeadline(collapseWhitespace(line.replace(ATX, '$1')));
    const isHeadline =
      opts.titleFromFrontMatter === null || split.title === opts.titleFromFrontMatter;
    if (isHeadline) {
      headline = split.title;
      section = split.section;
      raw = first.length > 1 ? [first.slice(1), ...raw.slice(1)] : raw.slice(1);
    }
  }

  // The source line is taken wherever it is at the end: before the trailer (the sample), or
  // among or after the related titles the trailer drops.
  const { kept, tail } = splitTrailer(raw);
  const { blocks: rest, source } = takeSource(kept);
  return { headline, section, blocks: classify(rest), source: source ?? lastSourceIn(tail) };
}

/** `Title | Section`: the last ` | ` separates them (a title may contain a bar itself). */
export function splitHeadline(line: string): { title: string; section: string | null } {
  const at = line.lastIndexOf(' | ');
  if (at === -1) return { title: line, section: null };
  const title = line.slice(0, at).trim();
  const section = line.slice(at + 3).trim();
  return { title, section: section === '' ? null : section };
}

/** Take the source line: a block of its own near the end, or the last line of the last block. */
function takeSource(blocks: string[][]): { blocks: string[][]; source: Source | null } {
  for (let i = blocks.length - 1; i >= Math.max(0, blocks.length - 2); i--) {
    const lines = blocks[i] ?? [];
    const source = sourceOf(lines[lines.length - 1] ?? '');
    if (source === null) continue;
    const kept = lines.length > 1 ? [lines.slice(0, -1)] : [];
    return { blocks: [...blocks.slice(0, i), ...kept, ...blocks.slice(i + 1)], source };
  }
  return { blocks, source: null };
}

/** The last source line among the dropped trailer's lines, if any. */
function lastSourceIn(blocks: readonly string[][]): Source | null {
  const sources = blocks.flat().map(sourceOf);
  return sources.reverse().find((s) => s !== null) ?? null;
}

/** Short standalone lines between paragraphs are sub-headings (`Rol mai activ?` in the sample). */
function classify(blocks: string[][]): Block[] {
  return blocks.map((lines, i): Block => {
    const joined = collapseWhitespace(lines.join(' '));
    const atx = lines.length === 1 ? ATX.exec(joined) : null;
    if (atx?.[1]) return { type: 'heading', text: unglueBrackets(atx[1]) };
    const text = unglueBrackets(joined);
    const isHeading =
      lines.length === 1 && i > 0 && i < blocks.length - 1 && looksLikeHeading(text);
    return { type: isHeading ? 'heading' : 'paragraph', text };
  });
}

function looksLikeHeading(text: string): boolean {
  return (
    text.length <= 80 &&
    text.split(' ').length <= 10 &&
    /^[\p{Lu}\p{N}„“"«]/u.test(text) &&
    // A sub-heading may ask ("Rol mai activ?") but does not end a sentence or exclaim.
    !/[.,;:!…"”»'’)]$/u.test(text)
  );
}
