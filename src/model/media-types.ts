import { OUTPUTS } from './outputs.js';

/**
 * The Content-Type `serve` sends (and deploy/nginx.conf, deploy/Caddyfile repeat). The feeds'
 * types come from the outputs table, matched by file name so that an RFC 5005 archive document
 * (archive/YYYY/MM/rss.xml) gets its feed's type too; pages and their assets by extension.
 * Text types carry `charset=utf-8`: every file feedkeeper writes is UTF-8, and without it a
 * client may guess (RFC 3023 made text/xml default to US-ASCII; RFC 7303 section 3 still
 * recommends the parameter).
 */
const BY_NAME: ReadonlyMap<string, string> = new Map(
  OUTPUTS.map((o) => [o.file.slice(o.file.lastIndexOf('/') + 1), o.mediaType]),
);

const BY_EXTENSION: Readonly<Record<string, string>> = {
  html: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  txt: 'text/plain',
  xml: 'application/xml',
  xsl: 'application/xslt+xml',
  json: 'application/json',
  svg: 'image/svg+xml',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  ico: 'image/x-icon',
  woff2: 'font/woff2',
  pdf: 'application/pdf',
};

/** Types whose bytes are text (UTF-8): they get the charset parameter and are compressed. */
const TEXT = /^text\/|\+xml$|\+json$|^application\/(?:xml|json|xslt\+xml)$/;

export interface MediaType {
  /** The Content-Type header value. */
  readonly contentType: string;
  /** Worth compressing (text); images and fonts are compressed already. */
  readonly compressible: boolean;
}

const OCTET: MediaType = { contentType: 'application/octet-stream', compressible: false };

/** The media type of a path under out/ ('/'-separated). */
export function mediaTypeOf(path: string): MediaType {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  const type =
    BY_NAME.get(name) ?? (dot > 0 ? BY_EXTENSION[name.slice(dot + 1).toLowerCase()] : undefined);
  if (type === undefined) return OCTET;
  const text = TEXT.test(type);
  return { contentType: text ? `${type}; charset=utf-8` : type, compressible: text };
}
