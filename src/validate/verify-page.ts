import type { ArchiveRecord } from '../model/record.js';
import { partOfName } from '../model/month-parts.js';
import type { Checker } from './checker.js';
import type { SiteFacts } from './expected-feed.js';
import {
  expectedAlternates,
  newestFirst,
  sameTarget,
  sourceLine,
  targetOf,
  type ExpectedItem,
  type ExpectedPage,
} from './expected-page.js';
import { validateHtml } from './html-validator.js';
import { checkLinks } from './page-links.js';
import { shownInstant, shownMonthName, titleInLine, wordsFor } from './page-words.js';
import { all, inside, readPage, type PageElement, type ReadPage } from './read-page.js';

export const PAGE_BUG_HINT =
  'If feedkeeper build produced this, it is a feedkeeper bug: report it with this message (build kept the previous pages). If the file in out/ was changed by hand, run feedkeeper build --full to publish it again.';

/** The only elements a page is written with; anything else came from an escaping fault. */
const ELEMENTS = new Set(
  'html head body meta title link style script header main footer article section nav ul ol li p a h1 h2 div span time'.split(
    ' ',
  ),
);
const ATTRIBUTES = new Set(
  'lang charset name content rel href type title property class datetime'.split(' '),
);

/**
 * One page (pure): valid HTML (html-validate), only our elements and attributes, no script but
 * JSON-LD data, nothing fetched from anywhere, the three autodiscovery links, then what a
 * reader sees compared with the records.
 */
