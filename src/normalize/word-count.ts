const words = new Intl.Segmenter(undefined, { granularity: 'word' });

/** Words as Unicode segments them (UAX #29): right for languages written without spaces too. */
export function countWords(text: string): number {
  let n = 0;
  for (const s of words.segment(text)) if (s.isWordLike) n++;
  return n;
}
