import { describe, expect, it } from 'vitest';
import { parseSource, splitHeadline } from '../../src/normalize/structure.js';
import { RO_PARAGRAPH, article, texts } from './normalize-helpers.js';

const P2 = 'Al doilea paragraf al articolului, cu mai multe detalii.';

describe('article structure', () => {
  it('splits the headline `Title | Section` into title and section', () => {
    const a = article(`Putin la Minsk | Știri externe\n\n${RO_PARAGRAPH}`);
    expect(a.title).toBe('Putin la Minsk');
    expect(a.section).toBe('Știri externe');
    expect(texts(a)).toEqual([RO_PARAGRAPH]);
  });

  it('splits at the last ` | ` and leaves the section null without one', () => {
    expect(splitHeadline('A | B | Secțiune')).toEqual({ title: 'A | B', section: 'Secțiune' });
    expect(splitHeadline('Doar titlu')).toEqual({ title: 'Doar titlu', section: null });
    expect(article(`Doar titlu\n\n${RO_PARAGRAPH}`).section).toBeNull();
  });

  it('makes the lede paragraph the summary and keeps it as the first body paragraph', () => {
    const a = article(`Titlu | Secțiune\n\n${RO_PARAGRAPH}\n\n${P2}`);
    expect(a.summary).toBe(RO_PARAGRAPH);
    expect(a.body[0]).toEqual({ type: 'paragraph', text: RO_PARAGRAPH });
    expect(a.body).toHaveLength(2);
  });

  it('turns a short standalone line between paragraphs into a heading', () => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\nRol mai activ?\n\n${P2}`);
    expect(a.body).toEqual([
      { type: 'paragraph', text: RO_PARAGRAPH },
      { type: 'heading', text: 'Rol mai activ?' },
      { type: 'paragraph', text: P2 },
    ]);
  });

  it('keeps short one-line paragraphs ending in a full stop, an exclamation or a closing quote as paragraphs', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\nA refuzat.\n\n„Nu este fezabil”\n\n"Nu acum"\n\nÎn picioare’\n\nCe rușine!\n\n${P2}`,
    );
    expect(a.body.map((b) => b.type)).toEqual([
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
      'paragraph',
    ]);
    expect(texts(a)).toEqual([
      RO_PARAGRAPH,
      'A refuzat.',
      '„Nu este fezabil”',
      '"Nu acum"',
      'În picioare’',
      'Ce rușine!',
      P2,
    ]);
  });

  it.each([
    ['Sursa: www.aljazeera.com', { name: 'www.aljazeera.com', url: 'https://www.aljazeera.com/' }],
    ['Source: Reuters', { name: 'Reuters', url: null }],
    ['Quelle: dpa.de', { name: 'dpa.de', url: 'https://dpa.de/' }],
    ['Fuente: El País', { name: 'El País', url: null }],
    [
      'Source: https://www.reuters.com/world/europe/story-1',
      {
        name: 'https://www.reuters.com/world/europe/story-1',
        url: 'https://www.reuters.com/world/europe/story-1',
      },
    ],
    [
      'Sursa: Agerpres, www.agerpres.ro.',
      { name: 'Agerpres, www.agerpres.ro', url: 'https://www.agerpres.ro/' },
    ],
  ])('takes the source line %j out of the body as {name, url}', (line, source) => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\n${line}`);
    expect(a.source).toEqual(source);
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });

  it('takes a source line that ends the last paragraph, keeping the paragraph', () => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\nSource: www.example.com`);
    expect(a.source).toEqual({ name: 'www.example.com', url: 'https://www.example.com/' });
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });

  it('parseSource makes a bare host name an absolute https URL', () => {
    expect(parseSource('www.aljazeera.com')).toEqual({
      name: 'www.aljazeera.com',
      url: 'https://www.aljazeera.com/',
    });
    expect(parseSource('bbc.co.uk/news/world-1')).toEqual({
      name: 'bbc.co.uk/news/world-1',
      url: 'https://bbc.co.uk/news/world-1',
    });
    expect(parseSource('Reuters')).toEqual({ name: 'Reuters', url: null });
  });

  it('leaves the source null when the article has no source line', () => {
    expect(article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}`).source).toBeNull();
  });

  it.each([
    'Citește și',
    'Citeste si: Alt titlu',
    'Vezi și',
    'Read more',
    'Read also',
    'Read more…',
  ])('drops the read-also trailer %j', (trailer) => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\n${trailer}`);
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });

  it.each([
    'Citește și:\nRusia și Belarus, exerciții comune\nZelenski cere arme',
    'Vezi și\nAlt titlu de articol\nÎncă un titlu',
    'Read more:\nRussia and Belarus hold drills\nZelensky asks for weapons',
    'Read also\nFirst related story\nSecond related story',
  ])('drops the trailer %j with the related titles in its block', (trailer) => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\n${trailer}`);
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });

  it('drops the trailer and takes the source line when both end the article (as in the sample)', () => {
    const a = article(
      `Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\nSursa: www.aljazeera.com\n\nCitește și`,
    );
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
    expect(a.source).toEqual({ name: 'www.aljazeera.com', url: 'https://www.aljazeera.com/' });
  });

  it('keeps a last paragraph that only starts with the words "Read more"', () => {
    const last = 'Read more about the summit in our live blog, updated through the day.';
    const a = article(`Title\n\n${RO_PARAGRAPH}\n\n${last}`);
    expect(texts(a)).toEqual([RO_PARAGRAPH, last]);
  });
});