export function verifyPage(
  c: Checker,
  text: string,
  file: string,
  expected: ExpectedPage | undefined,
  site: SiteFacts,
  /**
   * The gate's fast path (validate/page-proof.ts): the page as the strict reader read it, and
   * whether html-validate must still run on it (not when a page of its shape passed this run).
   */
  fast?: { readonly read: ReadPage; readonly validate: boolean },
): void {
  if (expected === undefined) {
    c.fail(
      'PAGE_UNEXPECTED',
      '(document)',
      'is a page no record asks for.',
      'A feedkeeper bug: report it with this message.',
    );
    return;
  }
  const problems =
    fast === undefined
      ? validateHtml(text)
      : fast.validate
        ? validateHtml(text, { representative: true })
        : [];
  for (const p of problems.slice(0, 5))
    c.fail(
      'HTML_INVALID',
      `line ${p.line}, column ${p.column}`,
      `is not valid HTML: ${p.message.replace(/\.$/, '')} (html-validate rule ${p.rule}).`,
      PAGE_BUG_HINT,
    );
  const page = fast?.read ?? readPage(text);
  checkSafety(c, page, text);
  const pageUrl = `${site.baseUrl}/${file}`;
  checkLinks(
    c,
    page.elements,
    pageUrl,
    site.baseUrl,
    knownUrls(expected),
    expected.holds,
    PAGE_BUG_HINT,
  );
  checkShownTimes(c, page);
  // Where the navigation leads, beyond leading somewhere: the site's name to the front page.
  const home = `${site.baseUrl}/`;
  const hrefsOf = (keep: (a: PageElement) => boolean): string =>
    JSON.stringify(
      all(page, 'a')
        .filter(keep)
        .map((a) => targetOf(resolve(a.attrs.get('href') ?? '', pageUrl))),
    );
  c.check(
    hrefsOf((a) => a.attrs.get('rel') === 'home') === JSON.stringify([targetOf(home)]),
    'PAGE_MISMATCH',
    'header/a[@rel="home"]',
    `links the site's name to ${hrefsOf((a) => a.attrs.get('rel') === 'home')}, not to the front page (${home}).`,
    PAGE_BUG_HINT,
  );
  const links = all(page, 'link');
  const alternates = links
    .filter((l) => l.attrs.get('rel') === 'alternate')
    .map((l) => ({ type: l.attrs.get('type') ?? '', href: l.attrs.get('href') ?? '' }));
  const want = expectedAlternates(site);
  c.check(
    JSON.stringify(alternates) === JSON.stringify(want),
    'PAGE_AUTODISCOVERY',
    'head/link[@rel="alternate"]',
    `has the autodiscovery links ${JSON.stringify(alternates)}, expected ${JSON.stringify(want)} (the feeds' self links with their exact media types).`,
    PAGE_BUG_HINT,
  );
  const same = (
    element: string,
    actual: string | null | undefined,
    wanted: string | null,
  ): void => {
    c.check(
      (actual ?? null) === wanted,
      'PAGE_MISMATCH',
      element,
      `shows ${JSON.stringify(actual ?? null)} where the records say ${JSON.stringify(wanted)}.`,
      PAGE_BUG_HINT,
    );
  };
  const canonical = links.find((l) => l.attrs.get('rel') === 'canonical')?.attrs.get('href');
  const h1 = all(page, 'h1').map((h) => h.text);
  const title = all(page, 'title')[0]?.text;

  if (expected.kind === 'article' || expected.kind === 'withdrawn') {
    const r = expected.record;
    c.check(
      sameTarget(pageUrl, r.url),
      'PAGE_MISMATCH',
      '(file)',
      `is the page of ${r.url}, which is not this file's address (${pageUrl}).`,
      PAGE_BUG_HINT,
    );
    same('html/@lang', page.lang, r.language);
    same('h1', h1.join(' | '), r.title);
    if (expected.kind === 'withdrawn') {
      same('link[@rel="canonical"]', canonical, null);
      const notice = all(page, 'p', 'notice')[0];
      // What people read: the notice says when, in the article's language.
      const w = wordsFor(r.language);
      const at = r.withdrawnAt ?? r.updatedAt;
      same('title', title, `${w.withdrawnTitle}: ${titleInLine(r.title)} – ${site.title}`);
      same('p.notice', notice?.text, `${w.withdrawn} ${shownInstant(at) ?? ''}.`);
      same('p.notice/time/@datetime', timeIn(page, 'p.notice'), r.withdrawnAt);
      c.check(
        notice !== undefined && all(page, 'div', 'body').length === 0,
        'PAGE_MISMATCH',
        'article',
        'a withdrawn article must show its notice and no body.',
        PAGE_BUG_HINT,
      );
      checkLinksTo(c, page, pageUrl, `${site.baseUrl}/`, 'the front page');
      checkNoticeShape(c, page);
      return;
    }
    same('title', title, `${titleInLine(r.title)} – ${site.title}`);
    same('link[@rel="canonical"]', canonical, r.url);
    same('p.meta/time/@datetime', timeIn(page, 'p.meta'), r.publishedAt);
    same(
      'p.updated/time/@datetime',
      timeIn(page, 'p.meta updated'),
      r.updatedAt === r.publishedAt ? null : r.updatedAt,
    );
    // The line people read under the title: section, publication date, byline.
    const w = wordsFor(r.language);
    same(
      'p.meta',
      withClass(page, 'p', 'meta')[0]?.text,
      [
        r.section ?? '',
        `${w.published} ${shownInstant(r.publishedAt) ?? ''}`,
        r.authors.length === 0 ? '' : `${w.by} ${r.authors.map((a) => a.name).join(', ')}`,
      ]
        .filter((x) => x !== '')
        .join(' · '),
    );
    same(
      'p.meta.updated',
      withClass(page, 'p', 'meta updated')[0]?.text,
      r.updatedAt === r.publishedAt ? null : `${w.updated} ${shownInstant(r.updatedAt) ?? ''}`,
    );
    const blocks = page.elements
      .filter((e) => (e.name === 'p' || e.name === 'h2') && inside(e, 'div.body'))
      .map((e) => `${e.name === 'h2' ? 'heading' : 'paragraph'}: ${e.text}`);
    const wanted = r.body.map((b) => `${b.type}: ${b.text}`);
    c.check(
      JSON.stringify(blocks) === JSON.stringify(wanted),
      'PAGE_MISMATCH',
      'div.body',
      `shows ${blocks.length} body blocks that differ from the record's ${wanted.length} (first difference at block ${firstDifference(blocks, wanted)}: ${JSON.stringify(blocks[firstDifference(blocks, wanted)] ?? null)}, expected ${JSON.stringify(wanted[firstDifference(blocks, wanted)] ?? null)}).`,
      PAGE_BUG_HINT,
    );
    same('p.source', all(page, 'p', 'source')[0]?.text, sourceLine(r));
    // Its link leads to the record's source, as the feeds' via link and content do
    // (compare-records.ts): the check on links lets it lead to any URL a record gives (the
    // article's own, a dropped link), so it is stated here, exactly, not left to the records'
    // judge (pipeline/unpublishable.ts).
    const sourceUrl = r.source?.url ?? null;
    same(
      'p.source/a/@href',
      JSON.stringify(
        all(page, 'a')
          .filter((a) => inside(a, 'p.source'))
          .map((a) => a.attrs.get('href') ?? null),
      ),
      JSON.stringify(
        r.source !== null && sourceUrl !== null && isHttp(sourceUrl) ? [sourceUrl] : [],
      ),
    );
    // Its month (of publishedAt, UTC) and the front page.
    const at = new Date(Date.parse(r.publishedAt));
    const month = `${at.getUTCFullYear()}/${String(at.getUTCMonth() + 1).padStart(2, '0')}`;
    same(
      'nav/a',
      hrefsOf((a) => inside(a, 'nav')),
      JSON.stringify([targetOf(`${site.baseUrl}/archive/${month}/`), targetOf(home)]),
    );
    const ld = jsonLdOf(c, page);
    if (ld !== undefined) sameFields(same, 'NewsArticle', ld, articleJsonLd(r, site));
    checkHead(same, page, r.summary, [
      ['og:type', 'article'],
      ['og:title', r.title],
      ...(r.summary === '' ? [] : [['og:description', r.summary] as const]),
      ['og:url', r.url],
      ['og:site_name', site.title],
      ['article:published_time', r.publishedAt],
      ['article:modified_time', r.updatedAt],
      ...(r.section === null ? [] : [['article:section', r.section] as const]),
    ]);
    return;
  }
  if (expected.kind === 'front') {
    same('html/@lang', page.lang, site.language);
    same('title', title, site.title);
    same('link[@rel="canonical"]', canonical, `${site.baseUrl}/`);
    same('h1', h1.join(' | '), site.title);
    same(
      'main/p',
      JSON.stringify(directIn(page, 'main', 'p').map((p) => p.text)),
      JSON.stringify(site.description === '' ? [] : [site.description]),
    );
    const ld = jsonLdOf(c, page);
    if (ld !== undefined)
      sameFields(same, 'WebSite', ld, {
        '@context': 'https://schema.org',
        '@type': 'WebSite',
        name: site.title,
        url: home,
        inLanguage: site.language,
        publisher: { '@type': 'Organization', name: site.author.name },
      });
    checkHead(same, page, site.description, [
      ['og:type', 'website'],
      ['og:title', site.title],
      ...(site.description === '' ? [] : [['og:description', site.description] as const]),
      ['og:url', home],
      ['og:site_name', site.title],
    ]);
    checkList(c, page, pageUrl, 'section.latest', expected.latest);
    const w = wordsFor(site.language);
    same(
      'section.months/ul',
      JSON.stringify(
        page.elements
          .filter((e) => e.name === 'li' && inside(e, 'section.months'))
          .map((e) => e.text),
      ),
      JSON.stringify(
        expected.months.map((m) => `${shownMonthName(m.month)} (${w.articles(m.count)})`),
      ),
    );
    const months = all(page, 'a')
      .filter((a) => inside(a, 'section.months'))
      .map((a) => resolve(a.attrs.get('href') ?? '', pageUrl));
    const wantedMonths = expected.months.map((m) => `${site.baseUrl}/archive/${m.month}/`);
    c.check(
      JSON.stringify(months) === JSON.stringify(wantedMonths),
      'PAGE_MISMATCH',
      'section.months',
      `links to the months ${JSON.stringify(months.slice(0, 5))}, expected ${JSON.stringify(wantedMonths.slice(0, 5))}.`,
      PAGE_BUG_HINT,
    );
    return;
  }
  same('html/@lang', page.lang, site.language);
  checkList(c, page, pageUrl, 'main', newestFirst(expected.items));
  {
    const w = wordsFor(site.language);
    const part = expected.part;
    const number = part === null ? 1 : partOfName(part.name).n;
    const heading = `${w.monthArchive} ${shownMonthName(expected.month)}${part === null ? '' : `, ${w.part(number)}`}`;
    same('title', title, `${heading} – ${site.title}`);
    same('h1', h1.join(' | '), heading);
    same(
      'p.meta',
      withClass(page, 'p', 'meta')[0]?.text,
      part === null
        ? w.articles(expected.items.length)
        : `${w.articles(expected.items.length)} · ${shownInstant(part.span[0]) ?? ''} – ${shownInstant(part.span[1]) ?? ''}`,
    );
    same(
      'script[@type="application/ld+json"]',
      JSON.stringify(all(page, 'script').map((s) => s.text)),
      '[]',
    );
    checkHead(same, page, '', [
      ['og:type', 'website'],
      ['og:title', heading],
      ['og:url', `${site.baseUrl}/archive/${part?.name ?? expected.month}/`],
      ['og:site_name', site.title],
    ]);
  }
  const rel = (r: string): string | null => {
    const a = all(page, 'a').find((x) => x.attrs.get('rel') === r);
    return a === undefined ? null : resolve(a.attrs.get('href') ?? '', pageUrl);
  };
  const monthUrl = (m: string | null): string | null =>
    m === null ? null : `${site.baseUrl}/archive/${m}/`;
  same('nav/a[@rel="next"]', rel('next'), monthUrl(expected.newer));
  same('nav/a[@rel="prev"]', rel('prev'), monthUrl(expected.older));
  // A month in parts (render/list-pages.ts): each part at its own address, linking the parts
  // beside it, its feed documents, and the month's first part, which lists every part.
  const part = expected.part;
  same(
    'link[@rel="canonical"]',
    canonical,
    `${site.baseUrl}/archive/${part?.name ?? expected.month}/`,
  );
  const classed = (cls: string): string | null => {
    const a = all(page, 'a', cls)[0];
    return a === undefined ? null : resolve(a.attrs.get('href') ?? '', pageUrl);
  };
  same('nav/a.newer-part', classed('newer-part'), part?.newer ?? null);
  same('nav/a.older-part', classed('older-part'), part?.older ?? null);
  same('nav/a.first-part', classed('first-part'), part?.first ?? null);
  same(
    'nav/a',
    hrefsOf((a) => inside(a, 'nav') && !a.attrs.has('rel') && !a.attrs.has('class')),
    JSON.stringify([targetOf(home)]),
  );
  const hrefsIn = (container: string): string[] =>
    all(page, 'a')
      .filter((a) => inside(a, container))
      .map((a) => resolve(a.attrs.get('href') ?? '', pageUrl));
  same(
    'section.parts',
    JSON.stringify(hrefsIn('section.parts')),
    JSON.stringify(part?.contents ?? []),
  );
  same('p.feeds', JSON.stringify(hrefsIn('p.feeds')), JSON.stringify(part?.feeds ?? []));
  const span = page.elements
    .filter((e) => e.name === 'time' && e.path[e.path.length - 1] === 'p.meta')
    .map((e) => e.attrs.get('datetime') ?? '');
  same('p.meta/time', JSON.stringify(span), JSON.stringify(part?.span ?? []));
}

