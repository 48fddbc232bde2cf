import { NOT_A_RESOURCE, OUTPUTS } from '../model/outputs.js';

/**
 * Where each page lives under out/ (and so under site.baseUrl), and how pages link to each
 * other. Pure. Links between pages are relative (`../archive/2026/11/`), so the site also works
 * when out/ is previewed from another address; canonical links, Open Graph, JSON-LD and the
 * autodiscovery links are absolute, because readers and crawlers use them outside the page.
 */
export const FRONT_PAGE = 'index.html';

/** `YYYY/MM` of a UTC time stamp: the month folder of its record (archive/record-path.ts). */
export { monthOf } from '../model/month-parts.js';

/**
 * The month page: `archive/YYYY/MM/index.html`, mirroring `archive/records/YYYY/MM/`; given a
 * part's name (`YYYY/MM/<n>`, model/month-parts.ts), that part's page beside its feed documents.
 */
export const monthFile = (month: string): string => `archive/${month}/index.html`;

export type PagePlace =
  | { readonly kind: 'page'; readonly file: string }
  /** On another host: the feeds link there and we write no page. */
  | { readonly kind: 'elsewhere' }
  /** Under baseUrl, but not a path we can write a page at (why). */
  | { readonly kind: 'unusable'; readonly why: string };

/** The longest path segment a page may have: NAME_MAX (255) less room for `.x.tmp-<pid>.br`. */
const MAX_SEGMENT = 200;
/** The longest page path (under serve's MAX_TARGET of 2,048 with any site path before it). */
const MAX_PAGE_PATH = 1024;

/** Files and folders a front-matter URL must not take: the feeds, the front page, the months. */
const RESERVED = new Set([...OUTPUTS.map((o) => o.file), FRONT_PAGE]);

/**
 * The page file of a record's URL. `<baseUrl>/articles/<slug>.html` (minted) is that file; a
 * front-matter URL under baseUrl gets its page at that path: a path ending in `.html` is the
 * file, any other is a folder served by its `index.html` (`…/2022/12/library-reopens` →
 * `2022/12/library-reopens/index.html`). Only plain ASCII path segments are accepted, so a URL
 * can never name a file outside out/ or one a shell would trip on.
 */
export function pagePlaceOf(url: string, baseUrl: string): PagePlace {
  const base = `${baseUrl.replace(/\/+$/, '')}/`;
  if (!url.startsWith(base)) {
    // The site's own address but the other scheme (http for https): a page on the site that
    // the feeds would link at an address the site does not serve. It got no page, no word.
    const other = base.replace(/^https?:/, (s) => (s === 'https:' ? 'http:' : 'https:'));
    return url.startsWith(other)
      ? {
          kind: 'unusable',
          why: `it is on the site but its scheme is not site.baseUrl's (${base.slice(0, base.indexOf(':'))})`,
        }
      : { kind: 'elsewhere' };
  }
  // A page is a file: its address has no query or fragment, and the gate proves each page at
  // the record's address, byte for byte (a page for `q.html?x=1` failed every run's gate).
  if (/[?#]/.test(url.slice(base.length)))
    return {
      kind: 'unusable',
      why: 'it has a query (?…) or a fragment (#…), which a page file cannot have',
    };
  const rest = url.slice(base.length);
  const path = rest.replace(/\/+$/, '');
  if (path === '') return { kind: 'unusable', why: 'it is the front page' };
  const segments = path.split('/');
  if (segments.some((s) => !/^[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/.test(s)))
    return {
      kind: 'unusable',
      why: 'its path holds characters other than ASCII letters, digits and . _ ~ -, or a segment starting with a dot',
    };
  // A name the file system refuses (over 255 bytes, less the temp and .gz/.br suffixes of a
  // staged copy: ENAMETOOLONG stopped every run), or a path `serve` refuses as too long.
  if (segments.some((s) => s.length > MAX_SEGMENT) || path.length > MAX_PAGE_PATH)
    return {
      kind: 'unusable',
      why: `its path is longer than a page's can be (${MAX_SEGMENT} characters between slashes, ${MAX_PAGE_PATH} in all)`,
    };
  // The feeds would link a name `serve` and nginx never answer for (a 404 in every reader). A
  // folder of that name is worse: it stands where the publication writes the copy or the 410
  // marker of the file beside it (`articles/x.html.gz/notes`: EISDIR on every run once
  // articles/x.html was published, a crash once it was withdrawn and came back).
  const copyName = segments.find((s) => NOT_A_RESOURCE.test(s));
  if (copyName !== undefined)
    return {
      kind: 'unusable',
      why: `its path has a part ending in .gz, .br or .gone ("${copyName}"), names feedkeeper and the server keep for the compressed copies and the gone markers of other files`,
    };
  const file = /\.html?$/.test(path) && !rest.endsWith('/') ? path : `${path}/index.html`;
  const top = segments[0] ?? '';
  if (RESERVED.has(file) || RESERVED.has(top) || top === 'archive')
    return { kind: 'unusable', why: `${file} is one of feedkeeper's own files or folders` };
  // A page whose name ends in .html is a file, so a folder of such a name can only stand where
  // a page would be: taken by a url first, it kept a later article from its own page
  // (`articles/x.html/notes` before the article "X": its feed link was a 404). Refused here,
  // whichever comes first, so the warning is the url's.
  const pageName = file
    .split('/')
    .slice(0, -1)
    .find((s) => /\.html?$/.test(s));
  if (pageName !== undefined)
    return {
      kind: 'unusable',
      why: `it is below ${pageName}, the name of a page file (articles/<slug>.html is an article's own), which cannot also be a folder`,
    };
  return { kind: 'page', file };
}

/** How a page at `from` links to the page at `to` (both paths under out/). */
export function hrefFrom(from: string, to: string): string {
  const up = '../'.repeat(from.split('/').length - 1);
  const target = to === FRONT_PAGE ? '' : to.replace(/(^|\/)index\.html$/, '$1');
  return `${up}${target}` || './';
}

/** The three feeds, as the autodiscovery links and the subscribe links name them. */
export const FEED_LINKS = OUTPUTS.map((o) => ({
  file: o.file,
  mediaType: o.mediaType,
  label: o.format === 'rss' ? 'RSS' : o.format === 'atom' ? 'Atom' : 'JSON Feed',
}));
