/**
 * Which content coding to send, from Accept-Encoding (RFC 9110 section 12.5.3): the available
 * coding with the highest q-value; on a tie brotli, then gzip, then none (brotli is the
 * smallest). `*` stands for every coding not named; `q=0` means "not acceptable". No header
 * means any coding is acceptable, but a client that sends none may not decode one (curl without
 * --compressed), so it gets the file as is; so does one that accepts nothing we have, rather
 * than a 406 (the section allows either).
 */
export type Coding = 'br' | 'gzip' | 'identity';

const PREFERENCE: readonly Coding[] = ['br', 'gzip', 'identity'];

/** q-value of each coding named in the header, lower-cased; `*` included. */
export function parseAcceptEncoding(header: string): Map<string, number> {
  const q = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name = '', ...params] = part.split(';');
    const coding = name.trim().toLowerCase();
    if (coding === '') continue;
    let value = 1;
    for (const p of params) {
      const m = /^\s*q\s*=\s*([0-9.]+)\s*$/i.exec(p);
      if (m) value = Math.min(1, Math.max(0, Number(m[1]) || 0));
    }
    // x-gzip is gzip (RFC 9110 section 8.4.1.3).
    q.set(coding === 'x-gzip' ? 'gzip' : coding, value);
  }
  return q;
}

export function chooseCoding(
  header: string | undefined,
  available: { readonly br: boolean; readonly gzip: boolean },
): Coding {
  if (header === undefined || header === '') return 'identity';
  const q = parseAcceptEncoding(header);
  const star = q.get('*');
  const qOf = (c: Coding): number => {
    if (c === 'identity') {
      // Acceptable unless excluded; when not named, only the last resort ("gzip;q=0.5" asks
      // for gzip, not for the file as is).
      return q.get('identity') ?? (star === 0 ? 0 : Number.MIN_VALUE);
    }
    return available[c] ? (q.get(c) ?? star ?? 0) : 0;
  };
  let best: Coding = 'identity';
  let bestQ = 0;
  for (const c of PREFERENCE) {
    const v = qOf(c);
    if (v > bestQ) {
      best = c;
      bestQ = v;
    }
  }
  return best;
}
