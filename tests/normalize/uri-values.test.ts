import { describe, expect, it } from 'vitest';
import {
  canonicalId,
  idProblem,
  newIdProblem,
  tagHostProblem,
  urlProblem,
} from '../../src/normalize/feed-values.js';
import { FILE, RO_PARAGRAPH, article, normalize } from './normalize-helpers.js';

/**
 * URLs and ids a URL parser takes but a feed validator, or the gate's own reading, does not
 * (attackG, sections 2, 3, 7 and 12): each is now checked where it enters, so it is refused
 * or written the one way the gate reads it back, instead of published invalid or blocking
 * every publication.
 */
const withFront = (line: string): string =>
  `---\n${line}\n---\nTitlu\n\n${RO_PARAGRAPH}\n\nAl doilea paragraf.\n`;

function refusal(line: string): string {
  const r = normalize(withFront(line));
  expect(r.article).toBeNull();
  const errors = r.issues.filter((i) => i.severity === 'error');
  expect(errors).toHaveLength(1);
  expect(errors[0]).toMatchObject({ code: 'FRONT_MATTER_INVALID', file: FILE });
  return errors[0]?.message ?? '';
}

describe('a front-matter url that is not RFC 3986 once serialized', () => {
  it.each([
    ['url: "https://wire.example/story%zz"', /"url".*% not followed by two hexadecimal/],
    ['url: "https://wire.example/100%"', /"url".*% not followed by two hexadecimal/],
    ['url: "https://wire.example/story#part#2"', /"url".*second #/],
    ['url: "https://wire.example/a^b"', /"url".*"\^"/],
    ['url: "https://wire.example/a|b"', /"url".*"\|"/],
    ['url: "https://wire.example/staff[1]"', /"url".*"\["/],
    // On the site's host it got no page and no warning; elsewhere it published a user name.
    ['url: "https://editor@news.example.org/2026/12/story"', /"url".*user name.*editor@/],
    ['url: "https://editor:secret@wire.example/x"', /"url".*user name or password \(editor:…@\)/],
  ])('%s is refused, naming the key', (line, why) => {
    expect(refusal(line)).toMatch(why);
  });

  it('takes an escaped % and # and a lone fragment', () => {
    expect(article(withFront('url: "https://wire.example/100%25#part%232"')).url).toBe(
      'https://wire.example/100%25#part%232',
    );
  });
});

describe('a front-matter id', () => {
  it.each([
    ['id: "x:"', /"id".*scheme with nothing after it/],
    ['id: "urn:"', /"id".*scheme with nothing after it/],
    ['id: "https://wire.example/a#b#c"', /"id".*second #/],
  ])('%s is refused, naming the key', (line, why) => {
    expect(refusal(line)).toMatch(why);
  });

  // Each was stored as written and read back by the gate as the right-hand form: a round-trip
  // mismatch on every run, and nothing published. A new record now stores that form.
  it.each([
    ['HTTPS://NEWS.EXAMPLE.ORG/2026/upper', 'https://news.example.org/2026/upper'],
    ['https://News.example.org/2026/mixed', 'https://news.example.org/2026/mixed'],
    ['https://news.example.org:443/x', 'https://news.example.org/x'],
    ['http://news.example.org:80/x', 'http://news.example.org/x'],
    ['https://news.example.org/a/../b', 'https://news.example.org/b'],
    ['https://news.example.org/./c', 'https://news.example.org/c'],
    ['https://news.example.org', 'https://news.example.org/'],
    ['URN:ISBN:0451450523', 'urn:ISBN:0451450523'],
    [
      'Urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
      'urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66',
    ],
    ['MAILTO:a@b.c', 'mailto:a@b.c'],
    ['ftp://X.ORG/y', 'ftp://x.org/y'],
  ])('%s is stored as %s', (id, stored) => {
    const r = normalize(withFront(`id: "${id}"`));
    expect(r.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.article?.id).toBe(stored);
    expect(canonicalId(stored)).toBe(stored);
  });

  it('keeps an id the parser leaves alone byte for byte', () => {
    for (const id of [
      'tag:news.example.org,2026-11-25:my-story',
      'urn:uuid:0b9f4e2c-55a1-4bb2-9d51-8d1f5c0e8a11',
      'https://news.example.org/2026/x?y=1#z',
    ])
      expect(article(withFront(`id: "${id}"`)).id).toBe(id);
  });
});

describe('the rules, as the gate applies them to a record too', () => {
  it('urlProblem: a bad percent-escape and a second # (kept as they are by the URL parser)', () => {
    expect(urlProblem('https://x.org/a%zz')).toMatch(/%/);
    expect(urlProblem('https://x.org/%')).toMatch(/%/);
    expect(urlProblem('https://x.org/#a#b')).toMatch(/second #/);
    expect(urlProblem('https://x.org/a%2Fb#a%23b')).toBeNull();
  });

  it('idProblem: a scheme and nothing else', () => {
    expect(idProblem('x:')).toMatch(/nothing after it/);
    expect(idProblem('x:y')).toBeNull();
  });

  it('tagHostProblem: RFC 4151 DNS names only', () => {
    for (const host of ['news_room.example.org', 'x..org', '-x.org', 'x.org.', 'x-.org'])
      expect(tagHostProblem(host)).toMatch(/not a DNS name/);
    for (const host of ['news.example.org', 'localhost', 'xn--tiri-1xa.example', '192.0.2.1'])
      expect(tagHostProblem(host)).toBeNull();
  });
});

describe('newIdProblem: what the declared id of a new record must be, besides idProblem', () => {
  it.each([
    ['tag:x.org,2026-02-30:a', /2026-02-30 is not a day/],
    ['tag:x.org,2025-02-29:a', /2025-02-29 is not a day/],
    ['tag:x.org,2026-00:a', /2026-00 is not a day/],
    ['tag:x.org,2026-04-31:a', /not a day/],
    ['tag:x.org,2026-01-01:', /nothing after the date/],
    ['tag:x.org,2026:#frag', /nothing after the date/],
    ['javascript:alert(1)', /scheme is javascript:/],
    ['JavaScript:alert(1)', /scheme is javascript:/],
    ['data:,x', /scheme is data:/],
    ['file:///etc/passwd', /scheme is file:/],
  ])('%s is refused', (id, why) => {
    expect(idProblem(id)).toBeNull(); // the feeds carry it: an archived record keeps it
    expect(newIdProblem(id)).toMatch(why);
  });

  it.each([
    'tag:x.org,2024-02-29:a',
    'tag:x.org,2026:a',
    'tag:x.org,2026-12:a',
    'tag:editor@x.org,2026-11-25:a/b',
    'urn:uuid:0b7e6f5c-7d62-4f7e-9d65-3f1f4b3c9a10',
    'https://news.example.org/a',
  ])('%s is accepted', (id) => {
    expect(newIdProblem(id)).toBeNull();
  });
});

describe('a Source: line whose URL is not a clean http(s) URL stays a credit in words', () => {
  const sourceOf = (line: string) =>
    article(`Titlu\n\n${RO_PARAGRAPH}\n\nAl doilea paragraf.\n\n${line}`).source;

  it.each([
    'Source: https://wire.example/a|b',
    'Source: https://x.org/a[1]',
    'Source: https://x.org/a^b',
    'Source: https://x.org/a%zz',
    'Source: https://x.org/%',
    'Source: https://x.org/#a#b',
    // Cut at the space, it linked to https://wire/ (another site), or to another page.
    'Source: https://wire example.com/story',
    'Source: https://wire.example.com/my /story',
    // A word after a URL's path may be the rest of it (`my story`): no link to https://x.org/my
    // under the words "https://x.org/my story"; and alike when it is not (`now`).
    'Source: https://x.org/my story',
    'Source: https://x.org/my/story now',
    'Source: x.org/my story',
    'Source: https://wire.example/story and Reuters',
    'Source: https://x.org/a?q=1 Reuters',
    // Not https://x.org/f.
    'Source: ftp://x.org/f',
  ])('%s', (line) => {
    const source = sourceOf(line);
    expect(source?.url).toBeNull();
    expect(source?.name).toBe(line.slice('Source: '.length));
  });

  it.each([
    ['Source: https://wire.example/a/b', 'https://wire.example/a/b'],
    ['Source: https://wire.example/a%20b#c', 'https://wire.example/a%20b#c'],
    ['Source: https://wire.example/story/ and Reuters', 'https://wire.example/story/'],
    ['Source: https://x.org/my/story — Reuters', 'https://x.org/my/story'],
    ['Source: https://x.org/my/story (Reuters)', 'https://x.org/my/story'],
    ['Source: https://x.org/ my story', 'https://x.org/'],
    ['Source: www.aljazeera.com Doha', 'https://www.aljazeera.com/'],
    ['Source: Reuters, https://x.org/my/story', 'https://x.org/my/story'],
    ['Source: www.aljazeera.com', 'https://www.aljazeera.com/'],
  ])('%s still links', (line, url) => {
    expect(sourceOf(line)?.url).toBe(url);
  });
});
