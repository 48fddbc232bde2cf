import { escapeMarkup } from './escape.js';
import { pageLabels } from './page-labels.js';
import { FEED_LINKS, FRONT_PAGE, hrefFrom } from './page-paths.js';
import { PAGE_STYLE } from './page-style.js';

/** What pages take from the configuration (site.*). */
export interface PageSite {
  readonly title: string;
  readonly description: string;
  readonly baseUrl: string;
  readonly language: string;
  readonly author: { readonly name: string; readonly url?: string | undefined };
}

export interface PageShell {
  /** Path under out/: relative links are made from it. */
  readonly file: string;
  readonly language: string;
  readonly title: string;
  readonly description: string;
  /** Absolute; none for a withdrawn article's notice page (nothing there to index). */
  readonly canonical: string | null;
  /** `<meta property>` pairs (Open Graph), in order. */
  readonly og: readonly (readonly [string, string])[];
  /** schema.org data; written as application/ld+json. */
  readonly jsonLd: unknown;
  readonly noindex: boolean;
  /** The page's main content, already HTML. */
  readonly main: string;
}

/**
 * The frame every page shares: the document head (charset, viewport, title, canonical link,
 * the three feeds' autodiscovery links with the feeds' own self URLs and exact media types,
 * Open Graph, the stylesheet, JSON-LD), the site's name linking to the front page, and the
 * subscribe links. Every text is escaped; no script runs (JSON-LD is data: browsers do not
 * execute `application/ld+json`), and nothing is fetched from elsewhere.
 */
export function renderPage(site: PageSite, p: PageShell): string {
  const e = escapeMarkup;
  const labels = pageLabels(p.language);
  const feedUrl = (file: string): string => `${site.baseUrl}/${file}`;
  const head = [
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${e(p.title)}</title>`,
    p.description === '' ? '' : `<meta name="description" content="${e(p.description)}">`,
    p.noindex ? '<meta name="robots" content="noindex">' : '',
    p.canonical === null ? '' : `<link rel="canonical" href="${e(p.canonical)}">`,
    ...FEED_LINKS.map(
      (f) =>
        `<link rel="alternate" type="${f.mediaType}" title="${e(`${site.title} (${f.label})`)}" href="${e(feedUrl(f.file))}">`,
    ),
    ...p.og.map(([k, v]) => `<meta property="${e(k)}" content="${e(v)}">`),
    `<style>\n${PAGE_STYLE}\n</style>`,
    p.jsonLd === null ? '' : `<script type="application/ld+json">${jsonLdText(p.jsonLd)}</script>`,
  ].filter((l) => l !== '');
  const subscribe = FEED_LINKS.map(
    (f) => `<a href="${e(hrefFrom(p.file, f.file))}" type="${f.mediaType}">${e(f.label)}</a>`,
  ).join(' · ');
  return [
    '<!DOCTYPE html>',
    `<html lang="${e(p.language)}">`,
    '<head>',
    ...head,
    '</head>',
    '<body>',
    '<header>',
    `<p class="site"><a href="${e(hrefFrom(p.file, FRONT_PAGE))}" rel="home">${e(site.title)}</a></p>`,
    '</header>',
    '<main>',
    p.main,
    '</main>',
    '<footer>',
    `<p class="subscribe">${e(labels.subscribe)}: ${subscribe}</p>`,
    '</footer>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/**
 * JSON in a `<script>` element ends at the first `</script`, and `<!--` changes how the HTML
 * parser reads the rest (WHATWG HTML, "script data" states): `<` is written as `\u003c`,
 * which JSON readers decode back. `>` and `&` as well, so no text can look like markup.
 */
export const jsonLdText = (data: unknown): string =>
  JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
