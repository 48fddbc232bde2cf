import { describe, expect, it } from 'vitest';
import { ConfigError, resolveConfig } from '../../src/config/load-config.js';
import type { NormalizedArticle } from '../../src/model/record.js';
import { fileNameDate, resolveDates, type DateSource } from '../../src/normalize/date-sources.js';
import { BASE_CONFIG } from '../helpers.js';

/** Where dates come from (normalize/date-sources.ts): the order is the site's choice. */
const article = (
  publishedAt: string | null,
  updatedAt: string | null = null,
): NormalizedArticle => ({
  title: 'T',
  section: null,
  tags: [],
  language: 'en',
  summary: 's',
  body: [{ type: 'paragraph', text: 's' }],
  source: null,
  authors: [],
  wordCount: 1,
  url: null,
  id: null,
  publishedAt,
  updatedAt,
  slugBase: 't',
  fingerprint: 'f',
});
const NOW = '2026-11-25T08:00:00Z';
const MTIME = Date.parse('2024-05-06T07:08:09.500Z');
const facts = (path: string, mtimeMs = MTIME) => ({ path, mtimeMs, now: NOW });

describe('fileNameDate (Jekyll: YYYY-MM-DD at the start of the file name)', () => {
  it.each([
    ['archive/articles/2019-01-01_report.txt', '2019-01-01T00:00:00Z'],
    ['archive/articles/2019/2019-12-31-jekyll-post.md', '2019-12-31T00:00:00Z'],
    ['2020-02-29.txt', '2020-02-29T00:00:00Z'],
    ['archive/articles/2019-02-30_not-a-day.txt', null],
    ['archive/articles/2019-01-011_more-digits.txt', null],
    ['archive/articles/report-2019-01-01.txt', null],
    ['archive/2019-01-01/report.txt', null],
  ])('%s → %s', (path, expected) => {
    expect(fileNameDate(path)).toBe(expected);
  });
});

