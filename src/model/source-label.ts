/**
 * The word that introduces the source credit ("Sursa: www.aljazeera.com"), in the article's
 * language: a translation desk must attribute, and a reader should see the credit in the
 * language of the text around it. Keyed by the primary language subtag (BCP 47 section 2.2.1);
 * the words are those normalize/source-line.ts recognises on a stored article's source line.
 */
const LABELS: Readonly<Record<string, string>> = {
  ro: 'Sursa',
  en: 'Source',
  fr: 'Source',
  de: 'Quelle',
  es: 'Fuente',
  it: 'Fonte',
  pt: 'Fonte',
  pl: 'Źródło',
  hu: 'Forrás',
  nl: 'Bron',
  da: 'Kilde',
  nb: 'Kilde',
  no: 'Kilde',
  sv: 'Källa',
  fi: 'Lähde',
  tr: 'Kaynak',
  cs: 'Zdroj',
  sk: 'Zdroj',
  hr: 'Izvor',
  sr: 'Izvor',
  bs: 'Izvor',
};

/** "Sursa" for ro, ro-RO…; "Source" for a language we have no word for. */
export const sourceLabel = (language: string): string =>
  LABELS[language.toLowerCase().split('-')[0] ?? ''] ?? 'Source';