/**
 * Each list item: its link leads to the article, with its title, its date (the instant and the
 * text shown for it), its language (the `lang` and the label) and its summary.
 */
function checkList(
  c: Checker,
  page: ReadPage,
  pageUrl: string,
  container: string,
  items: readonly ExpectedItem[],
): void {
  // Each item with its descendants: those follow it in document order, deeper than it.
  const scoped: { li: PageElement; kids: PageElement[] }[] = [];
  const els = page.elements;
  for (let i = 0; i < els.length; i++) {
    const li = els[i] as PageElement;
    if (li.name !== 'li' || !inside(li, 'ol.list') || !inside(li, container)) continue;
    const kids: PageElement[] = [];
    while (i + 1 < els.length && (els[i + 1] as PageElement).path.length > li.path.length)
      kids.push(els[++i] as PageElement);
    scoped.push({ li, kids });
  }
  const want = items;
  const row = (i: number): string => {
    const it = scoped[i];
    const a = it?.kids.find((e) => e.name === 'a');
    const summaries = it?.kids.filter((e) => e.name === 'p' && !e.attrs.has('class')) ?? [];
    return JSON.stringify({
      title: a?.text ?? null,
      url: a === undefined ? null : resolve(a.attrs.get('href') ?? '', pageUrl),
      publishedAt: it?.kids.find((e) => e.name === 'time')?.attrs.get('datetime') ?? null,
      language: it?.li.attrs.get('lang') ?? null,
      shown: it?.kids.find((e) => e.name === 'p' && e.attrs.get('class') === 'date')?.text ?? null,
      summary: summaries.length === 0 ? null : summaries.map((p) => p.text).join(' | '),
    });
  };
  const wantRow = (e: ExpectedItem): string =>
    JSON.stringify({
      title: e.title,
      url: e.url,
      publishedAt: e.publishedAt,
      language: e.language,
      shown: `${shownInstant(e.publishedAt) ?? ''} · ${e.language}`,
      summary: e.summary === '' ? null : e.summary,
    });
  if (
    !c.check(
      scoped.length === want.length,
      'PAGE_MISMATCH',
      `${container}/ol`,
      `lists ${scoped.length} articles where the records say ${want.length}.`,
      PAGE_BUG_HINT,
    )
  )
    return;
  for (let i = 0; i < want.length; i++) {
    const e = want[i] as ExpectedItem;
    const got = row(i);
    const parsed = JSON.parse(got) as { url: string | null };
    const ok =
      got === wantRow(e) ||
      (parsed.url !== null &&
        sameTarget(parsed.url, e.url) &&
        got === wantRow({ ...e, url: parsed.url }));
    if (
      !c.check(
        ok,
        'PAGE_MISMATCH',
        `${container}/ol/li[${i + 1}]`,
        `shows ${got} where the records say ${wantRow(e)}.`,
        PAGE_BUG_HINT,
      )
    )
      return;
  }
}