describe('resolveDates', () => {
  const cases: [
    string,
    DateSource[],
    NormalizedArticle,
    string,
    string | null,
    DateSource,
    DateSource,
  ][] = [
    // name, sources, article, path, publishedAt, publishedFrom, updatedFrom
    [
      'front matter first',
      ['frontMatter', 'fileName', 'firstSeen'],
      article('2026-01-02T03:04:05Z'),
      '2019-01-01_x.txt',
      '2026-01-02T03:04:05Z',
      'frontMatter',
      'frontMatter',
    ],
    [
      'file name when front matter has none',
      ['frontMatter', 'fileName', 'firstSeen'],
      article(null),
      '2019-01-01_x.txt',
      '2019-01-01T00:00:00Z',
      'fileName',
      'fileName',
    ],
    [
      'file name first (Hugo ":filename" first)',
      ['fileName', 'frontMatter'],
      article('2026-01-02T03:04:05Z'),
      '2019-01-01_x.txt',
      '2019-01-01T00:00:00Z',
      'fileName',
      'fileName',
    ],
    [
      'first archive time when nothing has a date',
      ['frontMatter', 'fileName', 'firstSeen'],
      article(null),
      'x.txt',
      null,
      'firstSeen',
      'firstSeen',
    ],
    [
      'mtime, opted in, whole seconds',
      ['frontMatter', 'fileName', 'fileMtime'],
      article(null),
      'x.txt',
      '2024-05-06T07:08:09Z',
      'fileMtime',
      'fileMtime',
    ],
    [
      'mtime not used unless listed',
      ['fileName'],
      article(null),
      'x.txt',
      null,
      'firstSeen',
      'firstSeen',
    ],
  ];
  it.each(cases)('%s', (_, sources, a, path, publishedAt, publishedFrom, updatedFrom) => {
    const r = resolveDates(a, facts(path), sources);
    expect(r.article.publishedAt).toBe(publishedAt);
    expect(r.origin).toEqual({ publishedFrom, updatedFrom });
    expect(r.issues).toEqual([]);
  });

  it('passes over a modification time before 1970, with a warning (it minted a record no feed could carry)', () => {
    const old = resolveDates(article(null), facts('x.txt', Date.parse('1960-01-01T00:00:00Z')), [
      'fileMtime',
      'firstSeen',
    ]);
    expect(old.article.publishedAt).toBeNull();
    expect(old.origin.publishedFrom).toBe('firstSeen');
    expect(old.issues.map((i) => `${i.code} ${i.severity}`)).toEqual([
      'DATE_MTIME_IGNORED warning',
    ]);
    expect(old.issues[0]?.message).toContain('1960-01-01T00:00:00.000Z');
    // Not asked (an earlier source dated it): not a word.
    const named = resolveDates(
      article(null),
      facts('2019-01-01_x.txt', Date.parse('1960-01-01T00:00:00Z')),
      ['fileName', 'fileMtime'],
    );
    expect(named.article.publishedAt).toBe('2019-01-01T00:00:00Z');
    expect(named.issues).toEqual([]);
  });

  it('takes `updated` in the same order: front matter, then the modification time', () => {
    const fm = resolveDates(article(null, '2026-02-01T00:00:00Z'), facts('2019-01-01_x.txt'), [
      'frontMatter',
      'fileName',
      'fileMtime',
    ]);
    expect(fm.article).toMatchObject({
      publishedAt: '2019-01-01T00:00:00Z',
      updatedAt: '2026-02-01T00:00:00Z',
    });
    expect(fm.origin).toEqual({ publishedFrom: 'fileName', updatedFrom: 'frontMatter' });
    const mt = resolveDates(article(null), facts('2019-01-01_x.txt'), ['fileName', 'fileMtime']);
    expect(mt.article.updatedAt).toBe('2024-05-06T07:08:09Z');
    expect(mt.origin).toEqual({ publishedFrom: 'fileName', updatedFrom: 'fileMtime' });
  });

  it('declares front matter and file name dates to the identity planner, never a modification time', () => {
    expect(resolveDates(article(null), facts('2019-01-01_x.txt')).declared).toBe(
      '2019-01-01T00:00:00Z',
    );
    expect(resolveDates(article(null), facts('x.txt'), ['fileMtime']).declared).toBeNull();
    expect(resolveDates(article(null), facts('x.txt')).declared).toBeNull();
  });

  it('never takes a modification time later than the clock (a file touched into the future is no embargo)', () => {
    const r = resolveDates(article(null), facts('x.txt', Date.parse('2030-01-01T00:00:00Z')), [
      'fileMtime',
    ]);
    expect(r.article.publishedAt).toBe(NOW);
  });

  it('refuses a front-matter date after the clock that the sources do not use (an embargo would leak)', () => {
    const later = article('2026-12-25T09:00:00Z');
    const after = resolveDates(later, facts('2026-11-20-x.md'), ['fileName', 'frontMatter']);
    expect(after.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_SOURCE_UNUSED',
        severity: 'error',
        message: expect.stringContaining(
          'dates.sources takes its file name first: it would be published on 2026-11-20T00:00:00Z',
        ) as string,
      }),
    ]);
    // Used, or past, or a later date wins anyway: nothing leaks, nothing to say.
    expect(resolveDates(later, facts('2026-11-20-x.md')).issues).toEqual([]);
    const past = article('2026-11-01T00:00:00Z');
    expect(resolveDates(past, facts('x.md'), ['firstSeen']).issues).toEqual([]);
    expect(resolveDates(later, facts('2026-12-31-x.md'), ['fileName']).issues).toEqual([]);
  });

  it('passes over an update declared after the clock and the publication, with a warning', () => {
    // 2036 for 2026: taken as it was, it was published at once and pinned the feed date there.
    const typo = resolveDates(
      article('2026-11-01T00:00:00Z', '2036-11-02T00:00:00Z'),
      facts('x.md'),
      ['frontMatter'],
    );
    // No other source: no update date (the record's is then its publication date).
    expect(typo.article.updatedAt).toBeNull();
    expect(typo.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_UPDATED_AHEAD',
        severity: 'warning',
        // Taken by the first run at or after its time (tests/pipeline/update-ahead.test.ts).
        message: expect.stringMatching(
          /2036-11-02T00:00:00Z .*The first run at or after 2036-11-02T00:00:00Z takes it: the record's update date becomes 2036-11-02T00:00:00Z/,
        ) as string,
      }),
    ]);
    // An update already past, or one not after an embargoed publication, is taken as it is.
    const past = resolveDates(
      article('2026-11-01T00:00:00Z', '2026-11-02T00:00:00Z'),
      facts('x.md'),
      ['frontMatter'],
    );
    expect([past.article.updatedAt, past.issues]).toEqual(['2026-11-02T00:00:00Z', []]);
    const embargoed = resolveDates(
      article('2026-12-24T00:00:00Z', '2026-12-24T00:00:00Z'),
      facts('x.md'),
      ['frontMatter'],
    );
    expect([embargoed.article.updatedAt, embargoed.issues]).toEqual(['2026-12-24T00:00:00Z', []]);
  });

  // Found by an outside try: an update declared before the publication was dropped silently
  // (the record's update date is its publication date then).
  it('warns of an update declared before the publication, naming both dates', () => {
    const before = resolveDates(
      article('2026-11-30T10:00:00Z', '2026-11-20T09:00:00Z'),
      facts('x.md'),
      ['frontMatter'],
    );
    expect(before.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_UPDATED_BEFORE',
        severity: 'warning',
        message: expect.stringMatching(
          /update on 2026-11-20T09:00:00Z .*before its publication on 2026-11-30T10:00:00Z/,
        ) as string,
      }),
    ]);
    const same = resolveDates(
      article('2026-11-30T10:00:00Z', '2026-11-30T10:00:00Z'),
      facts('x.md'),
      ['frontMatter'],
    );
    expect(same.issues).toEqual([]);
  });

  it('warns, naming the date and its source, when it is more than a year ahead', () => {
    const near = resolveDates(article('2027-11-24T00:00:00Z'), facts('x.txt'));
    expect(near.issues).toEqual([]);
    const far = resolveDates(article(null), facts('archive/articles/2062-11-25-typo.md'));
    expect(far.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_FAR_AHEAD',
        severity: 'warning',
        file: 'archive/articles/2062-11-25-typo.md',
        message: expect.stringContaining('is dated 2062-11-25T00:00:00Z (from its file name)'),
      }),
    ]);
  });
});

