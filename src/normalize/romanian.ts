/**
 * Romanian s and t take a comma below (ș ț, U+0219 U+021B); the cedilla forms (ş ţ, U+015F
 * U+0163) are a legacy of old code pages and fonts. For Romanian text they are the same letters
 * written wrongly, so we store the correct ones. Other languages (Turkish ş) are left alone.
 */
const CEDILLA: Readonly<Record<string, string>> = { ş: 'ș', ţ: 'ț', Ş: 'Ș', Ţ: 'Ț' };

export const fixRomanianCedillas = (text: string): string =>
  text.replace(/[şţŞŢ]/g, (c) => CEDILLA[c] ?? c);
