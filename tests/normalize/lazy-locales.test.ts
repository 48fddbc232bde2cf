import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers.js';

/**
 * The bundle makes transliterate's locale patterns on first use, not at import
 * (rolldown-lazy-locales.js): the same transliteration, with or without a locale, and the
 * plugin is in the build that runs.
 */
type Transliterate = (text: string, options?: { locale?: string }) => string;
interface Plugin {
  lazyLocales: (code: string) => string;
}

const PACKAGE = join(REPO, 'node_modules', '@sindresorhus', 'transliterate');
const plugin = async (): Promise<Plugin> =>
  (await import(pathToFileURL(join(REPO, 'rolldown-lazy-locales.js')).href)) as Plugin;
const load = async (dir: string): Promise<Transliterate> =>
  ((await import(pathToFileURL(join(dir, 'index.js')).href)) as { default: Transliterate }).default;

describe('transliterate with its locale patterns made on first use', () => {
  it('gives what the package gives, for every locale it knows and for none', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fk-lazy-locales-'));
    for (const f of ['replacements.js', 'locale-replacements.js', 'package.json'])
      copyFileSync(join(PACKAGE, f), join(dir, f));
    const source = readFileSync(join(PACKAGE, 'index.js'), 'utf8');
    writeFileSync(join(dir, 'index.js'), (await plugin()).lazyLocales(source));
    const [lazy, eager] = [await load(dir), await load(PACKAGE)];
    const texts = [
      'Știri în limba română: ăâîșț',
      'Größe über Maß, Ærø og Ålesund',
      'Ölçü şöyle, İstanbul ığ',
      'Đorđe Ђорђе Жежељ ћ џ',
      'Hősök tere, Őrség',
      'Hello — world – ‐ dash',
      'ιστορία Москва 東京 😀',
    ];
    const locales = [undefined, 'de', 'de-AT', 'sv', 'da', 'nb', 'no', 'tr', 'hu', 'sr', 'en'];
    for (const locale of locales)
      for (const text of texts)
        expect(lazy(text, { locale }), `${text} (${locale})`).toBe(eager(text, { locale }));
  });

  it('refuses a module that is not as it knows it', async () => {
    await expect(plugin().then((p) => p.lazyLocales('export default () => 1;'))).rejects.toThrow(
      /not as rolldown-lazy-locales\.js knows it/,
    );
  });

  it('is in the bundle that runs', () => {
    const bin = join(REPO, 'dist', 'bin');
    const chunks = readdirSync(bin)
      .filter((f) => f.endsWith('.js'))
      .map((f) => readFileSync(join(bin, f), 'utf8'))
      .filter((code) => code.includes('node_modules/@sindresorhus/transliterate/index.js'));
    expect(chunks.length).toBeGreaterThan(0);
    for (const code of chunks) {
      expect(code).toContain('localeEntry(normalizedLocale)');
      expect(code).not.toContain('for (const [locale, localeMap] of Object.entries');
    }
  });
});
