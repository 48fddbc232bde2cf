import type { ArchiveRecord } from '../model/record.js';
import { bodyHtml, isHttpUrl, sourceHtml } from './article-html.js';
import { escapeMarkup } from './escape.js';
import { pageLabels, shownTime } from './page-labels.js';
import { renderPage, type PageSite } from './page-layout.js';
import { isolateBidi } from './bidi-isolate.js';
import { FRONT_PAGE, hrefFrom, monthFile, monthOf } from './page-paths.js';

/**
 * One article's page (pure): title, section, dates (an "updated" line when it was revised),
 * authors, the body with its headings, the source credit, links to its month and the front
 * page. The head carries what aggregators and search engines read: the canonical link, Open
 * Graph (ogp.me, type article) and a schema.org NewsArticle.
 */
export function renderArticlePage(site: PageSite, r: ArchiveRecord, file: string): string {
  const e = escapeMarkup;
  const l = pageLabels(r.language);
  const time = (utc: string): string => `<time datetime="${utc}">${shownTime(utc)}</time>`;
  const meta = [
    r.section === null ? '' : `<span class="section">${e(r.section)}</span>`,
    `${e(l.published)} ${time(r.publishedAt)}`,
    r.authors.length === 0 ? '' : `${e(l.by)} ${e(r.authors.map((a) => a.name).join(', '))}`,
  ].filter((x) => x !== '');
  const month = monthOf(r.publishedAt);
  const main = [
    '<article>',
    `<h1>${e(r.title)}</h1>`,
    `<p class="meta">${meta.join(' · ')}</p>`,
    r.updatedAt === r.publishedAt
      ? ''
      : `<p class="meta updated">${e(l.updated)} ${time(r.updatedAt)}</p>`,
    '<div class="body">',
    bodyHtml(r.body),
    '</div>',
    r.source === null ? '' : sourceHtml(r.source, r.language).replace('<p>', '<p class="source">'),
    '</article>',
    '<nav>',
    '<ul>',
    `<li><a href="${e(hrefFrom(file, monthFile(month)))}">${e(l.archive)} ${month.replace('/', '-')}</a></li>`,
    `<li><a href="${e(hrefFrom(file, FRONT_PAGE))}">${e(l.home)}</a></li>`,
    '</ul>',
    '</nav>',
  ].filter((x) => x !== '');
  return renderPage(site, {
    file,
    language: r.language,
    title: `${isolateBidi(r.title)} – ${site.title}`,
    description: r.summary,
    canonical: r.url,
    og: [
      ['og:type', 'article'],
      ['og:title', r.title],
      ...(r.summary === '' ? [] : [['og:description', r.summary] as const]),
      ['og:url', r.url],
      ['og:site_name', site.title],
      ['article:published_time', r.publishedAt],
      ['article:modified_time', r.updatedAt],
      ...(r.section === null ? [] : [['article:section', r.section] as const]),
    ],
    jsonLd: {
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: r.title,
      ...(r.summary === '' ? {} : { description: r.summary }),
      datePublished: r.publishedAt,
      dateModified: r.updatedAt,
      inLanguage: r.language,
      mainEntityOfPage: r.url,
      ...(r.section === null ? {} : { articleSection: r.section }),
      author:
        r.authors.length > 0
          ? r.authors.map((a) => ({ '@type': 'Person', name: a.name }))
          : [{ '@type': 'Organization', name: site.author.name }],
      publisher: {
        '@type': 'Organization',
        name: site.author.name,
        ...(site.author.url === undefined ? {} : { url: site.author.url }),
      },
      ...(r.source !== null && isHttpUrl(r.source.url) ? { isBasedOn: r.source.url } : {}),
    },
    noindex: false,
    main: main.join('\n'),
  });
}

/**
 * What stays at a withdrawn article's URL: its title, when it was withdrawn, a link to the
 * front page, and no body (a newsroom withdraws for a reason; README "Pages"). A server
 * answers it with 410 Gone (the row's `status`), and `noindex` keeps it out of search results.
 */
export function renderWithdrawnPage(site: PageSite, r: ArchiveRecord, file: string): string {
  const e = escapeMarkup;
  const l = pageLabels(r.language);
  const at = r.withdrawnAt ?? r.updatedAt;
  return renderPage(site, {
    file,
    language: r.language,
    title: `${l.withdrawnTitle}: ${isolateBidi(r.title)} – ${site.title}`,
    description: '',
    canonical: null,
    og: [],
    jsonLd: null,
    noindex: true,
    main: [
      '<article class="withdrawn">',
      `<h1>${e(r.title)}</h1>`,
      `<p class="notice">${e(l.withdrawn)} <time datetime="${at}">${shownTime(at)}</time>.</p>`,
      `<p><a href="${e(hrefFrom(file, FRONT_PAGE))}">${e(l.home)}</a></p>`,
      '</article>',
    ].join('\n'),
  });
}
