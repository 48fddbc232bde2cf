import { franc } from 'franc-min';
import { iso6393To1 } from 'iso-639-3';

/**
 * The adapters for `franc-min` (language detection) and `iso-639-3` (its codes → BCP 47).
 * franc answers ISO 639-3 (`ron`); feeds and records use the shortest BCP 47 tag (`ro`).
 * Short texts are unreliable, so below MIN_LENGTH characters we say nothing.
 */
const MIN_LENGTH = 40;

export function detectLanguage(text: string): string | null {
  if (text.length < MIN_LENGTH) return null;
  const code = franc(text.slice(0, 4000), { minLength: MIN_LENGTH });
  if (code === 'und') return null;
  return iso6393To1[code] ?? code;
}
