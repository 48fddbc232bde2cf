import type { ArchiveRecord } from '../model/record.js';
import { byPublishedDesc } from '../model/newest-first.js';
import { OUTPUTS } from '../model/outputs.js';
import { creditLabel as sourceLabel } from './credit-label.js';
import type { SiteFacts } from './expected-feed.js';

/**
 * What each page must show, from the records read again from disk and the configuration, on a
 * path of its own (it imports nothing from render/): the oracle for the page verifier.
 */
export interface ExpectedItem {
  readonly id: string;
  readonly title: string;
  /** Where its link must lead (absolute). */
  readonly url: string;
  readonly publishedAt: string;
  readonly language: string;
  /** Shown under the entry ('' for none). */
  readonly summary: string;
}

export type ExpectedPage = PageKind & {
  /**
   * Whether a file (a path under out/) is an output after this run: a page, a feed, an archive
   * document. Every link on the site must lead to one (validate/page-links.ts); absent, those
   * links are not judged (a page verified on its own, in tests).
   */
  readonly holds?: (file: string) => boolean;
};

type PageKind =
  | { readonly kind: 'article'; readonly record: ArchiveRecord }
  | { readonly kind: 'withdrawn'; readonly record: ArchiveRecord }
  | {
      readonly kind: 'front';
      readonly latest: readonly ExpectedItem[];
      readonly months: readonly { readonly month: string; readonly count: number }[];
    }
  | {
      readonly kind: 'month';
      readonly month: string;
      readonly items: readonly ExpectedItem[];
      readonly newer: string | null;
      readonly older: string | null;
      /** Its part, when the month has more than one (otherwise null). */
      readonly part: ExpectedPart | null;
    };

/**
 * A month page of a month cut into parts: each part's page lists the live records of the
 * archive document of the same name (validate/expected-history.ts, the chain's oracle) and
 * links to the parts beside it, its own feed documents (a part of withdrawn records alone has
 * none, so links none) and (from the second part on) the
 * month's first part instead of the neighbour months; the first part lists every part.
 */
export interface ExpectedPart {
  /** `YYYY/MM/<n>` from the second part on. */
  readonly name: string;
  /** Absolute URLs (folders, `…/archive/YYYY/MM/2/`) of the parts before and after it. */
  readonly older: string | null;
  readonly newer: string | null;
  /** Every part's URL, oldest first: on the first part only (otherwise empty). */
  readonly contents: readonly string[];
  /** Its RSS, Atom and JSON Feed documents (absolute); none when its records were all withdrawn. */
  readonly feeds: readonly string[];
  /** The month's first part (absolute), from the second part on (otherwise null). */
  readonly first: string | null;
  /** The publication times of its oldest and newest records, withdrawn ones included. */
  readonly span: readonly [string, string];
}

export const itemOf = (r: ArchiveRecord): ExpectedItem => ({
  id: r.id,
  title: r.title,
  url: r.url,
  publishedAt: r.publishedAt,
  language: r.language,
  summary: r.summary,
});

/** Newest first, ties by id: the order every list shows. */
export const newestFirst = (items: readonly ExpectedItem[]): ExpectedItem[] =>
  [...items].sort(byPublishedDesc);

/** The autodiscovery links every page must carry: the feeds' self links, exact media types. */
export const expectedAlternates = (site: SiteFacts): { type: string; href: string }[] =>
  OUTPUTS.map((o) => ({ type: o.mediaType, href: `${site.baseUrl}/${o.file}` }));

/** The body blocks a page shows, then the source credit line (as in the feeds). */
export const sourceLine = (r: ArchiveRecord): string | null =>
  r.source === null ? null : `${sourceLabel(r.language)}: ${r.source.name}`;

/** Two URLs that a static server answers with the same file (`…/x/` and `…/x/index.html`). */
export const sameTarget = (a: string, b: string): boolean => targetOf(a) === targetOf(b);

/** What sameTarget compares: the URL without a final `index.html` or `/`. */
export const targetOf = (u: string): string => u.replace(/index\.html$/, '').replace(/\/$/, '');

/** What each page must show, by its file under out/ (undefined: no page is expected there). */
export interface PageExpectations {
  get(file: string): ExpectedPage | undefined;
}
