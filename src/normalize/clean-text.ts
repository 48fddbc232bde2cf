/**
 * Character-level cleaning of decoded text. Pure. Each step is one named function so tests can
 * pin it down and the order is explicit in cleanText().
 */

/** Remove a leading byte order mark and turn CRLF / CR line ends into LF. */
export const stripBomAndNewlines = (text: string): string =>
  text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');

/**
 * `text.normalize('NFC')`, in time linear in the text. ICU orders combining marks by insertion,
 * so a long run of marks out of canonical order (`\u0301\u0316` repeated: Zalgo text) took time
 * growing with the run's square, 40 s for 400 KB. Such a run is put in canonical order here
 * first (NFD, with a stable O(n log n) sort): ICU then finds it sorted and only composes.
 */
export function toNfc(text: string): string {
  return hasLongMarkRun(text) ? toNfd(text).normalize('NFC') : text.normalize('NFC');
}

/** Real text has a few marks in a row; this many take the careful way (all marks are \p{M}). */
const LONG_RUN = 32;
const MARK = /^\p{M}$/u;
/** Whether each BMP code unit is a mark (2) or not (1), filled as texts need it (0). */
const bmpMarks = new Uint8Array(0x10000);

/** `/\p{M}{32}/u.test(text)`, at a fifth of its cost (which was 7 % of normalizing an article). */
function hasLongMarkRun(text: string): boolean {
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let mark: boolean;
    if (c < 0x300) mark = false;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const cp = text.codePointAt(i)!;
      mark = cp > 0xffff && MARK.test(String.fromCodePoint(cp));
      if (cp > 0xffff) i++;
    } else {
      if (bmpMarks[c] === 0) bmpMarks[c] = MARK.test(String.fromCharCode(c)) ? 2 : 1;
      mark = bmpMarks[c] === 2;
    }
    run = mark ? run + 1 : 0;
    if (run >= LONG_RUN) return true;
  }
  return false;
}

/**
 * `text.normalize('NFD')` without ICU's quadratic ordering: each code point decomposed on its
 * own, then each run of non-starters sorted stably by canonical combining class (Unicode
 * section 3.11, "Canonical Ordering Algorithm"), which is what NFD does. The class is not
 * exposed to JavaScript: the marks of the text are ranked by ICU's NFD of pairs of them.
 */
export function toNfd(text: string): string {
  const decompositions = new Map<string, readonly string[]>();
  const parts: string[] = [];
  for (const char of text) {
    let d = decompositions.get(char);
    if (d === undefined) decompositions.set(char, (d = [...char.normalize('NFD')]));
    for (const part of d) parts.push(part);
  }
  const starter = new Map<string, boolean>();
  for (const part of parts) if (!starter.has(part)) starter.set(part, !isNonStarter(part));
  // The distinct marks in class order, ranked: equal classes, equal ranks.
  const marks = [...starter].filter(([, s]) => !s).map(([m]) => m);
  marks.sort((a, b) => (swaps(a, b) ? 1 : swaps(b, a) ? -1 : 0));
  const rank = new Map<string, number>();
  marks.forEach((m, i) => {
    const previous = marks[i - 1];
    const r = previous === undefined ? 0 : (rank.get(previous) ?? 0);
    rank.set(m, previous !== undefined && swaps(m, previous) ? r + 1 : r);
  });
  const byRank = (a: string, b: string): number => (rank.get(a) ?? 0) - (rank.get(b) ?? 0);
  const out: string[] = [];
  for (let i = 0; i < parts.length;) {
    let j = i;
    while (j < parts.length && starter.get(parts[j]!) === false) j++;
    if (j > i) for (const mark of parts.slice(i, j).sort(byRank)) out.push(mark);
    if (j < parts.length) out.push(parts[j]!);
    i = j + 1;
  }
  return out.join('');
}

/** Whether NFD puts mark `b` before mark `a` in `a + b`: class(a) > class(b) > 0. */
const swaps = (a: string, b: string): boolean => (a + b).normalize('NFD') === b + a;

/** Class > 0: U+0345 (class 240, the highest) moves after it, or it after U+0334 (class 1). */
const isNonStarter = (char: string): boolean => swaps('\u0345', char) || swaps(char, '\u0334');

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

/** The first character XML 1.0 forbids (section 2.2) in `text`, or null: what a value must not hold. */
export function illegalCharacterIn(text: string): string | null {
  if (!MAYBE_ILLEGAL.test(text)) return null;
  return new RegExp(ILLEGAL.source).exec(text)?.[0] ?? null;
}

/**
 * A character illegalCharacterIn() found, named for a message: its code point and what it is
 * (U+FFFE was called "the control character" and printed as itself, invisible).
 */
export function describeIllegal(c: string): string {
  const n = c.codePointAt(0) ?? 0;
  const what =
    n >= 0xd800 && n <= 0xdfff
      ? 'a lone surrogate'
      : n === 0xfffe || n === 0xffff
        ? 'a non-character'
        : 'a control character';
  return `U+${n.toString(16).toUpperCase().padStart(4, '0')} (${what})`;
}

export const removeInvisibles = (text: string): string => text.replace(INVISIBLE, '');

/**
 * Characters that show as blank space in every font yet are letters or symbols, so `trim()` and
 * `\s` leave them: the Hangul fillers (U+115F, U+1160, U+3164, U+FFA0), the braille blank
 * (U+2800) and the Khmer inherent vowels (U+17B4, U+17B5, which Unicode says not to use). A
 * title of them looks empty in a reader's list. Modern Korean text needs none of them; they are
 * kept (a record changes only with its article) and reported.
 */
// An alternation, not a class: U+115F then U+1160 make one Hangul syllable, and a class listing
// them side by side reads as that syllable (eslint's no-misleading-character-class).
export const BLANK_FILLERS = /\u115F|\u1160|\u17B4|\u17B5|\u2800|\u3164|\uFFA0/g;

/**
 * Whether `text` shows nothing to read: only white space, blank fillers and characters Unicode
 * lets a font draw as nothing (Default_Ignorable_Code_Point: zero-width joiners, bidi controls
 * and marks, variation selectors, the fillers again). A title like that is no title.
 */
export const looksEmpty = (text: string): boolean =>
  /^[\s\u2800\p{Default_Ignorable_Code_Point}]*$/u.test(text);

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
