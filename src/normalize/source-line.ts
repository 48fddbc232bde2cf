import type { Source } from '../model/record.js';
import { collapseWhitespace } from './clean-text.js';

/**
 * `Sursa: www.aljazeera.com`: the attribution line of an article, not body. The word in the
 * languages the newsroom translates from, singular and plural (`Surse: Agerpres, Reuters` credits
 * two agencies and is as much a source line as `Sursa:`).
 */
const SOURCE_LINE =
  /^(?:sursa|sursă|surse|source|sources|quelle|quellen|fuente|fuentes|fonte|fontes|fonti|źródło|źródła|forrás|források|bron|bronnen|kilde|kilder|källa|källor|lähde|lähteet|kaynak|kaynaklar|zdroj|zdroje|izvor|izvori)\s*:\s*(\S.*)$/iu;

const HOST_OR_URL =
  /(https?:\/\/[^\s,;()]+)|((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:\/[^\s,;()]*)?)/iu;

/** Longer lines are prose that happens to start with the word, not an attribution. */
const MAX_LINE = 200;

/** The source a line names, or null when it is not a source line. */
export function sourceOf(line: string): Source | null {
  const text = collapseWhitespace(line);
  const m = text.length <= MAX_LINE ? SOURCE_LINE.exec(text) : null;
  return m?.[1] ? parseSource(m[1]) : null;
}

export function parseSource(value: string): Source {
  const name = value.trim().replace(/[.;,]+$/, '');
  const m = HOST_OR_URL.exec(name);
  if (!m) return { name, url: null };
  const token = (m[1] ?? `https://${m[2] ?? ''}`).replace(/[.;,]+$/, '');
  try {
    return { name, url: new URL(token).href };
  } catch {
    return { name, url: null };
  }
}
