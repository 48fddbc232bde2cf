import { describe, expect, it } from 'vitest';
import { RO_PARAGRAPH, article, texts } from './normalize-helpers.js';

const P2 = 'Al doilea paragraf al articolului, cu mai multe detalii.';

describe('plural source lines', () => {
  it.each([
    ['Surse: Agerpres, Reuters', { name: 'Agerpres, Reuters', url: null }],
    [
      'Surse: www.agerpres.ro, Reuters',
      { name: 'www.agerpres.ro, Reuters', url: 'https://www.agerpres.ro/' },
    ],
    ['Sources: Reuters, AP', { name: 'Reuters, AP', url: null }],
    ['Quellen: dpa, Reuters', { name: 'dpa, Reuters', url: null }],
    ['Fuentes: EFE, AP', { name: 'EFE, AP', url: null }],
    // A host cut short by a character no host has is no host (it linked https://www.exa/).
    ['Sursa: www.exa<mple>.com & co', { name: 'www.exa<mple>.com & co', url: null }],
    ['Sursa: (www.agerpres.ro)', { name: '(www.agerpres.ro)', url: 'https://www.agerpres.ro/' }],
  ])('takes %j as the source', (line, source) => {
    const a = article(`Titlu\n\n${RO_PARAGRAPH}\n\n${P2}\n\n${line}`);
    expect(a.source).toEqual(source);
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });
});
