/**
 * Character-level cleaning of decoded text. Pure. Each step is one named function so tests can
 * pin it down and the order is explicit in cleanText().
 */

/** Remove a leading byte order mark and turn CRLF / CR line ends into LF. */
export const stripBomAndNewlines = (text: string): string =>
  text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/**
 * Characters that XML 1.0 forbids (section 2.2 "Characters": only #x9 #xA #xD, #x20-#xD7FF,
 * #xE000-#xFFFD, #x10000-#x10FFFF are allowed), plus the C1 controls and DEL, which XML allows
 * but which are never text in an article and make feed readers choke. One such character makes
 * Miniflux or FreshRSS drop the whole feed.
 */
const ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Invisible characters with no meaning in running text (ZWJ and ZWNJ are kept: scripts need them). */
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/g;

export interface Removed {
  readonly count: number;
  /** 1-based line of the first one, in the text as given. */
  readonly firstLine: number;
}

/** A quick test before ILLEGAL, whose lone-surrogate lookarounds make it slow on long texts. */
const MAYBE_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF\uD800-\uDFFF]/;

export function removeIllegalCharacters(text: string): { text: string; removed: Removed | null } {
  if (!MAYBE_ILLEGAL.test(text)) return { text, removed: null };
  let count = 0;
  let firstIndex = -1;
  const cleaned = text.replace(ILLEGAL, (m: string, offset: number) => {
    if (count++ === 0) firstIndex = offset;
    // Vertical tab and form feed separate words: keep a space so "a\fb" stays two words.
    return m === '\u000B' || m === '\u000C' ? ' ' : '';
  });
  if (count === 0) return { text, removed: null };
  const firstLine = text.slice(0, firstIndex).split('\n').length;
  return { text: cleaned, removed: { count, firstLine } };
}

export const removeInvisibles = (text: string): string => text.replace(INVISIBLE, '');

/** Collapse runs of white space inside one paragraph (line breaks included) to one space. */
export const collapseWhitespace = (text: string): string =>
  // Most lines have nothing to collapse; replacing every single space by itself was costly.
  (/[\t\n\v\f\r\u0085\u2028\u2029]| {2}/.test(text)
    ? text.replace(/[\t\n\v\f\r \u0085\u2028\u2029]+/g, ' ')
    : text
  ).trim();

/**
 * An editorial insertion glued to the next word, as in the sample: `[these talks]problemele`
 * → `[these talks] problemele`.
 */
export const unglueBrackets = (text: string): string => text.replace(/\]([\p{L}\p{N}])/gu, '] $1');
