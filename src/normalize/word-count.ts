const segmenter = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Scripts written without spaces between words: only the Unicode segmenter counts them right. */
const UNSPACED =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}]/u;
const LETTER = /[\p{L}_]/u;
const NUMBER = /\p{N}/u;
const MARK = /\p{M}/u;

/** What a code point is to word counting. */
const enum Kind {
  Other = 0,
  Letter = 1, // letters and `_`
  Number = 2,
  Unspaced = 3, // a letter of UNSPACED
  Mark = 4, // a combining mark or variation selector: part of the word it follows, never a word
}

/**
 * Words in a text, as Unicode word segmentation (UAX #29) counts them in prose. In scripts that
 * put spaces between words, a word is letters and digits joined by an inner apostrophe or full
 * stop (O'Neil, www.x.ro, 3.14) or by a comma between digits (2,5); a hyphen separates (s-au is
 * two words). A text with a letter of an unspaced script goes to Intl.Segmenter.
 *
 * One pass over the code points with a table of their kinds: the regular expression this
 * replaced built an array of every word and cost a tenth of a cold build (and counted the
 * variation selector of an emoji as a word). tests/normalize/word-count.test.ts holds it to the
 * segmenter.
 */
export function countWords(text: string): number {
  let words = 0;
  let inWord = false;
  let previous: Kind = Kind.Other; // kind of the last code point of the current word
  for (let i = 0; i < text.length;) {
    const cp = text.codePointAt(i)!;
    const width = cp > 0xffff ? 2 : 1;
    const kind = kindOf(cp);
    if (kind === Kind.Unspaced) return segmentedWords(text);
    if (kind === Kind.Mark) {
      // UAX #29 WB4: a mark extends what precedes it (the variation selector of 🏳️ is no word).
    } else if (kind !== Kind.Other) {
      if (!inWord) words++;
      inWord = true;
      previous = kind;
    } else if (inWord && !joins(cp, previous, text, i + width)) {
      inWord = false;
    }
    i += width;
  }
  return words;
}

/** Whether `cp`, inside a word, joins it to what follows (at `next`). */
function joins(cp: number, previous: Kind, text: string, next: number): boolean {
  if (next >= text.length) return false;
  const after = kindOf(text.codePointAt(next)!);
  if (cp === 0x27 || cp === 0x2019 || cp === 0x2e)
    return after === Kind.Letter || after === Kind.Number; // ' ’ .
  if (cp === 0x2c) return previous === Kind.Number && after === Kind.Number; // , between digits
  return false;
}

/**
 * Intl.Segmenter in Node 20 takes minutes on a text of more than 65,535 code units (0.8 s at
 * 65,000 `中`, over 20 s at 66,000), so a longer text is segmented in pieces of at most `piece`
 * code units; a shorter one, as before, in one. A piece ends before a space (a word boundary in
 * UAX #29: the count is the same); only a run of 65,000 code units without one is cut where it
 * must be (a word may then count twice).
 */
export function segmentedWords(text: string, piece = 65_000): number {
  let n = 0;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + piece);
    if (end < text.length) {
      let cut = end;
      while (cut > start + 1 && text[cut] !== ' ' && text[cut] !== '\u3000') cut--;
      if (cut > start + 1) end = cut;
      else if (/[\uDC00-\uDFFF]/.test(text[end]!)) end--; // not inside a surrogate pair
    }
    for (const s of segmenter.segment(text.slice(start, end))) if (s.isWordLike) n++;
    start = end;
  }
  return n;
}

/** Kinds of the Basic Multilingual Plane, filled 256 code points at a time as texts need them. */
const UNKNOWN = 0xff;
const bmp = new Uint8Array(0x10000).fill(UNKNOWN);
const astral = new Map<number, Kind>();

function kindOf(cp: number): Kind {
  if (cp > 0xffff) {
    let kind = astral.get(cp);
    if (kind === undefined) astral.set(cp, (kind = classify(String.fromCodePoint(cp))));
    return kind;
  }
  if (bmp[cp] === UNKNOWN) {
    const first = cp & 0xff00;
    for (let c = first; c < first + 0x100; c++) bmp[c] = classify(String.fromCharCode(c));
  }
  return bmp[cp] as Kind;
}

function classify(char: string): Kind {
  if (UNSPACED.test(char)) return Kind.Unspaced;
  if (NUMBER.test(char)) return Kind.Number;
  if (MARK.test(char)) return Kind.Mark;
  return LETTER.test(char) ? Kind.Letter : Kind.Other;
}
