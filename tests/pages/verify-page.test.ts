import { describe, expect, it } from 'vitest';
import type { ArchiveRecord } from '../../src/model/record.js';
import { renderArticlePage, renderWithdrawnPage } from '../../src/render/article-page.js';
import { renderFrontPage, renderMonthPage } from '../../src/render/list-pages.js';
import { hrefFrom, pagePlaceOf } from '../../src/render/page-paths.js';
import { Checker } from '../../src/validate/checker.js';
import { itemOf, type ExpectedPage } from '../../src/validate/expected-page.js';
import { PageProof } from '../../src/validate/page-proof.js';
import { verifyPage } from '../../src/validate/verify-page.js';
import { FILE, record, site } from './page-fixtures.js';

const revised: ArchiveRecord = { ...record, updatedAt: '2026-11-26T09:30:00Z' };

const problems = (text: string, file: string, expected: ExpectedPage): string[] => {
  const c = new Checker(`out/${file}`);
  verifyPage(c, text, file, expected, site);
  return c.issues.map((i) => `${i.code} ${i.element ?? ''}`);
};

/** Change the page and make sure the change happened (a no-op edit proves nothing). */
const edit = (text: string, from: string | RegExp, to: string): string => {
  const out = text.replace(from, to);
  expect(out).not.toBe(text);
  return out;
};

