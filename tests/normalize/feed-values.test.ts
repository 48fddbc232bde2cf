import { describe, expect, it } from 'vitest';
import { toUtcSecond } from '../../src/normalize/dates.js';
import {
  idProblem,
  instantProblem,
  recordValueProblems,
  urlProblem,
} from '../../src/normalize/feed-values.js';
import { detectLanguage } from '../../src/normalize/language.js';
import { feedLanguageProblem, isFeedLanguage } from '../../src/normalize/language-tags.js';
import { MAX_FLOW_DEPTH, yamlTooDeep } from '../../src/normalize/yaml-guard.js';
import { FILE, RO_PARAGRAPH, article, normalize } from './normalize-helpers.js';

/**
 * Values checked at the door (issue 10, part 3): each front matter value below passed the old
 * checks and then failed the feed checks (blocking every new article) or a third-party
 * validator. Each is now refused as the article's own problem, with a message that says why.
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

describe('front matter values the feeds cannot carry are refused at the door', () => {
  it.each([
    ['date: 0000-01-01', /"date".*before 1970-01-01/],
    ['date: 1969-12-31T23:59:59Z', /"date".*before 1970-01-01/],
    ['date: 1970-01-01T01:00:00+01:01', /"date".*before 1970-01-01/],
    ['date: 9999-12-31T23:59:59-23:59', /"date".*after 9999-12-31T23:59:59Z/],
    ['updated: 9999-12-31T23:00:00-01:00', /"updated".*after 9999/],
    ['id: "tag:x.org,2026:a&amp;b"', /"id".*"&"/],
    ['id: "tag:news.example.org,2026:<b>"', /"id".*"<"/],
    [`id: "tag:news.example.org,2026:it's"`, /"id".*"'"/],
    ['id: \'tag:news.example.org,2026:"q"\'', /"id".*"\\""/],
    ['id: "tag:News.Example.org,2026:x"', /"id".*RFC 4151/],
    ['id: "urn:x:{a}"', /"id".*"\{"/],
    ['id: "urn:x:a/b"', /"id".*RFC 8141/],
    ['id: "tag:news.example.org,2026:%zz"', /"id".*%/],
    [`id: "tag:news.example.org,2026:${'a'.repeat(600)}"`, /"id".*over 512/],
    ['language: hms', /"language".*"hms" is not an ISO 639-1 or ISO 639-2/],
    ['language: ckb', /"language".*"ckb"/],
    [`language: ro-${Array(8).fill('abcdefgh').join('-')}`, /"language".*over 35/],
    ['language: ro-1994-1994', /"language".*not a valid BCP 47/],
    ['language: ro_RO', /"language".*not a BCP 47/],
    ['url: "https://news.example.org/a]]>b"', /"url".*"\]".*%5D/],
    ['url: "javascript:alert(1)"', /"url".*scheme is javascript/],
    ['url: "ftp://news.example.org/a"', /"url".*scheme is ftp/],
    ['url: "https://news.example.org/a\\tb"', /"url".*white space/],
    ['url: "https://news.example.org/a b"', /"url".*white space/],
    ['url: "/relative/path"', /"url".*not an absolute URL/],
  ])('%s', (line, why) => {
    expect(refusal(line)).toMatch(why);
  });

  it('accepts the edges and the ordinary values', () => {
    const a = article(
      withFront(
        [
          'date: 1970-01-01T00:00:00Z',
          'updated: 9999-12-31T23:59:59Z',
          'id: "tag:news.example.org,2026-11-25:a-b_c.d~e(1)*!$;=@,/?#frag"',
          'language: en-GB',
          'url: "https://news.example.org/a%5D%5D%3Eb?x=1&y=\'2\'#top"',
        ].join('\n'),
      ),
    );
    expect(a.publishedAt).toBe('1970-01-01T00:00:00Z');
    expect(a.updatedAt).toBe('9999-12-31T23:59:59Z');
    expect(a.language).toBe('en-GB');
    // Non-ASCII in a URL is fine as written: it is serialized percent-encoded.
    expect(article(withFront('url: https://news.example.org/știri')).url).toBe(
      'https://news.example.org/%C8%99tiri',
    );
    expect(article(withFront('id: urn:uuid:0b9f4e2c-55a1-4bb2-9d51-8d1f5c0e8a11')).id).toBe(
      'urn:uuid:0b9f4e2c-55a1-4bb2-9d51-8d1f5c0e8a11',
    );
  });
});

describe('the YAML guard', () => {
  it('refuses 10,000 nested [ as the article’s problem, without running out of memory', () => {
    expect(refusal(`tags: ${'['.repeat(10_000)}`)).toMatch(/nests \[ \] or \{ \} more than 16/);
    expect(refusal(`tags: ${'{a: '.repeat(2_000)}`)).toMatch(/more than 16/);
    expect(refusal(`tags:\n${'- '.repeat(4_000)}x`)).toMatch(/more than 64 columns/);
    expect(refusal(`summary: ${'a'.repeat(20_000)}`)).toMatch(/over 16384/);
  });

  it('counts brackets only where YAML reads them', () => {
    const deep = '['.repeat(MAX_FLOW_DEPTH + 1);
    expect(yamlTooDeep(`title: "${deep}"`)).toBeNull();
    expect(yamlTooDeep(`title: '${deep}'`)).toBeNull();
    expect(yamlTooDeep(`title: x # ${deep}`)).toBeNull();
    expect(yamlTooDeep(`tags: [a, [b, {c: d}]]\ntitle: Ion's [story]`)).toBeNull();
    // A quote inside a plain scalar does not hide what follows it.
    expect(yamlTooDeep(`title: Ion's story\ntags: ${deep}`)).toMatch(/more than 16/);
    expect(yamlTooDeep(`tags: ${'['.repeat(MAX_FLOW_DEPTH)}${']'.repeat(MAX_FLOW_DEPTH)}`)).toBe(
      null,
    );
  });
});

describe('the rules, one by one', () => {
  it('dates: 1970-01-01T00:00:00Z to 9999-12-31T23:59:59Z, after the offset', () => {
    expect(toUtcSecond('1970-01-01')).toBe('1970-01-01T00:00:00Z');
    expect(toUtcSecond('9999-12-31T23:59:59Z')).toBe('9999-12-31T23:59:59Z');
    expect(toUtcSecond('9999-12-31T23:59:59-00:01')).toBeNull();
    expect(toUtcSecond('0000-01-01')).toBeNull();
    expect(instantProblem(Date.UTC(1970, 0, 1) - 1000)).toMatch(/before 1970/);
    expect(instantProblem(Number.NaN)).toMatch(/not a date/);
  });

  it('ids', () => {
    expect(idProblem('tag:news.example.org,2026-11-25:a-title')).toBeNull();
    expect(idProblem('https://news.example.org/a')).toBeNull();
    expect(idProblem('https://news.example.org/a]')).toMatch(/"\]"/);
    expect(idProblem('no-scheme')).toMatch(/not a URI/);
    expect(idProblem('tag:news.example.org,2026-11-25:știri')).toMatch(/"ș"/);
  });

  it('URLs', () => {
    expect(urlProblem('https://news.example.org/a?b=c&d=e')).toBeNull();
    expect(urlProblem('http://[::1]:8080/a')).toMatch(/"\["/);
    expect(urlProblem('https://news.example.org/{x}')).toBeNull(); // serialized as %7Bx%7D
    expect(urlProblem('https://news.example.org/a|b')).toMatch(/"\|"/);
    expect(urlProblem(`https://news.example.org/${'a'.repeat(2100)}`)).toMatch(/over 2048/);
    expect(urlProblem('https://news.example.org/\u0085')).toMatch(/control/);
  });

  it('language tags: ISO 639-1 / 639-2 primary subtags, at most 35 characters', () => {
    for (const ok of ['ro', 'en-GB', 'zh-Hant-TW', 'ron', 'hmn', 'und', 'sr-Latn-RS', 'de-CH-1996'])
      expect(feedLanguageProblem(ok), ok).toBeNull();
    for (const bad of ['hms', 'ckb', 'fuv', 'qug', 'hnj', 'koi', 'skr', 'zgh', 'qaa', 'xx-foo'])
      expect(isFeedLanguage(bad), bad).toBe(false);
    expect(feedLanguageProblem('en-US-u-ca-gregory-nu-latn-hc-h23')).toBeNull(); // 33
    expect(feedLanguageProblem('en-US-u-ca-gregory-nu-latn-hc-h23-x-a')).toMatch(/over 35/);
  });

  // RFC 5646 section 2.1 allows both; ICU refuses them, and they were refused as "a subtag is
  // repeated or misplaced". The W3C validator's ISO 639 list has `x`, but no `i`.
  it('language tags: private use and grandfathered (RFC 5646 sections 2.2.7, 2.2.8)', () => {
    for (const ok of ['x-klingon', 'X-Twain', 'x-a-b', 'en-GB-oed', 'art-lojban', 'zh-min-nan'])
      expect(feedLanguageProblem(ok), ok).toBeNull();
    for (const ok of ['sgn-BE-FR', 'no-bok', 'cel-gaulish', 'EN-gb-OED'])
      expect(feedLanguageProblem(ok), ok).toBeNull();
    expect(feedLanguageProblem('i-klingon')).toMatch(
      /grandfathered tag \(RFC 5646 section 2\.2\.8\), but RSS validators refuse .*"tlh"/,
    );
    expect(feedLanguageProblem('i-default')).toMatch(/grandfathered.*ISO 639 code instead/);
    for (const bad of ['x', 'x-', 'x-toolongsubtag', 'i-foo', 'en-GB-oed-x'])
      expect(isFeedLanguage(bad), bad).toBe(false);
  });

  it('a record: each field that is wrong, by name', () => {
    const good = {
      id: 'tag:news.example.org,2026-11-25:a',
      url: 'https://news.example.org/a',
      language: 'ro',
      publishedAt: '2026-11-25T08:00:00Z',
      updatedAt: '2026-11-25T08:00:00Z',
    };
    expect(recordValueProblems(good)).toEqual([]);
    expect(
      recordValueProblems({
        ...good,
        id: 'tag:x.org,2026:a&amp;b',
        language: 'hms',
        publishedAt: '0000-01-01T00:00:00Z',
        source: { name: 'x', url: 'https://x.org/a|b' },
      }).map((p) => p.split(':')[0]),
    ).toEqual(['id', 'language', 'publishedAt', 'source.url']);
    expect(recordValueProblems({ ...good, source: { name: 'x', url: 'https://x.org/ä' } })).toEqual(
      [expect.stringMatching(/^source\.url: it holds "ä"/)],
    );
    expect(recordValueProblems({ ...good, source: { name: 'x', url: null } })).toEqual([]);
  });
});

describe('a detected language the feeds cannot carry', () => {
  // franc-min scores this Hmong Njua text `hnj`: no ISO 639-1 or 639-2 code, refused by the
  // W3C feed validator (as `hms` was).
  const HMONG =
    'Tsoomfwv tshaj tawm tias lawv yuav pab cov tsev neeg uas tau nyiaj tsawg, thiab tus thawj coj hais tias cov nyiaj yuav mus txog lawv cov nyiaj ua ntej lub hli kawg.';

  it('gives the site language', () => {
    expect(detectLanguage(HMONG, 'ro')).toBeNull();
    expect(article(`Titlu\n\n${HMONG}`, 'ro').language).toBe('ro');
    expect(article(`Titlu\n\n${HMONG}`, 'en-GB').language).toBe('en-GB');
  });
});
