import { describe, expect, it } from 'vitest';
import { EN_PARAGRAPH, RO_PARAGRAPH, TR_PARAGRAPH, article, texts } from './normalize-helpers.js';

/**
 * The end of an article as sites copy it: a source line, a "read also" trailer and the titles of
 * related stories, in either order, each title often a block of its own.
 */
const P2 = 'Al doilea paragraf al articolului, cu mai multe detalii.';
const ALJAZEERA = { name: 'www.aljazeera.com', url: 'https://www.aljazeera.com/' };
const RELATED = [
  'Rusia și Belarus încep exerciții militare comune',
  'Zelenski cere liderilor europeni mai multe arme',
  'Ce se știe despre vizita lui Putin la Minsk',
];

describe('a trailer written with the legacy cedilla letters', () => {
  it.each(['Citeşte şi', 'Vezi şi', 'Citiţi şi:', 'CITEŞTE ŞI', 'Citeşte şi: Alt titlu'])(
    'drops %j like its comma-below spelling',
    (trailer) => {
      const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\n${trailer}`);
      expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
    },
  );

  it('drops it after the source line and keeps the source (the sample, typed with cedillas)', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\nSursa: www.aljazeera.com\n\nCiteşte şi`,
    );
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
    expect(a.source).toEqual(ALJAZEERA);
  });

  it('drops it with the related titles after it: no fake headings, the source kept', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\nSursa: www.aljazeera.com\n\nVezi şi\n\n${RELATED.join('\n\n')}`,
    );
    expect(a.body).toEqual([
      { type: 'paragraph', text: RO_PARAGRAPH },
      { type: 'paragraph', text: P2 },
    ]);
    expect(a.source).toEqual(ALJAZEERA);
  });

  it('still leaves ş alone in the body of a Turkish article', () => {
    const a = article(
      `Türkiye'de yaşam\n\n${TR_PARAGRAPH}\n\nKaynak: Anadolu Ajansı, İstanbul şubesi\n\nVezi şi`,
      'ro',
    );
    expect(a.language).toBe('tr');
    expect(texts(a)).toEqual([TR_PARAGRAPH]);
    expect(a.source).toEqual({ name: 'Anadolu Ajansı, İstanbul şubesi', url: null });
  });
});

describe('a trailer followed by several related-title blocks', () => {
  it.each(['Citește și', 'Citește și:', 'Vezi și', 'Read more'])(
    'drops %j and every title block after it, the source line before it kept',
    (trailer) => {
      const a = article(
        `Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\nSursa: www.aljazeera.com\n\n${trailer}\n\n${RELATED.join('\n\n')}`,
      );
      expect(a.body).toEqual([
        { type: 'paragraph', text: RO_PARAGRAPH },
        { type: 'paragraph', text: P2 },
      ]);
      expect(a.source).toEqual(ALJAZEERA);
    },
  );

  it('takes the source line that comes after the trailer and its titles', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\nCitește și\n\n${RELATED.join('\n\n')}\n\nSursa: www.aljazeera.com`,
    );
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
    expect(a.source).toEqual(ALJAZEERA);
  });

  it('takes the source line between the related titles', () => {
    const a = article(
      `Title\n\n${EN_PARAGRAPH}\n\nRead more:\nFirst related story\n\nSecond related story\nSource: www.aljazeera.com\n\nThird related story`,
    );
    expect(texts(a)).toEqual([EN_PARAGRAPH]);
    expect(a.source).toEqual(ALJAZEERA);
  });

  it('keeps the paragraphs after a trailer-like line when they are sentences, not titles', () => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\nVezi și\n\n${P2}`);
    expect(texts(a)).toEqual([RO_PARAGRAPH, 'Vezi și', P2]);
  });
});
