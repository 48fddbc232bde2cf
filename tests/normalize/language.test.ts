import { describe, expect, it } from 'vitest';
import { detectLanguage } from '../../src/normalize/language.js';
import { fixRomanianCedillas } from '../../src/normalize/romanian.js';
import { sampleBytes } from '../helpers.js';
import {
  EN_PARAGRAPH,
  FR_PARAGRAPH,
  RO_PARAGRAPH,
  TR_PARAGRAPH,
  article,
  texts,
} from './normalize-helpers.js';

const CEDILLA = /[\u015F\u0163\u015E\u0162]/u; // ş ţ Ş Ţ

describe('language', () => {
  it('takes the language from front matter over detection', () => {
    const a = article(`---\nlanguage: en-GB\n---\nTitlu\n\n${RO_PARAGRAPH}`, 'fr');
    expect(a.language).toBe('en-GB');
  });

  it('detects English from an English paragraph', () => {
    expect(article(`Title\n\n${EN_PARAGRAPH}`, 'ro').language).toBe('en');
  });

  it('detects French from a French paragraph', () => {
    expect(article(`Titre\n\n${FR_PARAGRAPH}`, 'ro').language).toBe('fr');
  });

  it('detects Romanian from a Romanian paragraph', () => {
    expect(article(`Titlu\n\n${RO_PARAGRAPH}`, 'en').language).toBe('ro');
  });

  it('falls back to the configured default when the text is too short to tell', () => {
    expect(article('T\n\nShort text.', 'de').language).toBe('de');
    expect(article('T\n\nShort text.', 'ro').language).toBe('ro');
    expect(detectLanguage('Short text.')).toBeNull();
  });
});

describe('Romanian cedillas', () => {
  it('writes ş ţ Ş Ţ as ș ț Ș Ț in every text field of a Romanian article', () => {
    const a = article(
      '---\nlanguage: ro\nauthor: Ştefan Ţurcanu\ntags: [Ştiri, preţuri]\nsummary: Preţuri şi taxe\n---\n' +
        'Ştiri despre preţuri | Ţara şi lumea\n\nMinistrul Serghei Şoigu, şi omologul său erau aşteptaţi.\n\nSursa: Agenţia Ştirilor',
    );
    expect(a.title).toBe('Știri despre prețuri');
    expect(a.section).toBe('Țara și lumea');
    expect(texts(a)).toEqual(['Ministrul Serghei Șoigu, și omologul său erau așteptați.']);
    expect(a.summary).toBe('Prețuri și taxe');
    expect(a.tags).toEqual(['Știri', 'prețuri']);
    expect(a.authors).toEqual([{ name: 'Ștefan Țurcanu' }]);
    expect(a.source).toEqual({ name: 'Agenția Știrilor', url: null });
    expect(JSON.stringify(a)).not.toMatch(CEDILLA);
  });

  it('fixes them for a detected Romanian text and a regional tag such as ro-MD', () => {
    expect(texts(article(`Titlu\n\n${RO_PARAGRAPH} Aşa a spus.`, 'en'))).toEqual([
      `${RO_PARAGRAPH} Așa a spus.`,
    ]);
    expect(article('---\nlanguage: ro-MD\n---\nŞtiri\n\nAşa.', 'en').title).toBe('Știri');
  });

  it('leaves ş alone in a Turkish text', () => {
    const a = article(`Türkiye'de yaşam\n\n${TR_PARAGRAPH}`, 'ro');
    expect(a.language).toBe('tr');
    expect(a.title).toBe("Türkiye'de yaşam");
    expect(texts(a)).toEqual([TR_PARAGRAPH]);
    expect(JSON.stringify(a)).not.toMatch(/[\u0219\u021B]/u);
  });

  it('leaves ş alone when front matter says the text is not Romanian', () => {
    const a = article('---\nlanguage: tr\n---\nKış\n\nŞimdi.', 'ro');
    expect(a.title).toBe('Kış');
    expect(texts(a)).toEqual(['Şimdi.']);
  });

  it('fixRomanianCedillas maps exactly the four letters', () => {
    expect(fixRomanianCedillas('şţŞŢ șțȘȚ çÇ')).toBe('șțȘȚ șțȘȚ çÇ');
  });
});

describe('near ties', () => {
  const QUOTES =
    "Paragraful are ghilimele \"duble\", 'simple', „românești” și «franceze», plus apostroful din O'Neil.\nUn atribut fals: title=\"x\" onload='y' rămâne text.";

  it('go to the site language when it scores within 1% of the best guess', () => {
    expect(detectLanguage(QUOTES)).toBe('fr');
    expect(detectLanguage(QUOTES, 'ro')).toBe('ro');
  });

  it('but a clear answer is kept: the sample stays Romanian on an English site', () => {
    expect(detectLanguage(sampleBytes().toString('utf8'), 'en')).toBe('ro');
  });
});
