import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import { BASE_CONFIG, jsonOf, makeProject } from '../helpers.js';

/**
 * Values every feed and page carries, refused at the door (exit 2, nothing touched) instead of
 * accepted and then refused by the gate on every run, or minted into every record's link.
 */
const withSite = (site: Record<string, unknown>): unknown => ({
  ...BASE_CONFIG,
  site: { ...BASE_CONFIG.site, ...site },
});
const problem = (raw: unknown): string => {
  try {
    resolveConfig(raw, '/tmp/site');
  } catch (error) {
    if (error instanceof ConfigError) return error.message;
    throw error;
  }
  return '';
};

describe('site values the feeds carry', () => {
  it.each([
    ['https://news.example.org/?q=1', 'query'],
    ['https://news.example.org/news#top', 'fragment'],
    ['https://news.example.org/news?', 'query'],
    ['https://editor:secret@news.example.org/', 'password'],
    // Not "percent-encode [": a tag URI's authority is a domain name (RFC 4151).
    ['http://[2001:db8::1]:8080/', 'IPv6 address'],
  ])('site.baseUrl %s is refused (%s)', (baseUrl, word) => {
    const message = problem(withSite({ baseUrl }));
    expect(message).toContain('"site.baseUrl"');
    expect(message).toContain(word);
  });

  // Found by an outside try: the front page's address pasted as the site's made every link
  // …/index.html/articles/….html, without a word.
  it.each([
    ['https://x.org/news/index.html', '"https://x.org/news"'],
    ['https://x.org/index.htm', '"https://x.org"'],
  ])('site.baseUrl %s names a page: refused, its folder suggested', (baseUrl, folder) => {
    const message = problem(withSite({ baseUrl }));
    expect(message).toContain('names a page, not a folder');
    expect(message).toContain(folder);
  });

  it.each(['https://x.org/%2e%2e/', 'https://x.org/news/./', 'https://x.org/a/../b'])(
    'site.baseUrl %s with a dot part is refused (it resolved away without a word)',
    (baseUrl) => expect(problem(withSite({ baseUrl }))).toContain('"." or ".." part'),
  );

  it.each(['https://x.org/news.v2/', 'https://x.org/.well/', 'https://x.org/a..b'])(
    'site.baseUrl %s, dots inside a part, is taken',
    (baseUrl) => expect(problem(withSite({ baseUrl }))).toBe(''),
  );

  // Found by an outside try: a title of only invisible characters was taken, and every feed
  // showed an empty title (an article's is ARTICLE_NO_TITLE).
  it.each(['\u200b', '\u00ad\u2060', ' \ufeff '])('site.title %j is refused', (title) => {
    expect(problem(withSite({ title }))).toContain('only invisible characters');
  });

  it('site.title with a visible character beside invisible ones is taken', () => {
    expect(problem(withSite({ title: '\u200bȘtiri' }))).toBe('');
  });

  it.each(['https://news.example.org', 'https://news.example.org/news/', 'http://localhost:8080'])(
    'site.baseUrl %s is taken',
    (baseUrl) => expect(problem(withSite({ baseUrl }))).toBe(''),
  );

  it.each(['hms', 'xx-INVALID', 'en_US'])(
    'site.language %s is refused as in front matter',
    (language) => {
      expect(problem(withSite({ language }))).toContain('"site.language"');
    },
  );

  it.each(['ro', 'en-GB', 'pt-BR', 'x-klingon', 'en-GB-oed', 'zh-min-nan'])(
    'site.language %s is taken',
    (language) => expect(problem(withSite({ language }))).toBe(''),
  );

  it.each([
    [{ title: 'A\u001bB' }, 'site.title'],
    [{ description: 'bell\u0007' }, 'site.description'],
    [{ author: { name: 'Redac\u0000ția' } }, 'site.author.name'],
  ])('a control character XML forbids is refused: %j', (site, key) => {
    const message = problem(withSite(site));
    expect(message).toContain(`"${key}"`);
    expect(message).toContain('XML forbids');
    expect(message).toMatch(/holds U\+00[01][0-9A-F] \(a control character\)/);
  });

  it('names a non-character by its code point, not as a control character printed raw', () => {
    const message = problem(withSite({ title: 'Știri\uFFFE' }));
    expect(message).toContain('it holds U+FFFE (a non-character), which XML forbids');
  });
});

/**
 * attackG, sections 2 and 8: an address a URL parser takes but a feed validator (or the tag URI
 * rule of the ids minted under it) does not, refused at load instead of published or minted.
 */
describe('site addresses a validator or the tag URI rule refuses', () => {
  it.each([
    ['https://news.example.org/n%zz/', '% not followed by two hexadecimal digits'],
    // Every id minted under it (tag:news_room.example.org,…) was refused by the gate, forever.
    ['https://news_room.example.org', 'is not a DNS name'],
    ['https://x..org', 'is not a DNS name'],
    ['https://x.org.', 'is not a DNS name'],
  ])('site.baseUrl %s is refused (%s)', (baseUrl, why) => {
    const message = problem(withSite({ baseUrl }));
    expect(message).toContain('"site.baseUrl"');
    expect(message).toContain(why);
  });

  it.each([
    ['https://example.org/staff[1]', '"["'],
    ['https://example.org/a|b', '"|"'],
    ['https://example.org/a%zz', '% not followed by two hexadecimal digits'],
    ['https://example.org/#a#b', 'second #'],
  ])('site.author.url %s is refused (%s)', (url, why) => {
    const message = problem(withSite({ author: { name: 'Desk', url } }));
    expect(message).toContain('"site.author.url"');
    expect(message).toContain(why);
  });

  it('site.author.url with an escaped space or %25 is taken', () => {
    expect(
      problem(withSite({ author: { name: 'Desk', url: 'https://example.org/a%20b%25' } })),
    ).toBe('');
  });
});

// RFC 5646 section 2.1 allows private-use and grandfathered tags; both were refused. Built end
// to end: the gate (every format, the pages' HTML validator) takes them as written.
describe('a private-use site.language and a grandfathered front matter language', () => {
  it('are published as written', () => {
    const p = makeProject(withSite({ language: 'x-Klingon' }));
    p.write(
      'a.txt',
      `---\nlanguage: EN-gb-OED\n---\nA headline\n\nThe first paragraph of the story, in English.\n`,
    );
    p.write('b.txt', `Al doilea titlu\n\nPrimul paragraf al știrii, în limba română.\n`);
    const r = p.cli('build', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    expect(jsonOf<{ feeds: { published: boolean } }>(r).feeds.published).toBe(true);
    expect(p.read('out/rss.xml')).toContain('<language>x-Klingon</language>');
    expect(p.read('out/atom.xml')).toContain('xml:lang="en-GB-oed"');
    expect(p.read('out/feed.json')).toContain('"language": "en-GB-oed"');
  });

  it('an i- tag is refused with why and what to write instead', () => {
    const p = makeProject();
    p.write('a.txt', `---\nlanguage: i-klingon\n---\nA headline\n\nThe first paragraph.\n`);
    const r = p.cli('build', '--json');
    const found = jsonOf<{ problems: { code: string; message: string }[] }>(r).problems;
    expect(found.map((i) => i.code)).toEqual(['FRONT_MATTER_INVALID']);
    expect(found[0]?.message).toContain('"language"');
    expect(found[0]?.message).toContain('write its registered replacement "tlh" instead');
  });
});
