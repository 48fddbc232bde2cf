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

/** `\s` of a regular expression, for one UTF-16 code unit. */
const SPACE = /^\s$/;
/** What `.` does not match without the s flag. */
const isLineTerminator = (c: string): boolean =>
  c === '\n' || c === '\r' || c === '\u2028' || c === '\u2029';

/**
 * Markdown ATX heading (`## Title`), for .md articles: the title, or null when `line` is not one.
 * Exactly what `/^#{1,6}\s+(.+?)\s*#*$/.exec(line)?.[1]` gives, in one pass: that expression
 * backtracks over a run of `#` or white space at each character of the title, which took minutes
 * on a heading line of a few hundred KB (tests/normalize/linear-time.test.ts compares the two).
 */
export function atxHeading(line: string): string | null {
  const end = line.length;
  let hashes = 0;
  while (hashes < end && line[hashes] === '#') hashes++;
  if (hashes < 1 || hashes > 6) return null;
  let spaces = 0;
  while (hashes + spaces < end && SPACE.test(line[hashes + spaces]!)) spaces++;
  if (spaces === 0) return null;
  // `\s*#*$` matches from `tail` on, and from nowhere before it.
  let tail = end;
  while (tail > 0 && line[tail - 1] === '#') tail--;
  while (tail > 0 && SPACE.test(line[tail - 1]!)) tail--;
  // `\s+` gives back one space at a time (the longest first); `(.+?)` takes the fewest
  // characters, at least one, that reach `tail` without crossing a line terminator.
  let start = hashes + spaces;
  let nextTerminator = start;
  while (nextTerminator < end && !isLineTerminator(line[nextTerminator]!)) nextTerminator++;
  for (; start > hashes; start--) {
    if (start < hashes + spaces && isLineTerminator(line[start]!)) nextTerminator = start;
    const stop = Math.max(start + 1, tail);
    if (stop <= end && stop <= nextTerminator) return line.slice(start, stop);
  }
  return null;
}

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
    const split = splitHeadline(collapseWhitespace(atxHeading(line) ?? line));
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
    const atx = lines.length === 1 ? atxHeading(joined) : null;
    if (atx) return { type: 'heading', text: unglueBrackets(atx) };
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
