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
    // Names serve never answers for (compressed copies and gone markers).
    ['https://news.example.org/a.gz', 'unusable'],
    ['https://news.example.org/x/b.br/', 'unusable'],
    ['https://news.example.org/c.gone', 'unusable'],
    ['https://news.example.org/a.gzip', 'page'],
    // ... nor for a folder at such a name: it stands where a copy or a marker goes (attackG).
    ['https://news.example.org/articles/x.html.gz/notes', 'unusable'],
    ['https://news.example.org/x.br/y.html', 'unusable'],
    ['https://news.example.org/articles/x.html.gone/notes/', 'unusable'],
    ['https://news.example.org/x.gzip/y', 'page'],
    // Below a page file's name (a folder where a page would be): whichever came first, the
    // later one lost (attackG #11). Only .html and .htm paths are page files.
    ['https://news.example.org/articles/election-results.html/notes', 'unusable'],
    ['https://news.example.org/a/b.htm/c.html', 'unusable'],
    ['https://news.example.org/a/b.html/', 'unusable'],
    ['https://news.example.org/a/index.html', 'page'],
    ['https://news.example.org/a/b.html', 'page'],
    ['https://news.example.org/a/b.xhtml/c', 'page'],
  ])('%s: %s', (url, kind) => {
    expect(pagePlaceOf(url, base).kind).toBe(kind);
  });

  it('gives no page to a name the file system refuses, nor to a path serve refuses as too long', () => {
    // Over 255 bytes with a staged copy's suffixes (`.x.tmp-<pid>.br`): ENAMETOOLONG stopped
    // every run. Over serve's 2,048-character target with the site's path before it.
    const at = (path: string): string => pagePlaceOf(`${base}/${path}`, base).kind;
    expect(at('a'.repeat(201))).toBe('unusable');
    expect(at('a'.repeat(200))).toBe('page');
    expect(at(`${'b'.repeat(199)}/`.repeat(5))).toBe('page');
    expect(at(`${'b'.repeat(199)}/`.repeat(6))).toBe('unusable');
    const place = pagePlaceOf(`${base}/${'a'.repeat(201)}`, base);
    expect(place.kind === 'unusable' && place.why).toContain('longer than a page');
  });

  it('names the part of the path that is a copy or marker name', () => {
    const place = pagePlaceOf('https://news.example.org/articles/x.html.gone/notes', base);
    expect(place.kind === 'unusable' && place.why).toContain('("x.html.gone")');
  });

  it('says which part of the path is a page file name', () => {
    const place = pagePlaceOf('https://news.example.org/articles/x.html/notes', base);
    expect(place.kind === 'unusable' && place.why).toBe(
      "it is below x.html, the name of a page file (articles/<slug>.html is an article's own), which cannot also be a folder",
    );
  });

  it('says why the other scheme gets no page', () => {
    const place = pagePlaceOf('http://news.example.org/p2.html', base);
    expect(place.kind === 'unusable' && place.why).toContain(
      "scheme is not site.baseUrl's (https)",
    );
  });
});