describe('article page', () => {
  const page = renderArticlePage(site, revised, FILE);
  const article: ExpectedPage = { kind: 'article', record: revised };

  it('passes the gate: valid HTML that says what the record says', () => {
    expect(problems(page, FILE, article)).toEqual([]);
    expect(page).toContain('<html lang="ro">');
    expect(page).toContain('<h2>Rol mai activ?</h2>');
    expect(page).toContain('Actualizat <time datetime="2026-11-26T09:30:00Z">');
    expect(page).toContain('"@type":"NewsArticle"');
    expect(page).toContain('"isBasedOn":"https://www.aljazeera.com/"');
    expect(page).toContain('<meta property="og:type" content="article">');
    // Escaped wherever it lands: text, attribute, JSON-LD.
    expect(page).toContain('Știri &amp; &lt;traduse&gt;');
    expect(page).not.toContain('<traduse>');
    expect(renderArticlePage(site, revised, FILE)).toBe(page); // same bytes every time
  });

  it('a record whose text looks like markup is shown as text, and JSON-LD hides every <', () => {
    const hostile: ArchiveRecord = {
      ...record,
      title: '</script><script>alert(1)</script> & "quotes"',
      summary: '<!-- not a comment -->',
      body: [{ type: 'paragraph', text: '<img src=x onerror=alert(1)>' }],
    };
    const text = renderArticlePage(site, hostile, FILE);
    expect(problems(text, FILE, { kind: 'article', record: hostile })).toEqual([]);
    expect(text).toContain('"headline":"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(text).not.toContain('<img');
  });

  it("isolates a title's bidirectional controls from the site's name in <title>", () => {
    // An override left open turned " – Site" around in tabs and bookmarks (UAX #9: PDI closes it).
    const spoof: ArchiveRecord = { ...record, title: 'Price \u202E01 USD' };
    const text = renderArticlePage(site, spoof, FILE);
    expect(text).toContain('<title>\u2068Price \u202E01 USD\u2069 – ');
    expect(problems(text, FILE, { kind: 'article', record: spoof })).toEqual([]);
    const notIsolated = edit(text, '\u2068', '').replace('\u2069', '');
    expect(problems(notIsolated, FILE, { kind: 'article', record: spoof })).toEqual([
      'PAGE_MISMATCH title',
    ]);
    // Without them, the title is as it was (every other page keeps its bytes).
    expect(page).not.toContain('\u2068');
  });

  const broken: [string, (t: string) => string, string][] = [
    [
      'a heading turned into a paragraph',
      (t) => edit(t, '<h2>Rol', '<p>Rol').replace('?</h2>', '?</p>'),
      'PAGE_MISMATCH div.body',
    ],
    [
      'a dropped paragraph',
      (t) => edit(t, /<p>Lukașenko a declarat[^\n]*\n/, ''),
      'PAGE_MISMATCH div.body',
    ],
    [
      'a script',
      (t) => edit(t, '<div class="body">', '<div class="body">\n<script>alert(1)</script>'),
      'PAGE_ELEMENT script',
    ],
    [
      'an event handler',
      (t) => edit(t, '<h1>', '<h1 onclick="alert(1)">'),
      'PAGE_ATTRIBUTE h1/@onclick',
    ],
    [
      'a javascript: link',
      (t) => edit(t, 'href="https://www.aljazeera.com/"', 'href="javascript:alert(1)"'),
      'PAGE_URL a/@href',
    ],
    [
      'a stylesheet from a CDN',
      (t) =>
        edit(t, '<style>', '<link rel="stylesheet" href="https://cdn.example.com/a.css">\n<style>'),
      'PAGE_EXTERNAL_REQUEST link[@rel="stylesheet"]',
    ],
    [
      'a web font',
      (t) => edit(t, ':root{', '@import url(https://fonts.example.com/f.css);:root{'),
      'PAGE_EXTERNAL_REQUEST style',
    ],
    [
      'a raw < in JSON-LD',
      (t) => edit(t, '"@type":"NewsArticle"', '"@type":"NewsArticle","x":"<b>"'),
      'PAGE_JSONLD script[@type="application/ld+json"]',
    ],
    [
      'a missing autodiscovery link',
      (t) => edit(t, /<link rel="alternate" type="application\/atom\+xml"[^\n]*\n/, ''),
      'PAGE_AUTODISCOVERY head/link[@rel="alternate"]',
    ],
    [
      'a wrong feed media type',
      (t) => edit(t, 'type="application/feed+json" title', 'type="application/json" title'),
      'PAGE_AUTODISCOVERY head/link[@rel="alternate"]',
    ],
    [
      'the wrong language',
      (t) => edit(t, '<html lang="ro">', '<html lang="en">'),
      'PAGE_MISMATCH html/@lang',
    ],
    [
      'another canonical link',
      (t) =>
        edit(
          t,
          `<link rel="canonical" href="${record.url}">`,
          '<link rel="canonical" href="https://news.example.org/other.html">',
        ),
      'PAGE_MISMATCH link[@rel="canonical"]',
    ],
    [
      'a wrong publication date',
      (t) =>
        edit(
          t,
          `<time datetime="${record.publishedAt}">`,
          '<time datetime="2020-01-01T00:00:00Z">',
        ),
      'PAGE_MISMATCH p.meta/time/@datetime',
    ],
    [
      'no updated line',
      (t) => edit(t, /<p class="meta updated">[^\n]*\n/, ''),
      'PAGE_MISMATCH p.updated/time/@datetime',
    ],
    [
      'a swapped title',
      (t) => edit(t, /<h1>[^<]*<\/h1>/, '<h1>Another title</h1>'),
      'PAGE_MISMATCH h1',
    ],
    [
      'no source credit',
      (t) => edit(t, /<p class="source">[^\n]*\n/, ''),
      'PAGE_MISMATCH p.source',
    ],
    [
      'a source link leading to the article itself',
      (t) => edit(t, 'href="https://www.aljazeera.com/"', `href="${record.url}"`),
      'PAGE_MISMATCH p.source/a/@href',
    ],
    [
      'a source credit without its link',
      (t) => edit(t, /<a href="https:\/\/www\.aljazeera\.com\/">([^<]*)<\/a>/, '$1'),
      'PAGE_MISMATCH p.source/a/@href',
    ],
    [
      'a JSON-LD date',
      (t) =>
        edit(t, `"dateModified":"${revised.updatedAt}"`, '"dateModified":"2030-01-01T00:00:00Z"'),
      'PAGE_MISMATCH NewsArticle/dateModified',
    ],
    [
      'invalid nesting',
      (t) => edit(t, '<div class="body">\n<p>', '<div class="body">\n<p><div></div>'),
      'HTML_INVALID',
    ],
  ];
  for (const [what, change, code] of broken)
    it(`refuses ${what} (${code})`, () => {
      const got = problems(change(page), FILE, article);
      expect(got.some((g) => g.startsWith(code))).toBe(true);
    });

  it('refuses a page at another record URL, and a page nobody asked for', () => {
    expect(problems(page, 'articles/other.html', article)).toContain('PAGE_MISMATCH (file)');
    const c = new Checker('out/x.html');
    verifyPage(c, page, 'x.html', undefined, site);
    expect(c.issues.map((i) => i.code)).toEqual(['PAGE_UNEXPECTED']);
  });
});

describe('withdrawn notice page', () => {
  const gone: ArchiveRecord = { ...record, withdrawnAt: '2026-11-27T10:00:00Z' };
  const page = renderWithdrawnPage(site, gone, FILE);
  const expected: ExpectedPage = { kind: 'withdrawn', record: gone };
  it('keeps the title and the date, no body, a link home, noindex', () => {
    expect(problems(page, FILE, expected)).toEqual([]);
    expect(page).toContain('Acest articol a fost retras la <time datetime="2026-11-27T10:00:00Z">');
    expect(page).toContain('<meta name="robots" content="noindex">');
    expect(page).not.toContain('Lukașenko a declarat');
    expect(page).not.toContain('rel="canonical"');
  });
  it('refuses a notice that still shows the body, or the wrong date', () => {
    const withBody = edit(page, '</h1>', '</h1>\n<div class="body"><p>x</p></div>');
    expect(problems(withBody, FILE, expected)).toContain('PAGE_MISMATCH article');
    const wrongDate = edit(
      page,
      'datetime="2026-11-27T10:00:00Z"',
      'datetime="2026-11-28T10:00:00Z"',
    );
    expect(problems(wrongDate, FILE, expected)).toContain('PAGE_MISMATCH p.notice/time/@datetime');
  });

  // The outside try of the gate (attackE AP22, AP24): a notice page that showed the retracted
  // body as plain paragraphs, or lost `noindex`, was published; any element the notice template
  // does not write is refused, read by either reader (validate/page-proof.ts).
  const proofProblems = (text: string): string[] => {
    const c = new Checker(`out/${FILE}`);
    new PageProof(false).verify(c, text, FILE, expected, site);
    return c.issues.map((i) => `${i.code} ${i.element ?? ''}`);
  };
  it.each<[string, (t: string) => string]>([
    [
      'the body as paragraphs (AP22)',
      (t) =>
        edit(
          t,
          '<article class="withdrawn">',
          '<article class="withdrawn"><p>Lukașenko a declarat.</p>\n<h2>Rol mai activ?</h2>',
        ),
    ],
    ['no noindex (AP24)', (t) => edit(t, '<meta name="robots" content="noindex">\n', '')],
    [
      'robots index',
      (t) =>
        edit(t, '<meta name="robots" content="noindex">', '<meta name="robots" content="all">'),
    ],
    [
      'an og:description with the summary',
      (t) =>
        edit(
          t,
          '<style>',
          `<meta property="og:description" content="${gone.summary.replace(/"/g, '&quot;')}">\n<style>`,
        ),
    ],
    [
      'a meta description',
      (t) =>
        edit(
          t,
          '<meta name="robots"',
          '<meta name="description" content="x">\n<meta name="robots"',
        ),
    ],
    ['a paragraph after the notice', (t) => edit(t, '</article>', '<p>More.</p>\n</article>')],
  ])('refuses a notice page with %s', (_what, fault) => {
    const faulty = fault(page);
    expect(problems(faulty, FILE, expected)).toContain('PAGE_MISMATCH (notice page)');
    expect(proofProblems(faulty)).toContain('PAGE_MISMATCH (notice page)');
    expect(proofProblems(page)).toEqual([]);
  });
  it('refuses a notice that says another title or word than its record and language', () => {
    const otherTitle = edit(page, '<title>Retras: ', '<title>Retras la: ');
    expect(problems(otherTitle, FILE, expected)).toContain('PAGE_MISMATCH title');
    const english = edit(page, 'Acest articol a fost retras la', 'This article was withdrawn on');
    expect(problems(english, FILE, expected)).toContain('PAGE_MISMATCH p.notice');
  });
});

describe('front and month pages', () => {
  const other: ArchiveRecord = {
    ...record,
    id: 'tag:news.example.org,2026-11-26:second',
    slug: 'second',
    url: 'https://news.example.org/2026/11/second',
    title: 'Second <story>',
    publishedAt: '2026-11-26T08:00:00Z',
    updatedAt: '2026-11-26T08:00:00Z',
    language: 'en',
  };
  const listed = (r: ArchiveRecord) => ({
    id: r.id,
    title: r.title,
    url: r.url,
    file: (() => {
      const p = pagePlaceOf(r.url, site.baseUrl);
      return p.kind === 'page' ? p.file : null;
    })(),
    publishedAt: r.publishedAt,
    summary: r.summary,
    language: r.language,
  });
  const front = renderFrontPage(
    site,
    [listed(other), listed(record)],
    [
      { month: '2026/11', count: 2 },
      { month: '2026/10', count: 1 },
    ],
  );
  const frontExpected: ExpectedPage = {
    kind: 'front',
    latest: [itemOf(other), itemOf(record)],
    months: [
      { month: '2026/11', count: 2 },
      { month: '2026/10', count: 1 },
    ],
  };
  it('front page: the newest first with their language, every month, the feeds', () => {
    expect(problems(front, 'index.html', frontExpected)).toEqual([]);
    expect(front).toContain('<li lang="en">\n<a href="2026/11/second/">Second &lt;story&gt;</a>');
    expect(front).toContain('<a href="archive/2026/10/">2026-10</a>');
    expect(front).toContain('<a href="rss.xml" type="application/rss+xml">RSS</a>');
  });
  it('front page: refuses a missing article, the wrong order and a missing month', () => {
    const missing = edit(front, /<li lang="en">[\s\S]*?<\/li>\n/, '');
    expect(problems(missing, 'index.html', frontExpected)).toContain(
      'PAGE_MISMATCH section.latest/ol',
    );
    const reordered = renderFrontPage(
      site,
      [listed(record), listed(other)],
      [
        { month: '2026/11', count: 2 },
        { month: '2026/10', count: 1 },
      ],
    );
    expect(problems(reordered, 'index.html', frontExpected)).toContain(
      'PAGE_MISMATCH section.latest/ol/li[1]',
    );
    const noMonth = edit(front, /<li><a href="archive\/2026\/10\/">[^\n]*\n/, '');
    expect(problems(noMonth, 'index.html', frontExpected)).toContain(
      'PAGE_MISMATCH section.months',
    );
  });
  it('month page: every article of the month and its neighbours', () => {
    const file = 'archive/2026/11/index.html';
    const month = renderMonthPage(site, '2026/11', [listed(other), listed(record)], {
      newer: null,
      older: '2026/10',
    });
    const expected: ExpectedPage = {
      kind: 'month',
      month: '2026/11',
      items: [itemOf(record), itemOf(other)],
      newer: null,
      older: '2026/10',
      part: null,
    };
    expect(problems(month, file, expected)).toEqual([]);
    expect(month).toContain('<a href="../../../2026/11/second/">');
    expect(problems(month, file, { ...expected, older: '2026/09' })).toContain(
      'PAGE_MISMATCH nav/a[@rel="prev"]',
    );
    expect(problems(month, file, { ...expected, items: [itemOf(record)] })).toContain(
      'PAGE_MISMATCH main/ol',
    );
  });
});

describe('a month in three parts (model/month-parts.ts)', () => {
  const base = 'https://news.example.org';
  const item = (i: number) => ({
    id: `tag:news.example.org,2026-11-01:p-${i}`,
    title: `Part story ${i}`,
    url: `${base}/articles/p-${i}.html`,
    file: `articles/p-${i}.html`,
    publishedAt: `2026-11-${String(1 + Math.floor(i / 12)).padStart(2, '0')}T${String((i % 12) * 2).padStart(2, '0')}:00:00Z`,
    summary: '',
    language: 'ro',
  });
  const names = ['2026/11', '2026/11/2', '2026/11/3'];
  const contents = names.map((name, k) => ({ name, from: item(k * 100).publishedAt }));
  const folder = (name: string): string => `${base}/archive/${name}/`;
  const partPage = (n: number): { file: string; text: string; expected: ExpectedPage } => {
    const name = names[n - 1] ?? '';
    const items = Array.from({ length: n === 3 ? 50 : 100 }, (_, i) => item((n - 1) * 100 + i));
    const newestFirst = [...items].reverse();
    return {
      file: `archive/${name}/index.html`,
      text: renderMonthPage(
        site,
        '2026/11',
        newestFirst,
        { newer: '2026/12', older: '2026/10' },
        {
          name,
          number: n,
          of: 3,
          from: items[0]?.publishedAt ?? '',
          to: items[items.length - 1]?.publishedAt ?? '',
          contents,
          feeds: true,
        },
      ),
      expected: {
        kind: 'month',
        month: '2026/11',
        items: newestFirst.map((m) => ({ ...m })),
        newer: n === 1 ? '2026/12' : null,
        older: n === 1 ? '2026/10' : null,
        part: {
          name,
          older: n > 1 ? folder(names[n - 2] ?? '') : null,
          newer: n < 3 ? folder(names[n] ?? '') : null,
          contents: n === 1 ? names.map(folder) : [],
          feeds: ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `${folder(name)}${f}`),
          first: n === 1 ? null : folder('2026/11'),
          span: [items[0]?.publishedAt ?? '', items[items.length - 1]?.publishedAt ?? ''],
        },
      },
    };
  };

  it('each part passes the gate, links the parts beside it and its own feed documents', () => {
    for (const n of [1, 2, 3]) {
      const { file, text, expected } = partPage(n);
      expect(problems(text, file, expected), file).toEqual([]);
    }
    const second = partPage(2).text;
    expect(second).toContain(
      '<a class="newer-part" href="../../../../archive/2026/11/3/">Mai noi: Partea 3</a>',
    );
    expect(second).toContain(
      '<a class="older-part" href="../../../../archive/2026/11/">Mai vechi: Partea 1</a>',
    );
    expect(second).toContain(
      '<a class="first-part" href="../../../../archive/2026/11/">Articolele din 2026-11</a>',
    );
    expect(second).toContain(
      '<a href="../../../../archive/2026/11/2/rss.xml" type="application/rss+xml">RSS</a>',
    );
    expect(second).not.toContain('rel="next"');
    const first = partPage(1).text;
    expect(first).toContain(
      '<a href="../../../archive/2026/11/3/">Partea 3</a> (din <time datetime="2026-11-17T16:00:00Z">',
    );
    expect(first).toContain('rel="next">Mai noi: 2026-12</a>');
  });

  const broken: [string, number, (t: string) => string, string][] = [
    [
      'a wrong date span',
      2,
      (t) => edit(t, /(<p class="meta">[^<]*<time datetime=")[^"]*"/, '$12026-11-01T00:00:00Z"'),
      'PAGE_MISMATCH p.meta/time',
    ],
    [
      'a lost link to the newer part',
      2,
      (t) => edit(t, /<li><a class="newer-part"[^\n]*\n/, ''),
      'PAGE_MISMATCH nav/a.newer-part',
    ],
    [
      'a link to the wrong older part',
      3,
      (t) =>
        edit(
          t,
          'class="older-part" href="../../../../archive/2026/11/2/"',
          'class="older-part" href="../../../../archive/2026/11/"',
        ),
      'PAGE_MISMATCH nav/a.older-part',
    ],
    [
      'a part missing from the first part',
      1,
      (t) => edit(t, /<li><a href="..\/..\/..\/archive\/2026\/11\/2\/">[^\n]*\n/, ''),
      'PAGE_MISMATCH section.parts',
    ],
    [
      "another part's feed",
      2,
      (t) => edit(t, '/2026/11/2/atom.xml"', '/2026/11/3/atom.xml"'),
      'PAGE_MISMATCH p.feeds',
    ],
    [
      'no way back to the first part',
      3,
      (t) => edit(t, /<li><a class="first-part"[^\n]*\n/, ''),
      'PAGE_MISMATCH nav/a.first-part',
    ],
    [
      'neighbour months on a later part',
      2,
      (t) =>
        edit(
          t,
          '<li><a class="first-part"',
          '<li><a href="../../12/" rel="next">Mai noi: 2026-12</a></li>\n<li><a class="first-part"',
        ),
      'PAGE_MISMATCH nav/a[@rel="next"]',
    ],
    [
      'the canonical link of the first part',
      2,
      (t) => edit(t, `href="${base}/archive/2026/11/2/"`, `href="${base}/archive/2026/11/"`),
      'PAGE_MISMATCH link[@rel="canonical"]',
    ],
  ];
  for (const [what, n, breakIt, code] of broken)
    it(`refuses ${what} (${code})`, () => {
      const { file, text, expected } = partPage(n);
      expect(problems(breakIt(text), file, expected)).toContain(code);
    });

  it('a month of one part renders as before months had parts (the same bytes)', () => {
    const items = [item(1), item(0)];
    const one = {
      name: '2026/11',
      number: 1,
      of: 1,
      from: item(0).publishedAt,
      to: item(1).publishedAt,
      contents: [],
      feeds: true,
    };
    const without = renderMonthPage(site, '2026/11', items, { newer: null, older: '2026/10' });
    expect(renderMonthPage(site, '2026/11', items, { newer: null, older: '2026/10' }, one)).toBe(
      without,
    );
    expect(without).not.toContain('class="feeds"');
  });

  it('refuses a part page where the records say the month has one part', () => {
    const { file, text, expected } = partPage(1);
    if (expected.kind !== 'month') throw new Error('a month page');
    expect(problems(text, file, { ...expected, part: null })).toContain('PAGE_MISMATCH p.feeds');
  });
});

describe('page paths', () => {
  const base = 'https://news.example.org';
  it('maps record URLs to files under out/, or to no page', () => {
    expect(pagePlaceOf(`${base}/articles/a-b.html`, base)).toEqual({
      kind: 'page',
      file: 'articles/a-b.html',
    });
    expect(pagePlaceOf(`${base}/2022/12/library-reopens`, base)).toEqual({
      kind: 'page',
      file: '2022/12/library-reopens/index.html',
    });
    expect(pagePlaceOf(`${base}/2022/12/library-reopens/`, base)).toEqual({
      kind: 'page',
      file: '2022/12/library-reopens/index.html',
    });
    expect(pagePlaceOf('https://elsewhere.example.com/x', base)).toEqual({ kind: 'elsewhere' });
    for (const bad of [
      '/a/../../etc',
      '/rss.xml',
      '/archive/2026/11',
      '/.hidden/x',
      '/%2e%2e/x',
      '/',
    ])
      expect(pagePlaceOf(`${base}${bad}`, base).kind).toBe('unusable');
  });
  it('links pages relatively', () => {
    expect(hrefFrom('index.html', 'articles/a.html')).toBe('articles/a.html');
    expect(hrefFrom('articles/a.html', 'index.html')).toBe('../');
    expect(hrefFrom('index.html', 'index.html')).toBe('./');
    expect(hrefFrom('archive/2026/11/index.html', 'archive/2026/10/index.html')).toBe(
      '../../../archive/2026/10/',
    );
  });
});

describe('a long month page', () => {
  const many = Array.from({ length: 350 }, (_, i) => ({
    id: `tag:news.example.org,2026-11-01:a-${String(i).padStart(3, '0')}`,
    title: `Articolul ${i} cu ș și ț`,
    url: `https://news.example.org/articles/a-${i}.html`,
    file: `articles/a-${i}.html`,
    publishedAt: '2026-11-01T08:00:00Z',
    summary: `Rezumatul ${i}`,
    language: 'ro',
  }));
  const file = 'archive/2026/11/index.html';
  const page = renderMonthPage(site, '2026/11', many, { newer: null, older: null });
  const expected: ExpectedPage = {
    kind: 'month',
    month: '2026/11',
    items: many.map((m) => ({ ...m })),
    newer: null,
    older: null,
    part: null,
  };
  it('is validated in slices (html-validate is worse than linear on one long list): valid', () => {
    expect(problems(page, file, expected)).toEqual([]);
  });
  it('a fault in item 250 is found, at its line in the page', () => {
    const broken = edit(page, '<p>Rezumatul 250</p>', '<p>Rezumatul 250<div></div></p>');
    const line = broken.split('\n').findIndex((l) => l.includes('Rezumatul 250<div>')) + 1;
    const c = new Checker(`out/${file}`);
    verifyPage(c, broken, file, expected, site);
    const invalid = c.issues.filter((i) => i.code === 'HTML_INVALID');
    expect(invalid.length).toBeGreaterThan(0);
    expect(invalid[0]?.element).toMatch(new RegExp(`^line ${line}, column \\d+$`));
  });
});

/**
 * Faults an outside try of the gate (attackE sections 6, 7 and 8) found published with exit 0:
 * a page's links leading nowhere, the text people read (byline, section, the dates shown, list
 * summaries, counts, headings, the language label) and the head's metadata (description, Open
 * Graph, JSON-LD author, publisher, section) not matching the records. Each is injected into a
 * page the renderer wrote, which then must be refused.
 */
describe('every link, every visible text and every metadata value (attackE 6, 7, 8)', () => {
  const authored: ArchiveRecord = {
    ...revised,
    section: 'World',
    authors: [{ name: 'Jane Doe' }, { name: 'Bob Roe' }],
  };
  const other: ArchiveRecord = {
    ...record,
    id: 'tag:news.example.org,2026-10-02:second',
    slug: 'second',
    url: 'https://news.example.org/articles/second.html',
    title: 'Second story',
    summary: 'The second summary.',
    publishedAt: '2026-10-02T08:00:00Z',
    updatedAt: '2026-10-02T08:00:00Z',
    language: 'en',
  };
  // What out/ holds after the run: the front page, the feeds, the two months' pages and
  // archive documents.
  const held = new Set([
    'index.html',
    'rss.xml',
    'atom.xml',
    'feed.json',
    ...['2026/11', '2026/10'].flatMap((m) =>
      ['index.html', 'rss.xml', 'atom.xml', 'feed.json'].map((f) => `archive/${m}/${f}`),
    ),
  ]);
  const holds = (file: string): boolean => held.has(file);
  const listed = (r: ArchiveRecord) => ({
    ...itemOf(r),
    summary: r.summary,
    file: `articles/${r.slug}.html`,
  });
  const months = [
    { month: '2026/11', count: 1 },
    { month: '2026/10', count: 1 },
  ];
  const MONTH = 'archive/2026/11/index.html';
  const pages = {
    article: {
      file: FILE,
      text: renderArticlePage(site, authored, FILE),
      expected: { kind: 'article', record: authored, holds },
    },
    front: {
      file: 'index.html',
      text: renderFrontPage(site, [listed(authored), listed(other)], months),
      expected: { kind: 'front', latest: [itemOf(authored), itemOf(other)], months, holds },
    },
    month: {
      file: MONTH,
      text: renderMonthPage(site, '2026/11', [listed(authored)], { newer: null, older: '2026/10' }),
      expected: {
        kind: 'month',
        month: '2026/11',
        items: [itemOf(authored)],
        newer: null,
        older: '2026/10',
        part: null,
        holds,
      },
    },
  } satisfies Record<string, { file: string; text: string; expected: ExpectedPage }>;

  it('the pages as rendered pass, read by either reader', () => {
    for (const { file, text, expected } of Object.values(pages)) {
      expect(problems(text, file, expected), file).toEqual([]);
      const c = new Checker(`out/${file}`);
      new PageProof(false).verify(c, text, file, expected, site);
      expect(c.issues, file).toEqual([]);
    }
  });

  const faults: [string, keyof typeof pages, (t: string) => string, string][] = [
    // Section 6: links.
    [
      "the article's month link to a month with no page (AP09)",
      'article',
      (t) => edit(t, '<a href="../archive/2026/11/">', '<a href="../archive/2026/01/">'),
      'PAGE_LINK a/@href',
    ],
    [
      "the article's home link (AP10)",
      'article',
      (t) => edit(t, /<li><a href="..\/">/, '<li><a href="../home.html">'),
      'PAGE_LINK a/@href',
    ],
    [
      'the subscribe links (L04)',
      'front',
      (t) => edit(t, '<a href="rss.xml" type=', '<a href="feeds/rss.xml" type='),
      'PAGE_LINK a/@href',
    ],
    [
      "the header's home link (L05)",
      'month',
      (t) => edit(t, 'href="../../../" rel="home"', 'href="../../../home.html" rel="home"'),
      'PAGE_LINK a/@href',
    ],
    [
      "the month page's home link (M09)",
      'month',
      (t) => edit(t, /<li><a href="..\/..\/..\/">/, '<li><a href="../../../index.htm">'),
      'PAGE_LINK a/@href',
    ],
    [
      "the article's month link to another month that has a page",
      'article',
      (t) => edit(t, '<a href="../archive/2026/11/">', '<a href="../archive/2026/10/">'),
      'PAGE_MISMATCH nav/a',
    ],
    [
      "the article's home link to a feed",
      'article',
      (t) => edit(t, /<li><a href="..\/">/, '<li><a href="../rss.xml">'),
      'PAGE_MISMATCH nav/a',
    ],
    [
      "the site's name linking to a feed",
      'front',
      (t) => edit(t, 'href="./" rel="home"', 'href="atom.xml" rel="home"'),
      'PAGE_MISMATCH header/a[@rel="home"]',
    ],
    [
      "the month page's home link to another month",
      'month',
      (t) => edit(t, /<li><a href="..\/..\/..\/">/, '<li><a href="../../../archive/2026/10/">'),
      'PAGE_MISMATCH nav/a',
    ],
    [
      'a link off the site that no record gives',
      'article',
      (t) => edit(t, 'href="https://www.aljazeera.com/"', 'href="https://evil.example/"'),
      'PAGE_LINK a/@href',
    ],
    // Section 7: the text people read.
    [
      'no byline (AP13)',
      'article',
      (t) => edit(t, ' · De Jane Doe, Bob Roe', ''),
      'PAGE_MISMATCH p.meta',
    ],
    [
      'the section in upper case (AP14)',
      'article',
      (t) => edit(t, '<span class="section">World</span>', '<span class="section">WORLD</span>'),
      'PAGE_MISMATCH p.meta',
    ],
    [
      'a shown date that is not its datetime (AP28)',
      'article',
      (t) => edit(t, '>2026-11-25 08:00 UTC</time>', '>2026-11-23 08:00 UTC</time>'),
      'PAGE_MISMATCH time',
    ],
    [
      'a shown date in a list (F14)',
      'front',
      (t) => edit(t, '>2026-10-02 08:00 UTC</time>', '>2026-10-01 08:00 UTC</time>'),
      'PAGE_MISMATCH time',
    ],
    [
      'a list entry without its summary (F08)',
      'front',
      (t) => edit(t, '<p>The second summary.</p>\n', ''),
      'PAGE_MISMATCH section.latest/ol/li[2]',
    ],
    [
      'a month count off by one (F05)',
      'front',
      (t) => edit(t, '2026-10</a> (1 articol)', '2026-10</a> (2 articole)'),
      'PAGE_MISMATCH section.months/ul',
    ],
    [
      "the month page's count (M06)",
      'month',
      (t) => edit(t, '<p class="meta">1 articol</p>', '<p class="meta">2 articole</p>'),
      'PAGE_MISMATCH p.meta',
    ],
    [
      'no site description (F11)',
      'front',
      (t) => edit(t, /<p>Știri &quot;traduse&quot;<\/p>\n/, ''),
      'PAGE_MISMATCH main/p',
    ],
    [
      "the publisher's name as the front page's heading (F12)",
      'front',
      (t) => edit(t, '<h1>Știri &amp; &lt;traduse&gt;</h1>', '<h1>Redacția</h1>'),
      'PAGE_MISMATCH h1',
    ],
    [
      'another month in the heading (M08)',
      'month',
      (t) => edit(t, '<h1>Articolele din 2026-11</h1>', '<h1>Articolele din 2025-01</h1>'),
      'PAGE_MISMATCH h1',
    ],
    [
      'another month in the title (M08)',
      'month',
      (t) => edit(t, '<title>Articolele din 2026-11', '<title>Articolele din 2025-01'),
      'PAGE_MISMATCH title',
    ],
    [
      'the wrong language label (M10)',
      'front',
      (t) => edit(t, '<span class="lang">ro</span>', '<span class="lang">en</span>'),
      'PAGE_MISMATCH section.latest/ol/li[1]',
    ],
    // Section 8: metadata.
    [
      'the title as meta description (AP29)',
      'article',
      (t) =>
        edit(
          t,
          /<meta name="description" content="[^"]*">/,
          `<meta name="description" content="x">`,
        ),
      'PAGE_MISMATCH meta[@name="description"]',
    ],
    [
      'the publisher as JSON-LD author (AP30)',
      'article',
      (t) =>
        edit(t, /"author":\[[^\]]*\]/, '"author":[{"@type":"Organization","name":"Redacția"}]'),
      'PAGE_MISMATCH NewsArticle/author',
    ],
    [
      'another publisher name (AP31)',
      'article',
      (t) => edit(t, '"name":"Redacția"}', '"name":"Someone Else"}'),
      'PAGE_MISMATCH NewsArticle/publisher',
    ],
    [
      'og:type website (AP32)',
      'article',
      (t) => edit(t, 'content="article">', 'content="website">'),
      'PAGE_MISMATCH meta[@property="og:type"]',
    ],
    [
      'a day for article:published_time (AP33)',
      'article',
      (t) =>
        edit(
          t,
          'property="article:published_time" content="2026-11-25T08:00:00Z"',
          'property="article:published_time" content="2026-11-26"',
        ),
      'PAGE_MISMATCH meta[@property="article:published_time"]',
    ],
    [
      'the title as og:description (AP34)',
      'article',
      (t) =>
        edit(
          t,
          /<meta property="og:description" content="[^"]*">/,
          '<meta property="og:description" content="x">',
        ),
      'PAGE_MISMATCH meta[@property="og:description"]',
    ],
    [
      'another JSON-LD section (AP35)',
      'article',
      (t) => edit(t, '"articleSection":"World"', '"articleSection":"News"'),
      'PAGE_MISMATCH NewsArticle/articleSection',
    ],
    [
      "the front page's og:url (F13)",
      'front',
      (t) =>
        edit(
          t,
          'property="og:url" content="https://news.example.org/"',
          'property="og:url" content="https://news.example.org/index.html"',
        ),
      'PAGE_MISMATCH meta[@property="og:url"]',
    ],
  ];
  for (const [what, which, fault, code] of faults)
    it(`refuses ${what} (${code})`, () => {
      const { file, text, expected } = pages[which];
      const faulty = fault(text);
      expect(problems(faulty, file, expected)).toContain(code);
      // The same through the gate's fast path (a known shape: html-validate does not run).
      const c = new Checker(`out/${file}`);
      new PageProof(false).verify(c, faulty, file, expected, site);
      expect(c.issues.map((i) => `${i.code} ${i.element ?? ''}`)).toContain(code);
    });
});
