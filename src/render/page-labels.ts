/**
 * The few words a page adds around the article, in the page's language (like the source credit,
 * model/source-label.ts): keyed by the primary language subtag (BCP 47 section 2.2.1), English
 * otherwise. A page in Romanian should not say "Published" in the middle of Romanian text.
 */
export interface PageLabels {
  readonly published: string;
  readonly updated: string;
  readonly by: string;
  readonly home: string;
  readonly latest: string;
  readonly archive: string;
  readonly monthArchive: string;
  readonly older: string;
  readonly newer: string;
  readonly subscribe: string;
  readonly withdrawn: string;
  readonly withdrawnTitle: string;
  readonly articles: (n: number) => string;
  /** A month cut into parts (model/month-parts.ts). */
  readonly part: (n: number) => string;
  readonly parts: string;
  readonly partFrom: string;
  readonly partFeeds: string;
}

const EN: PageLabels = {
  published: 'Published',
  updated: 'Updated',
  by: 'By',
  home: 'Front page',
  latest: 'Latest',
  archive: 'Archive',
  monthArchive: 'Articles of',
  older: 'Older',
  newer: 'Newer',
  subscribe: 'Subscribe',
  withdrawn: 'This article was withdrawn on',
  withdrawnTitle: 'Withdrawn',
  articles: (n) => (n === 1 ? '1 article' : `${n} articles`),
  part: (n) => `Part ${n}`,
  parts: 'Parts of this month',
  partFrom: 'from',
  partFeeds: 'This part as a feed',
};

const RO: PageLabels = {
  published: 'Publicat',
  updated: 'Actualizat',
  by: 'De',
  home: 'Prima pagină',
  latest: 'Cele mai noi',
  archive: 'Arhivă',
  monthArchive: 'Articolele din',
  older: 'Mai vechi',
  newer: 'Mai noi',
  subscribe: 'Abonare',
  withdrawn: 'Acest articol a fost retras la',
  withdrawnTitle: 'Retras',
  articles: (n) => (n === 1 ? '1 articol' : `${n} articole`),
  part: (n) => `Partea ${n}`,
  parts: 'Părțile acestei luni',
  partFrom: 'din',
  partFeeds: 'Această parte ca flux',
};

export const pageLabels = (language: string): PageLabels =>
  language.toLowerCase().split('-')[0] === 'ro' ? RO : EN;

/** A UTC time as pages show it: `2026-11-29 08:00 UTC` (the same bytes on every machine). */
export const shownTime = (utc: string): string => `${utc.slice(0, 10)} ${utc.slice(11, 16)} UTC`;
