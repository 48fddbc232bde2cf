import { describe, expect, it } from 'vitest';
import { slugFor } from '../../src/normalize/slug.js';
import { countWords } from '../../src/normalize/word-count.js';
import { RO_PARAGRAPH, article, sha256 } from './normalize-helpers.js';

const ASCII_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

describe('slug', () => {
  it('transliterates Romanian letters to an ASCII slug', () => {
    const a = article(`Știri în țară: Ănă, Âșa, Îți | Secțiune\n\n${RO_PARAGRAPH}`);
    expect(a.slugBase).toBe('stiri-in-tara-ana-asa-iti');
  });

  it('transliterates German ß and umlauts', () => {
    expect(article(`Straße über Größe\n\n${RO_PARAGRAPH}`).slugBase).toBe('strasse-ueber-groesse');
  });

  it('transliterates Cyrillic', () => {
    expect(article(`Путин в Минске\n\n${RO_PARAGRAPH}`).slugBase).toBe('putin-v-minske');
    expect(slugFor('Жёлтый журнал')).toMatch(/^zh/);
  });

  it('falls back to article-<hash of the stored bytes> for an emoji-only title', () => {
    const text = `😀🎉\n\n${RO_PARAGRAPH}`;
    const a = article(text);
    expect(a.slugBase).toBe(`article-${sha256(Buffer.from(text)).slice(0, 12)}`);
    expect(a.slugBase).toMatch(/^article-[0-9a-f]{12}$/);
    expect(slugFor('😀🎉')).toBe('');
  });

  it('keeps a long title to at most 80 characters, cut at a word boundary', () => {
    const title =
      'Președintele rus Vladimir Putin a vizitat Minsk pentru discuții cu omologul său din Belarus, Alexander Lukașenko';
    const slug = article(`${title}\n\n${RO_PARAGRAPH}`).slugBase;
    expect(slug.length).toBeLessThanOrEqual(80);
    expect(slug).toMatch(ASCII_SLUG);
    expect(`${slugFor(title)}-`.startsWith(`${slug}-`)).toBe(true);
  });
});

describe('word count', () => {
  it('counts the words of the body (headings included, title and source excluded)', () => {
    const a = article(
      'Un titlu lung de cinci cuvinte\n\nAna are mere, pere și 3 prune.\n\nRol mai activ?\n\nDoi oameni.\n\nSursa: www.example.com',
    );
    expect(a.body.map((b) => b.type)).toEqual(['paragraph', 'heading', 'paragraph']);
    expect(a.wordCount).toBe(7 + 3 + 2);
  });

  it('countWords counts Unicode words, not punctuation', () => {
    expect(countWords('Ana are mere, pere și 3 prune.')).toBe(7);
    expect(countWords(' — „ ” … ')).toBe(0);
  });
});
