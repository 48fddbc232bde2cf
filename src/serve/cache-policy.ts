/**
 * Cache-Control for what `serve` sends (deploy/nginx.conf and deploy/Caddyfile repeat it).
 *
 * Everything feedkeeper publishes today can change: the feeds on every run, a page when its
 * article is revised or withdrawn, and an RFC 5005 archive document (archive/YYYY/MM/…) when a
 * record of that month is revised or withdrawn, even after the month is over. So everything is
 * fresh for five minutes (one default `schedule.cron` period: a reader polling more often gets
 * a 304 from its cache, not from us) and revalidated with ETag / Last-Modified after that.
 * `immutable` (RFC 8246) would promise that the bytes behind a URL never change; nothing here
 * keeps that promise today. A file whose name carries its content hash would (`style.3f2a9c1e.css`);
 * IMMUTABLE is where such a rule goes when one is published.
 */
export const SHORT = 'max-age=300';
export const IMMUTABLE = 'max-age=31536000, immutable';

/** File names that promise never to change: none today (see above). */
const NEVER_CHANGES: readonly RegExp[] = [];

export function cacheControlOf(path: string): string {
  return NEVER_CHANGES.some((re) => re.test(path)) ? IMMUTABLE : SHORT;
}
