import { escapeMarkup } from './escape.js';
import { pageLabels, shownTime } from './page-labels.js';
import { renderPage, type PageSite } from './page-layout.js';
import { partName } from '../model/month-parts.js';
import { FEED_LINKS, FRONT_PAGE, hrefFrom, monthFile } from './page-paths.js';

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

/** Where a month page stands among its month's parts (model/month-parts.ts). */
export interface PartPlace {
  /** `YYYY/MM` or `YYYY/MM/<n>`: its folder under archive/, beside its feed documents. */
  readonly name: string;
  /** 1 for the oldest part. */
  readonly number: number;
  /** How many parts the month has. */
  readonly of: number;
  /** The publication times of its oldest and newest records (withdrawn ones included). */
  readonly from: string;
  readonly to: string;
  /** Every part of the month with its oldest publication time: listed by the first part only. */
  readonly contents: readonly { readonly name: string; readonly from: string }[];
  /**
   * Whether it has feed documents: a part whose records were all withdrawn has none
   * (history/archive-chain.ts), so its page links none.
   */
  readonly feeds: boolean;
}

/**
 * One month of the archive (pure): every published article of that month, newest first, and
 * links to the next newer and older months that have articles and to the front page.
 *
 * A month of more than one part (more than PART_SIZE records) gets a page per part, beside
 * that part's feed documents: each lists its own records, says which part it is and the dates
 * it spans, links the part before and after it and its own feed documents (none for a part of
 * withdrawn records alone: it has none). The month's own
 * address (archive/YYYY/MM/, the first part, which the front page and the neighbour months
 * link) also lists every part with the date it starts at and carries the links to the
 * neighbour months; the other parts link back to it rather than to the neighbour months. Why:
 * a page must not show anything that moves when an article lands in another part. Adding an
 * article then renders its own part; a new part adds the part before it (its "newer" link)
 * and the first part (its list of parts); a new month adds the first part of the month before
 * it. So a run that adds one article renders a bounded number of month pages however many
 * parts the month has (no "part i of N", no "newest part" link, no month links on every part:
 * each would re-render every part, 1,000 pages for 100,000 undated articles in one month).
 * A month of one part renders exactly as it did before months had parts.
 */
export function renderMonthPage(
  site: PageSite,
  month: string,
  items: readonly ListedArticle[],
  neighbours: { readonly newer: string | null; readonly older: string | null },
  part?: PartPlace,
): string {
  const e = escapeMarkup;
  const l = pageLabels(site.language);
  const parted = part !== undefined && part.of > 1;
  const file = monthFile(parted ? part.name : month);
  const url = `${site.baseUrl}/${file.replace(/index\.html$/, '')}`;
  const title = parted
    ? `${l.monthArchive} ${shownMonth(month)}, ${l.part(part.number).toLowerCase()}`
    : `${l.monthArchive} ${shownMonth(month)}`;
  const first = !parted || part.number === 1;
  const partLink = (n: number, cls: string, label: string): string =>
    `<li><a class="${cls}" href="${e(hrefFrom(file, monthFile(partName(month, n))))}">${e(label)}: ${e(l.part(n))}</a></li>`;
  const nav = [
    parted && part.number < part.of ? partLink(part.number + 1, 'newer-part', l.newer) : '',
    parted && part.number > 1 ? partLink(part.number - 1, 'older-part', l.older) : '',
    !first || neighbours.newer === null
      ? ''
      : `<li><a href="${e(hrefFrom(file, monthFile(neighbours.newer)))}" rel="next">${e(l.newer)}: ${shownMonth(neighbours.newer)}</a></li>`,
    !first || neighbours.older === null
      ? ''
      : `<li><a href="${e(hrefFrom(file, monthFile(neighbours.older)))}" rel="prev">${e(l.older)}: ${shownMonth(neighbours.older)}</a></li>`,
    first
      ? ''
      : `<li><a class="first-part" href="${e(hrefFrom(file, monthFile(month)))}">${e(l.monthArchive)} ${shownMonth(month)}</a></li>`,
    `<li><a href="${e(hrefFrom(file, FRONT_PAGE))}">${e(l.home)}</a></li>`,
  ].filter((x) => x !== '');
  const time = (t: string): string => `<time datetime="${e(t)}">${shownTime(t)}</time>`;
  const partMain = !parted
    ? []
    : [
        part.number !== 1
          ? ''
          : [
              '<section class="parts">',
              `<h2>${e(l.parts)}</h2>`,
              '<ul>',
              ...part.contents.map(
                (c, i) =>
                  `<li><a href="${e(hrefFrom(file, monthFile(c.name)))}">${e(l.part(i + 1))}</a> (${e(l.partFrom)} ${time(c.from)})</li>`,
              ),
              '</ul>',
              '</section>',
            ].join('\n'),
        !part.feeds
          ? ''
          : `<p class="feeds">${e(l.partFeeds)}: ${FEED_LINKS.map(
              (f) =>
                `<a href="${e(hrefFrom(file, `archive/${part.name}/${f.file}`))}" type="${f.mediaType}">${e(f.label)}</a>`,
            ).join(' · ')}</p>`,
      ];
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
      parted
        ? `<p class="meta">${e(l.articles(items.length))} · ${time(part.from)} – ${time(part.to)}</p>`
        : `<p class="meta">${e(l.articles(items.length))}</p>`,
      listHtml(file, items),
      ...partMain,
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
