import { describe, expect, it } from 'vitest';
import { pagePlaceOf } from '../../src/render/page-paths.js';

/** Where an article's page goes, from its url (render/page-paths.ts). */
describe('pagePlaceOf', () => {
  const base = 'https://news.example.org';
  it.each([
    ['https://news.example.org/articles/a.html', 'page'],
    ['https://other.example.org/a.html', 'elsewhere'],
    // The site's address with the other scheme: no page there, and a warning (it had neither).
    ['http://news.example.org/p2.html', 'unusable'],
    ['https://news.example.org/q.html?x=1', 'unusable'],
    ['https://news.example.org/q.html#top', 'unusable'],
    ['https://news.example.org/', 'unusable'],
  ])('%s: %s', (url, kind) => {
    expect(pagePlaceOf(url, base).kind).toBe(kind);
  });

  it('says why the other scheme gets no page', () => {
    const place = pagePlaceOf('http://news.example.org/p2.html', base);
    expect(place.kind === 'unusable' && place.why).toContain(
      "scheme is not site.baseUrl's (https)",
    );
  });
});
