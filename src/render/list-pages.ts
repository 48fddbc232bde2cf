import { escapeMarkup } from './escape.js';
import { pageLabels, shownTime } from './page-labels.js';
import { renderPage, type PageSite } from './page-layout.js';
import { FRONT_PAGE, hrefFrom, monthFile } from './page-paths.js';

/** One article in a list (front page, month page). */
export interface ListedArticle {
  readonly id: string;
  readonly title: string;
  readonly url: string;
  /** Its page under out/, or null when it lives elsewhere (then the list links to `url`). */
  readonly file: string | null;
  readonly publishedAt: string;
  readonly summary: string;
  readonly language: string;
}

/** A month that has published articles, `YYYY/MM`, and how many. */
export interface MonthCount {
  readonly month: string;
  readonly count: number;
}

const listHtml = (from: string, items: readonly ListedArticle[]): string => {
  const e = escapeMarkup;
  if (items.length === 0) return '';
  return [
    '<ol class="list">',
    ...items.map((a) =>
      [
        `<li lang="${e(a.language)}">`,
        `<a href="${e(a.file === null ? a.url : hrefFrom(from, a.file))}">${e(a.title)}</a>`,
        `<p class="date"><time datetime="${a.publishedAt}">${shownTime(a.publishedAt)}</time> · <span class="lang">${e(a.language)}</span></p>`,
        a.summary === '' ? '' : `<p>${e(a.summary)}</p>`,
        '</li>',
      ]
        .filter((x) => x !== '')
        .join('\n'),
    ),
    '</ol>',
  ].join('\n');
};

const shownMonth = (month: string): string => month.replace('/', '-');

/**
 * The front page (pure): the newest articles (the feeds' selection, newest first) with date,
 * language and summary, every month of the archive, and the subscribe links; the head carries
 * the three autodiscovery links, so a reader given only the site's address finds the feeds.
 */
export function renderFrontPage(
  site: PageSite,
  latest: readonly ListedArticle[],
  months: readonly MonthCount[],
): string {
  const e = escapeMarkup;
  const l = pageLabels(site.language);
  const home = `${site.baseUrl}/`;
  return renderPage(site, {
    file: FRONT_PAGE,
    language: site.language,
    title: site.title,
    description: site.description,
    canonical: home,
    og: [
      ['og:type', 'website'],
      ['og:title', site.title],
      ...(site.description === '' ? [] : [['og:description', site.description] as const]),
      ['og:url', home],
      ['og:site_name', site.title],
    ],
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'WebSite',
      name: site.title,
      url: home,
      inLanguage: site.language,
      publisher: { '@type': 'Organization', name: site.author.name },
    },
    noindex: false,
    main: [
      `<h1>${e(site.title)}</h1>`,
      site.description === '' ? '' : `<p>${e(site.description)}</p>`,
      '<section class="latest">',
      `<h2>${e(l.latest)}</h2>`,
      listHtml(FRONT_PAGE, latest),
      '</section>',
      '<section class="months">',
      `<h2>${e(l.archive)}</h2>`,
      months.length === 0
        ? ''
        : [
            '<ul>',
            ...months.map(
              (m) =>
                `<li><a href="${e(hrefFrom(FRONT_PAGE, monthFile(m.month)))}">${shownMonth(m.month)}</a> (${e(l.articles(m.count))})</li>`,
            ),
            '</ul>',
          ].join('\n'),
      '</section>',
    ]
      .filter((x) => x !== '')
      .join('\n'),
  });
}

/**
 * One month of the archive (pure): every published article of that month, newest first, and
 * links to the next newer and older months that have articles and to the front page.
 */
export function renderMonthPage(
  site: PageSite,
  month: string,
  items: readonly ListedArticle[],
  neighbours: { readonly newer: string | null; readonly older: string | null },
): string {
  const e = escapeMarkup;
  const l = pageLabels(site.language);
  const file = monthFile(month);
  const url = `${site.baseUrl}/${file.replace(/index\.html$/, '')}`;
  const title = `${l.monthArchive} ${shownMonth(month)}`;
  const nav = [
    neighbours.newer === null
      ? ''
      : `<li><a href="${e(hrefFrom(file, monthFile(neighbours.newer)))}" rel="next">${e(l.newer)}: ${shownMonth(neighbours.newer)}</a></li>`,
    neighbours.older === null
      ? ''
      : `<li><a href="${e(hrefFrom(file, monthFile(neighbours.older)))}" rel="prev">${e(l.older)}: ${shownMonth(neighbours.older)}</a></li>`,
    `<li><a href="${e(hrefFrom(file, FRONT_PAGE))}">${e(l.home)}</a></li>`,
  ].filter((x) => x !== '');
  return renderPage(site, {
    file,
    language: site.language,
    title: `${title} – ${site.title}`,
    description: '',
    canonical: url,
    og: [
      ['og:type', 'website'],
      ['og:title', title],
      ['og:url', url],
      ['og:site_name', site.title],
    ],
    jsonLd: null,
    noindex: false,
    main: [
      `<h1>${e(title)}</h1>`,
      `<p class="meta">${e(l.articles(items.length))}</p>`,
      listHtml(file, items),
      '<nav>',
      '<ul>',
      ...nav,
      '</ul>',
      '</nav>',
    ]
      .filter((x) => x !== '')
      .join('\n'),
  });
}
