import { collapseWhitespace } from './clean-text.js';
import { fixRomanianCedillas } from './romanian.js';
import { sourceOf } from './source-line.js';

/**
 * The "read also" trailer that ends articles copied from news sites: `Citește și` (or `Vezi și`,
 * `Read more`, …), then the titles of related stories, in its own block or each in a block of
 * its own, with the source line before, among or after them. Boilerplate of the site the text
 * came from: everything from the trailer on is dropped (the source line is kept by the caller).
 */
const TRAILER =
  /^(?:cite[sș]te [sș]i|citi[tț]i [sș]i|vezi [sș]i|read more|read also|see also|related|more on this|lesen sie auch|mehr zum thema|lire aussi|à lire aussi|a lire aussi|leer más|lee también|leia também|leggi anche)\b\s*(?:[:–—-].*|\.{3}|…)?$/iu;

/** Longer lines are prose, not a trailer or a story's title. */
const MAX_LINE = 200;

/**
 * The trailer words are matched on the line with Romanian cedillas folded (`Citeşte şi` is
 * `Citește și` typed with a legacy keyboard or code page). This runs before the language is
 * known, and must: the language is detected from the body, which is only known once the trailer
 * and the source line are out of it. Folding the match key is right for any language, since the
 * words are Romanian ones and a cedilla in them is always the legacy spelling; the text itself
 * is left as written here, and folded later only if the article is Romanian (a Turkish `ş` stays).
 */
export const isTrailerLine = (line: string): boolean => {
  const text = collapseWhitespace(line);
  return text.length <= MAX_LINE && TRAILER.test(fixRomanianCedillas(text));
};

/**
 * A related story's title: short, and not a sentence (titles take no full stop; an ellipsis, a
 * question or a quote may end one). A paragraph of prose after a trailer-like line means the
 * line was part of the article, not its trailer.
 */
function isTailLine(line: string): boolean {
  const text = collapseWhitespace(line);
  return sourceOf(text) !== null || (text.length <= MAX_LINE && !/(?<!\.)\.$/u.test(text));
}

/**
 * Split the blocks at the first trailer that only titles (and source lines) follow: `kept` is
 * the article, `tail` the trailer and what follows it (empty without a trailer). Scans back from
 * the end and stops at the first block of prose, so it costs little.
 */
export function splitTrailer(blocks: readonly string[][]): {
  kept: string[][];
  tail: string[][];
} {
  let cut = blocks.length;
  for (let i = blocks.length - 1; i >= 0; i--) {
    const lines = blocks[i] ?? [];
    if (isTrailerLine(lines[0] ?? '')) cut = i;
    else if (!lines.every(isTailLine)) break;
  }
  return { kept: blocks.slice(0, cut), tail: blocks.slice(cut) };
}
