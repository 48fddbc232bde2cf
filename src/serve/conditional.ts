/**
 * Conditional GET (RFC 9110 section 13.2.2): If-None-Match first; If-Modified-Since only when
 * there is no If-None-Match (section 13.1.3: the entity tag is the more accurate validator), and
 * only for GET and HEAD. If-None-Match uses the weak comparison (section 8.8.3.2), so a
 * `W/"…"` a cache weakened still matches.
 */
export function notModified(
  ifNoneMatch: string | undefined,
  ifModifiedSince: string | undefined,
  etag: string,
  lastModifiedSeconds: number,
): boolean {
  if (ifNoneMatch !== undefined) return etagListMatches(ifNoneMatch, etag);
  if (ifModifiedSince === undefined) return false;
  const since = Date.parse(ifModifiedSince);
  // An invalid date is ignored (section 13.1.3), so is one in the future of the file.
  if (Number.isNaN(since)) return false;
  return lastModifiedSeconds * 1000 <= since;
}

function etagListMatches(header: string, etag: string): boolean {
  if (header.trim() === '*') return true;
  const opaque = etag.startsWith('W/') ? etag.slice(2) : etag;
  for (const part of header.split(',')) {
    const t = part.trim();
    if ((t.startsWith('W/') ? t.slice(2) : t) === opaque) return true;
  }
  return false;
}
