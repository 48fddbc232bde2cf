import { NOT_A_RESOURCE } from '../model/outputs.js';

/**
 * A request target → the path of a file under out/, or why not. Pure: no file system here; what
 * this lets through is then looked up below the real path of out/ (serve/file-cache.ts), where
 * a symlink pointing out is refused too.
 *
 * The target is decoded exactly once (RFC 3986 section 2.4): `%2e%2e` becomes `..` and is then
 * refused as a dot segment; `%252e` becomes the three characters `%2e`, a file name that is not
 * there. Dot segments are refused, not resolved (clients remove them before sending, RFC 3986
 * section 5.2.4, so one that arrives is an attack or a bug); so are backslashes (a path
 * separator elsewhere), NUL, control characters and hidden names (temp files, `.well-known`).
 */
export const MAX_TARGET = 2048;

export type Target =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'refused'; readonly status: 400 | 404 | 414; readonly why: string };

export { NOT_A_RESOURCE };

const SAFE_FAST = /^\/[A-Za-z0-9_\-./]*$/;

export function resolveTarget(raw: string): Target {
  if (raw.length > MAX_TARGET)
    return { kind: 'refused', status: 414, why: `target longer than ${MAX_TARGET} characters` };
  let target = raw;
  // absolute-form (RFC 9112 section 3.2.2), as a proxy would send it: keep its path.
  if (/^https?:\/\//i.test(target)) {
    const slash = target.indexOf('/', target.indexOf('//') + 2);
    target = slash < 0 ? '/' : target.slice(slash);
  }
  if (!target.startsWith('/'))
    return { kind: 'refused', status: 400, why: 'not an origin-form target' };
  const q = target.search(/[?#]/);
  if (q >= 0) target = target.slice(0, q);
  let path = target;
  if (!SAFE_FAST.test(path)) {
    try {
      path = decodeURIComponent(path);
    } catch {
      return { kind: 'refused', status: 400, why: 'malformed percent-encoding' };
    }
    if (/[\u0000-\u001f\u007f]/.test(path))
      return {
        kind: 'refused',
        status: 400,
        why: 'a control character (NUL, CR, LF…) in the path',
      };
    if (path.includes('\\'))
      return { kind: 'refused', status: 404, why: 'a backslash in the path' };
  }
  const segments = path.split('/').filter((s) => s !== '');
  for (const s of segments) {
    if (s === '.' || s === '..') return { kind: 'refused', status: 404, why: 'a dot segment' };
    if (s.startsWith('.')) return { kind: 'refused', status: 404, why: 'a hidden name' };
  }
  // "/" and "/dir/" are the folder's index.html.
  if (path.endsWith('/')) segments.push('index.html');
  const file = segments.join('/');
  if (NOT_A_RESOURCE.test(file))
    return { kind: 'refused', status: 404, why: 'a precompressed copy or a marker' };
  return { kind: 'file', path: file };
}
