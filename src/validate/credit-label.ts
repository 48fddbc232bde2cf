/**
 * The word the gate expects before a source credit ("Sursa: www.digi24.ro"), stated here on
 * its own, not taken from model/source-label.ts, which the renderer writes it with: shared, a
 * wrong word there (`ro: 'Source'`) was in every output and in the expectation alike, and the
 * gate agreed. The words are those of docs/reference.md; tests/validate/credit-label.test.ts
 * holds the two tables to each other, so a change must be made in both, on purpose.
 * Keyed by the primary language subtag (BCP 47 section 2.2.1); "Source" for any other.
 */
const WORDS: Readonly<Record<string, string>> = {
  bs: 'Izvor',
  cs: 'Zdroj',
  da: 'Kilde',
  de: 'Quelle',
  en: 'Source',
  es: 'Fuente',
  fi: 'Lähde',
  fr: 'Source',
  hr: 'Izvor',
  hu: 'Forrás',
  it: 'Fonte',
  nb: 'Kilde',
  nl: 'Bron',
  no: 'Kilde',
  pl: 'Źródło',
  pt: 'Fonte',
  ro: 'Sursa',
  sk: 'Zdroj',
  sr: 'Izvor',
  sv: 'Källa',
  tr: 'Kaynak',
};

export function creditLabel(language: string): string {
  const primary = language.toLowerCase().split('-')[0] ?? '';
  return Object.hasOwn(WORDS, primary) ? (WORDS[primary] ?? 'Source') : 'Source';
}
