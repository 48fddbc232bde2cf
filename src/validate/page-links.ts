import type { Checker } from './checker.js';
import { targetOf } from './expected-page.js';
import type { PageElement } from './read-page.js';

/**
 * Every link of a page leads somewhere this publication holds (one rule for every `href`, the
 * navigation, the subscribe links, the lists, the head): a link on the site (relative, or under
 * site.baseUrl) must name an output that will be there after this run (a page, a feed, an
 * archive document: `holds`), unless it is one of the page's own known URLs (`known`: a listed
 * record's URL, the article's own, its source's); a link elsewhere must be one of those known
 * URLs. A page's body holds no links of its own (its blocks are text), so nothing else may
 * point anywhere. Pure.
 */
export function checkLinks(
  c: Checker,
  elements: readonly PageElement[],
  pageUrl: string,
  baseUrl: string,
  known: readonly string[],
  /** Whether the file (a path under out/) is an output after this run; absent: not judged. */
  holds: ((file: string) => boolean) | undefined,
  hint: string,
): void {
  let reported = 0;
  const knownTargets = new Set(known.map(targetOf));
  for (const e of elements) {
    if (e.name !== 'a' && e.name !== 'link') continue;
    const href = e.attrs.get('href');
    if (href === undefined) continue;
    const url = absolute(href, pageUrl);
    if (url !== null && knownTargets.has(targetOf(url))) continue;
    const file = url === null ? null : fileOnSite(url, baseUrl);
    if (file !== null && (holds === undefined || holds(file))) continue;
    // One problem per page at most a few: a fault in the frame repeats on every link.
    if (reported++ >= 3) continue;
    c.fail(
      'PAGE_LINK',
      `${e.name}/@href`,
      file === null
        ? `links to ${JSON.stringify(href)}, which is neither on the site nor a URL its records give (a listed article's, the article's source): a link that leads where nothing says it should.`
        : `links to ${JSON.stringify(href)} (${file} in out/), which no output of this publication will be (no page, feed or archive document): a dead link.`,
      hint,
    );
  }
}

const absolute = (href: string, base: string): string | null => {
  try {
    return new URL(href, base).href;
  } catch {
    return null;
  }
};

/**
 * The file under out/ a URL on the site names (a folder by its index.html), or null for a URL
 * off the site. A query or fragment is not part of a file's name: such a link names no file.
 */
function fileOnSite(url: string, baseUrl: string): string | null {
  const base = `${baseUrl.replace(/\/+$/, '')}/`;
  if (!url.startsWith(base)) return null;
  const rest = url.slice(base.length);
  if (/[?#]/.test(rest)) return `${rest} (with a query or fragment)`;
  return rest === '' || rest.endsWith('/') ? `${rest}index.html` : rest;
}