function checkLinksTo(
  c: Checker,
  page: ReadPage,
  pageUrl: string,
  url: string,
  what: string,
): void {
  const hrefs = all(page, 'a').map((a) => resolve(a.attrs.get('href') ?? '', pageUrl));
  c.check(
    hrefs.some((h) => sameTarget(h, url)),
    'PAGE_MISMATCH',
    'a',
    `has no link to ${what} (${url}).`,
    PAGE_BUG_HINT,
  );
}

/** No element or attribute we never write, no script, no request to anywhere. */
function checkSafety(c: Checker, page: ReadPage, text: string): void {
  for (const e of page.elements) {
    if (!ELEMENTS.has(e.name))
      c.fail(
        'PAGE_ELEMENT',
        e.name,
        `holds a <${e.name}> element, which pages never have.`,
        PAGE_BUG_HINT,
      );
    if (e.name === 'script' && e.attrs.get('type') !== 'application/ld+json')
      c.fail(
        'PAGE_ELEMENT',
        'script',
        'holds a script that runs (only application/ld+json data is allowed).',
        PAGE_BUG_HINT,
      );
    for (const [name, value] of e.attrs) {
      if (!ATTRIBUTES.has(name))
        c.fail(
          'PAGE_ATTRIBUTE',
          `${e.name}/@${name}`,
          `has an attribute pages never have (${name}).`,
          PAGE_BUG_HINT,
        );
      if (name === 'href' && /^\s*(?:javascript|data|vbscript):/i.test(value))
        c.fail(
          'PAGE_URL',
          `${e.name}/@href`,
          `links to ${JSON.stringify(value.slice(0, 40))}.`,
          PAGE_BUG_HINT,
        );
    }
    if (e.name === 'link' && !['canonical', 'alternate'].includes(e.attrs.get('rel') ?? ''))
      c.fail(
        'PAGE_EXTERNAL_REQUEST',
        `link[@rel="${e.attrs.get('rel') ?? ''}"]`,
        'has a link a browser would fetch (stylesheet, icon, preload…): pages load nothing.',
        PAGE_BUG_HINT,
      );
    if (e.name === 'style' && /url\s*\(|@import/i.test(e.text))
      c.fail(
        'PAGE_EXTERNAL_REQUEST',
        'style',
        'has a stylesheet that fetches something (url() or @import).',
        PAGE_BUG_HINT,
      );
  }
  const scripts = /<script type="application\/ld\+json">([\s\S]*?)<\/script>/g;
  for (const m of text.matchAll(scripts))
    if ((m[1] ?? '').includes('<'))
      c.fail(
        'PAGE_JSONLD',
        'script[@type="application/ld+json"]',
        'holds a raw "<" (it must be written \\u003c, or "</script" ends the element).',
        PAGE_BUG_HINT,
      );
}

function jsonLdOf(c: Checker, page: ReadPage): Record<string, unknown> | undefined {
  const s = all(page, 'script').find((e) => e.attrs.get('type') === 'application/ld+json');
  try {
    const v = JSON.parse(s?.text ?? '') as unknown;
    if (typeof v === 'object' && v !== null && !Array.isArray(v))
      return v as Record<string, unknown>;
  } catch {
    // reported below
  }
  c.fail(
    'PAGE_JSONLD',
    'script[@type="application/ld+json"]',
    'has no NewsArticle JSON-LD object.',
    PAGE_BUG_HINT,
  );
  return undefined;
}

type Same = (element: string, actual: string | null | undefined, wanted: string | null) => void;

/** The URLs a page may link off its site or to a page of a record: its records' own. */
function knownUrls(expected: ExpectedPage): string[] {
  switch (expected.kind) {
    case 'article': {
      const source = expected.record.source?.url ?? null;
      return [expected.record.url, ...(source !== null && isHttp(source) ? [source] : [])];
    }
    case 'withdrawn':
      return [];
    case 'front':
      return expected.latest.map((i) => i.url);
    case 'month':
      return expected.items.map((i) => i.url);
  }
}

const isHttp = (url: string): boolean => /^https?:\/\//i.test(url);

/** The NewsArticle an article page must carry, stated here from the record and the site. */
function articleJsonLd(r: ArchiveRecord, site: SiteFacts): Record<string, unknown> {
  return {
    '@context': 'https://schema.org',
    '@type': 'NewsArticle',
    headline: r.title,
    ...(r.summary === '' ? {} : { description: r.summary }),
    datePublished: r.publishedAt,
    dateModified: r.updatedAt,
    inLanguage: r.language,
    mainEntityOfPage: r.url,
    ...(r.section === null ? {} : { articleSection: r.section }),
    // Its authors; the publisher when the record names none.
    author:
      r.authors.length > 0
        ? r.authors.map((a) => ({ '@type': 'Person', name: a.name }))
        : [{ '@type': 'Organization', name: site.author.name }],
    publisher: {
      '@type': 'Organization',
      name: site.author.name,
      ...(site.author.url === undefined ? {} : { url: site.author.url }),
    },
    ...(r.source !== null && r.source.url !== null && isHttp(r.source.url)
      ? { isBasedOn: r.source.url }
      : {}),
  };
}

/** Every field of a JSON-LD object, the wanted ones and any other, compared one by one. */
function sameFields(
  same: Same,
  type: string,
  got: Record<string, unknown>,
  want: Record<string, unknown>,
): void {
  for (const key of new Set([...Object.keys(want), ...Object.keys(got)]))
    same(`${type}/${key}`, stable(got[key]), stable(want[key]));
}

/** A JSON value as text, object keys sorted (the order of keys means nothing to a reader). */
const stable = (v: unknown): string | null => {
  if (v === undefined) return null;
  if (typeof v === 'string') return v;
  const sort = (x: unknown): unknown =>
    Array.isArray(x)
      ? x.map(sort)
      : typeof x === 'object' && x !== null
        ? Object.fromEntries(
            Object.keys(x)
              .sort()
              .map((k) => [k, sort((x as Record<string, unknown>)[k])]),
          )
        : x;
  return JSON.stringify(sort(v));
};

/**
 * The head's description and Open Graph values: each property wanted, and no other (a second
 * `og:type`, a stray `og:description`, is refused like a wrong one).
 */
function checkHead(
  same: Same,
  page: ReadPage,
  description: string,
  og: readonly (readonly [string, string])[],
): void {
  const metas = all(page, 'meta');
  const named = metas.filter((m) => m.attrs.get('name') === 'description');
  same(
    'meta[@name="description"]',
    named.length === 0 ? null : named.map((m) => m.attrs.get('content') ?? '').join(' | '),
    description === '' ? null : description,
  );
  const got = new Map<string, string[]>();
  for (const m of metas) {
    const p = m.attrs.get('property');
    if (p !== undefined) got.set(p, [...(got.get(p) ?? []), m.attrs.get('content') ?? '']);
  }
  const want = new Map(og.map(([k, v]) => [k, v]));
  for (const key of new Set([...want.keys(), ...got.keys()]))
    same(`meta[@property="${key}"]`, got.get(key)?.join(' | ') ?? null, want.get(key) ?? null);
}

/** Every `<time>` says, as people read it, the instant its `datetime` gives machines. */
function checkShownTimes(c: Checker, page: ReadPage): void {
  let reported = 0;
  for (const t of all(page, 'time')) {
    const at = t.attrs.get('datetime') ?? '';
    const want = shownInstant(at);
    if (t.text === want || reported++ >= 3) continue;
    c.fail(
      'PAGE_MISMATCH',
      'time',
      `shows ${JSON.stringify(t.text)} for the instant ${JSON.stringify(at)}, which pages show as ${JSON.stringify(want)}: people would read another date than machines.`,
      PAGE_BUG_HINT,
    );
  }
}

/** Elements `name` with exactly the class `cls`. */
const withClass = (page: ReadPage, name: string, cls: string): PageElement[] =>
  page.elements.filter((e) => e.name === name && e.attrs.get('class') === cls);

/** Elements `name` whose parent is the element written `parent`. */
const directIn = (page: ReadPage, parent: string, name: string): PageElement[] =>
  page.elements.filter((e) => e.name === name && e.path[e.path.length - 1] === parent);

const timeIn = (page: ReadPage, container: string): string | null =>
  page.elements
    .find((e) => e.name === 'time' && e.path[e.path.length - 1] === container)
    ?.attrs.get('datetime') ?? null;

const resolve = (href: string, base: string): string => {
  try {
    return new URL(href, base).href;
  } catch {
    return href;
  }
};

const firstDifference = (a: readonly string[], b: readonly string[]): number => {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
};

/**
 * Every element of a withdrawn article's notice page, in order, as the notice template writes
 * it (render/article-page.ts, renderWithdrawnPage, in the frame of page-layout.ts): no body, no
 * description, no Open Graph or JSON-LD, no canonical link, and `noindex`. The checks above
 * look for what must be there; this one refuses anything else (the retracted text as plain
 * paragraphs, a summary in a meta tag), since the body is gone for a reason.
 */
const NOTICE_SHAPE = [
  'html',
  'head',
  'meta[charset]',
  'meta[name=viewport]',
  'title',
  'meta[name=robots]',
  'link[rel=alternate]',
  'link[rel=alternate]',
  'link[rel=alternate]',
  'style',
  'body',
  'header',
  'p.site',
  'a[rel=home]',
  'main',
  'article.withdrawn',
  'h1',
  'p.notice',
  'time',
  'p',
  'a',
  'footer',
  'p.subscribe',
  'a',
  'a',
  'a',
].join(' ');

function checkNoticeShape(c: Checker, page: ReadPage): void {
  const shape = page.elements.map(shapeOf);
  const robots = all(page, 'meta').find((m) => m.attrs.get('name') === 'robots');
  const wanted = NOTICE_SHAPE.split(' ');
  const at = firstDifference(shape, wanted);
  c.check(
    shape.join(' ') === NOTICE_SHAPE && robots?.attrs.get('content') === 'noindex',
    'PAGE_MISMATCH',
    '(notice page)',
    robots?.attrs.get('content') !== 'noindex'
      ? `is a withdrawn article's notice page without <meta name="robots" content="noindex"> (it has ${JSON.stringify(robots?.attrs.get('content') ?? null)}): search engines would keep it.`
      : `is a withdrawn article's notice page with ${shape.length} elements, not the ${wanted.length} its template writes (the title, the notice and its date, a link to the front page; no body): element ${at + 1} is ${JSON.stringify(shape[at] ?? null)}, expected ${JSON.stringify(wanted[at] ?? null)}.`,
    PAGE_BUG_HINT,
  );
}

/** `p.notice`, `meta[name=robots]`, `a[rel=home]`: an element with what tells it apart. */
function shapeOf(e: PageElement): string {
  const cls = e.attrs.get('class');
  let s = cls === undefined ? e.name : `${e.name}.${cls}`;
  for (const a of ['name', 'property', 'rel'])
    if (e.attrs.has(a)) s += `[${a}=${e.attrs.get(a) ?? ''}]`;
  if (e.attrs.has('charset')) s += '[charset]';
  return s;
}
