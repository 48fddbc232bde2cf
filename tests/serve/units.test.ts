import { describe, expect, it } from 'vitest';
import { mediaTypeOf } from '../../src/model/media-types.js';
import { OUTPUTS } from '../../src/model/outputs.js';
import { chooseCoding } from '../../src/serve/accept-encoding.js';
import { clfLine, clfTime } from '../../src/serve/access-log.js';
import { cacheControlOf } from '../../src/serve/cache-policy.js';
import { notModified } from '../../src/serve/conditional.js';
import { MAX_TARGET, resolveTarget } from '../../src/serve/resolve-target.js';

/** The pure parts of `serve`, as tables; tests/serve/http.test.ts sends the same over HTTP. */

describe('resolveTarget: a request target to a path under out/, or a refusal', () => {
  it.each([
    ['/', 'index.html'],
    ['/rss.xml', 'rss.xml'],
    ['/rss.xml?utm_source=x', 'rss.xml'],
    ['/archive/2026/11/', 'archive/2026/11/index.html'],
    ['/articles/a%20b.html', 'articles/a b.html'],
    ['//rss.xml', 'rss.xml'],
    ['http://news.example.org/atom.xml', 'atom.xml'],
    ['/%252e%252e/secret', '%2e%2e/secret'],
    ['/articles/%C8%99.html', 'articles/ș.html'],
  ])('%s → %s', (target, path) => {
    expect(resolveTarget(target)).toEqual({ kind: 'file', path });
  });

  it.each([
    ['/../secret.txt', 404],
    ['/a/../../secret.txt', 404],
    ['/%2e%2e/secret.txt', 404],
    ['/%2E%2E/secret.txt', 404],
    ['/.%2e/secret.txt', 404],
    ['/..%2fsecret.txt', 404],
    ['/..%5csecret.txt', 404],
    ['/..\\secret.txt', 404],
    ['/%5c..%5csecret.txt', 404],
    ['/./rss.xml', 404],
    ['/.feedkeeper/published.json', 404],
    ['/.rss.xml.tmp-123', 404],
    ['/rss.xml.gz', 404],
    ['/rss.xml.br', 404],
    ['/articles/gone.html.gone', 404],
    ['/rss.xml%00', 400],
    ['/rss.xml%00.html', 400],
    ['/%0d%0aSet-Cookie:x', 400],
    ['/%zz', 400],
    ['/%', 400],
    ['*', 400],
    ['rss.xml', 400],
    ['/' + 'a'.repeat(MAX_TARGET), 414],
  ])('%s → %i', (target, status) => {
    const r = resolveTarget(target);
    expect(r.kind).toBe('refused');
    expect(r.kind === 'refused' && r.status).toBe(status);
  });
});

describe('chooseCoding: Accept-Encoding with q-values (RFC 9110 section 12.5.3)', () => {
  const both = { br: true, gzip: true };
  it.each([
    [undefined, both, 'identity'],
    ['', both, 'identity'],
    ['gzip', both, 'gzip'],
    ['br', both, 'br'],
    ['gzip, deflate, br', both, 'br'],
    ['gzip, deflate, br, zstd', both, 'br'],
    ['br;q=0.5, gzip', both, 'gzip'],
    ['gzip;q=0.5', both, 'gzip'],
    ['gzip;q=0.5, identity', both, 'identity'],
    ['br;q=0, gzip;q=0', both, 'identity'],
    ['*', both, 'br'],
    ['*;q=0.1, gzip;q=0.2', both, 'gzip'],
    ['*;q=0', both, 'identity'],
    ['GZIP', both, 'gzip'],
    ['x-gzip', both, 'gzip'],
    ['gzip ; q=1.0 , br ; q=0.9', both, 'gzip'],
    ['br', { br: false, gzip: true }, 'identity'],
    ['br, gzip', { br: false, gzip: true }, 'gzip'],
    ['gzip, br', { br: false, gzip: false }, 'identity'],
    ['deflate', both, 'identity'],
  ] as const)('%j with %j → %s', (header, available, coding) => {
    expect(chooseCoding(header, available)).toBe(coding);
  });
});

describe('notModified: If-None-Match wins over If-Modified-Since', () => {
  const etag = '"abc"';
  const lm = Date.parse('2026-11-25T08:00:00Z') / 1000;
  it.each([
    ['"abc"', undefined, true],
    ['W/"abc"', undefined, true],
    ['"x", "abc"', undefined, true],
    ['*', undefined, true],
    ['"abc-gzip"', undefined, false],
    ['"x"', 'Wed, 25 Nov 2026 09:00:00 GMT', false],
    [undefined, 'Wed, 25 Nov 2026 08:00:00 GMT', true],
    [undefined, 'Wed, 25 Nov 2026 09:00:00 GMT', true],
    [undefined, 'Wed, 25 Nov 2026 07:59:59 GMT', false],
    [undefined, 'not a date', false],
    [undefined, undefined, false],
  ])('If-None-Match %j, If-Modified-Since %j → %s', (inm, ims, expected) => {
    expect(notModified(inm, ims, etag, lm)).toBe(expected);
  });
});

describe('media types and Cache-Control', () => {
  it('every row of the outputs table gets its media type with charset=utf-8, also in archive/YYYY/MM/', () => {
    for (const row of OUTPUTS) {
      expect(mediaTypeOf(row.file)).toEqual({
        contentType: `${row.mediaType}; charset=utf-8`,
        compressible: true,
      });
      expect(mediaTypeOf(`archive/2026/11/${row.file}`).contentType).toBe(
        `${row.mediaType}; charset=utf-8`,
      );
    }
  });

  it.each([
    ['index.html', 'text/html; charset=utf-8', true],
    ['style.css', 'text/css; charset=utf-8', true],
    ['sitemap.xml', 'application/xml; charset=utf-8', true],
    ['logo.png', 'image/png', false],
    ['README', 'application/octet-stream', false],
  ])('%s → %s', (file, contentType, compressible) => {
    expect(mediaTypeOf(file)).toEqual({ contentType, compressible });
  });

  it('nothing is immutable today: feeds, pages and archive documents all change', () => {
    for (const f of ['rss.xml', 'index.html', 'articles/a.html', 'archive/2020/01/atom.xml'])
      expect(cacheControlOf(f)).toBe('max-age=300');
  });
});

describe('the access log: Common Log Format, one line, nothing forged', () => {
  it('formats a request', () => {
    const t = clfTime(Date.parse('2026-11-29T20:33:53Z'));
    expect(t).toBe('29/Nov/2026:20:33:53 +0000');
    expect(clfLine('127.0.0.1', t, 'GET', '/rss.xml', '1.1', 200, 5120)).toBe(
      '127.0.0.1 - - [29/Nov/2026:20:33:53 +0000] "GET /rss.xml HTTP/1.1" 200 5120\n',
    );
    expect(clfLine('::1', t, 'HEAD', '/', '1.1', 304, 0)).toBe(
      '::1 - - [29/Nov/2026:20:33:53 +0000] "HEAD / HTTP/1.1" 304 -\n',
    );
  });

  it('escapes quotes, backslashes and control characters', () => {
    const line = clfLine(
      '1.2.3.4',
      'T',
      'GET',
      '/a"b\\c\n127.0.0.1 - - [x] "GET / HTTP/1.1" 200 1',
      '1.1',
      404,
      10,
    );
    expect(line.split('\n')).toHaveLength(2);
    expect(line).toContain('/a\\x22b\\x5cc\\x0a127.0.0.1');
  });
});
