/**
 * Where a record lives, relative to the records folder: `YYYY/MM/<slug>.json`, by its
 * publication month (UTC). Both parts are minted once, so the path never changes.
 */
export const recordPathFor = (publishedAt: string, slug: string): string =>
  `${publishedAt.slice(0, 4)}/${publishedAt.slice(5, 7)}/${slug}.json`;

/** The slug a record path names (used to keep a corrupt record's slug from being reused). */
export const slugOfRecordPath = (path: string): string =>
  path.replace(/^.*\//, '').replace(/\.json$/, '');

/** `base`, or `base-2`, `base-3`… : the first slug no other record uses. */
export function allocateSlug(base: string, taken: (slug: string) => boolean): string {
  if (!taken(base)) return base;
  for (let n = 2; ; n++) if (!taken(`${base}-${n}`)) return `${base}-${n}`;
}

/**
 * RFC 4151 tag URI, minted once: `tag:<host>,<YYYY-MM-DD>:<slug>`. The host is the site's
 * (ASCII: URL gives the punycode form) and the date the day of first publication, so the id
 * stays unique and stable even if the site later moves.
 */
export const tagUri = (host: string, publishedAt: string, slug: string): string =>
  `tag:${host},${publishedAt.slice(0, 10)}:${slug}`;
