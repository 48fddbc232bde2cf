import { createHash } from 'node:crypto';
import { expect } from 'vitest';
import type { NormalizedArticle } from '../../src/model/record.js';
import { normalizeArticle, type NormalizeResult } from '../../src/normalize/normalize-article.js';

/** Shared by the normalization tests: one stored article, normalized without I/O or clock. */
export const FILE = 'archive/articles/test.txt';

/** Long enough for language detection, clearly Romanian. */
export const RO_PARAGRAPH =
  'Guvernul a anunțat astăzi noi măsuri pentru sprijinirea familiilor cu venituri mici, iar ministrul a declarat că banii vor ajunge în conturi până la sfârșitul lunii.';

export const EN_PARAGRAPH =
  'The government announced new measures on Monday to support families with low incomes, and the minister said the money would reach their accounts by the end of the month.';

export const FR_PARAGRAPH =
  "Le gouvernement a annoncé lundi de nouvelles mesures pour soutenir les familles aux revenus modestes, et le ministre a déclaré que l'argent arrivera sur leurs comptes avant la fin du mois.";

export const TR_PARAGRAPH =
  "Türkiye Cumhuriyeti'nin başkenti Ankara'dır ve en kalabalık şehri İstanbul'dur. Türk halkı çok misafirperverdir ve yaşamı sever; şehirde her akşam binlerce kişi sahilde yürüyüş yapar.";

export const sha256 = (bytes: Uint8Array): string =>
  createHash('sha256').update(bytes).digest('hex');

export function normalize(input: string | Uint8Array, defaultLanguage = 'ro'): NormalizeResult {
  const bytes = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  return normalizeArticle({ path: FILE, bytes, sha256: sha256(bytes) }, { defaultLanguage });
}

/** Normalize and require an article (no error issue). */
export function article(input: string | Uint8Array, defaultLanguage = 'ro'): NormalizedArticle {
  const r = normalize(input, defaultLanguage);
  expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
  expect(r.article).not.toBeNull();
  return r.article as NormalizedArticle;
}

export const texts = (a: NormalizedArticle): string[] => a.body.map((b) => b.text);