describe('a file name whose date cannot be used', () => {
  it.each([
    [
      'archive/articles/1969-07-20-moon.txt',
      /1969-07-20 is not a date feeds can carry: it is before 1970-01-01/,
    ],
    ['archive/articles/0000-01-01-zero.txt', /0000-01-01 is not a date feeds can carry/],
    ['archive/articles/2019-02-30-not-a-day.txt', /2019-02-30 is not a day of the calendar/],
  ])('%s: a warning says so, and which source dated it instead', (path, why) => {
    const r = resolveDates(article(null), facts(path));
    expect(r.origin.publishedFrom).toBe('firstSeen');
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'DATE_IN_NAME_IGNORED',
        severity: 'warning',
        file: path,
        message: expect.stringMatching(why),
      }),
    ]);
    expect(r.issues[0]!.message).toContain('it is dated from its first archive time instead');
  });

  it('says nothing when the name was not asked, or names no date, or a good one', () => {
    const moon = 'archive/articles/1969-07-20-moon.txt';
    expect(resolveDates(article('2020-01-01T00:00:00Z'), facts(moon)).issues).toEqual([]);
    expect(resolveDates(article(null), facts(moon), ['frontMatter', 'firstSeen']).issues).toEqual(
      [],
    );
    expect(resolveDates(article(null), facts('archive/articles/report.txt')).issues).toEqual([]);
    expect(resolveDates(article(null), facts('archive/articles/2019-01-01-ok.txt')).issues).toEqual(
      [],
    );
  });
});

describe('dates.sources in the configuration', () => {
  const messageOf = (sources: unknown): string => {
    try {
      resolveConfig({ ...BASE_CONFIG, dates: { sources } }, '/tmp');
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('expected a ConfigError');
  };

  it('defaults to front matter, file name, first archive time', () => {
    expect(resolveConfig(BASE_CONFIG, '/tmp').config.dates.sources).toEqual([
      'frontMatter',
      'fileName',
      'firstSeen',
    ]);
    expect(
      resolveConfig({ ...BASE_CONFIG, dates: { sources: ['fileName', 'fileMtime'] } }, '/tmp')
        .config.dates.sources,
    ).toEqual(['fileName', 'fileMtime']);
  });

  it.each([
    [['frontMatter', 'title'], 'dates.sources'],
    [['fileName', 'fileName'], 'names a source twice'],
    [['firstSeen', 'fileMtime'], 'put "firstSeen" last'],
    // Found by an outside try: every front-matter date, embargoes included, was ignored.
    [['fileMtime', 'frontMatter'], 'put "fileMtime" after them'],
    [['fileName', 'fileMtime', 'fileName'], 'names a source twice'],
    [[], 'dates.sources'],
  ])('refuses %j', (sources, expected) => {
    expect(messageOf(sources)).toContain(expected);
  });
});
