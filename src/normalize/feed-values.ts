import { describeIllegal, illegalCharacterIn } from './clean-text.js';
import { feedLanguageProblem } from './language-tags.js';

/**
 * What a value must be for every feed format and the readers and validators that read them to
 * carry it unchanged (issue 10, "values checked at the door"). The same rules check a stored
 * article's front matter (normalize/front-matter.ts), before anything is archived, and a record
 * about to be rendered (pipeline/choose-entries.ts), so a record made by an older version, or
 * edited by hand, is left out of the feeds and reported instead of blocking them. Each function
 * returns what is wrong, in words for the report, or null.
 */

/** 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z: what RFC 822, RFC 3339 and readers share. */
export const EARLIEST = Date.UTC(1970, 0, 1);
export const LATEST = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * A UTC instant in ms, as a date the feeds can carry. RFC 3339 (Atom, JSON Feed) has four-digit
 * years only; RSS's RFC 822 dates are read with two-digit-year rules by real parsers (year 0000
 * came back as 2000); a date past 9999 (`9999-12-31T23:59:59-23:59` is in year 10000) has no
 * four-digit form at all, and gave a record folder `+010/`.
 */
export function instantProblem(ms: number): string | null {
  if (Number.isNaN(ms)) return 'it is not a date';
  if (ms < EARLIEST) return 'it is before 1970-01-01 in UTC, which feed readers do not read back';
  if (ms > LATEST) return 'it is after 9999-12-31T23:59:59Z in UTC (after applying its offset)';
  return null;
}

/** URI characters (RFC 3986 unreserved, gen-delims but `[` `]`, sub-delims) less `&` and `'`. */
const ID_CHARS = /^[A-Za-z0-9\-._~:/?#@!$()*+,;=%]+$/;
/** RFC 4151 tag URI, as the W3C feed validator reads it (lower-case authority). */
const TAG =
  /^tag:(?:[a-z0-9\-._]+@)?[a-z0-9.-]+,\d{4}(?:-\d{2}(?:-\d{2})?)?:[0-9a-zA-Z;/?:@=+$.\-_!~*()%,]*(?:#[0-9a-zA-Z;/?:@=+$.\-_!~*()%,]*)?$/;
/** RFC 8141 URN (the W3C feed validator's reading). */
const URN = /^urn:[a-zA-Z0-9][a-zA-Z0-9-]{1,31}:(?:[a-zA-Z0-9()+,.:=@;$_!*-]|%[0-9A-Fa-f]{2})+$/i;
const UUID = /^urn:uuid:[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}$/i;
export const MAX_ID_LENGTH = 512;

/**
 * An entry id (RSS guid, Atom id, JSON Feed id, byte for byte): an ASCII URI with no character
 * that markup escapes (`&` `<` `>` quotes), since a feed library that escapes one and not the
 * other publishes another id in each format; tag: and urn: ids in their RFCs' syntax.
 */
export function idProblem(id: string): string | null {
  if (id.length > MAX_ID_LENGTH) return `it is ${id.length} characters long, over ${MAX_ID_LENGTH}`;
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(id))
    return 'it is not a URI (it needs a scheme, as in tag:news.example.org,2026-11-25:my-story)';
  // `x:` is a URI by RFC 3986's grammar, but not an IRI the Atom validator takes as an id.
  if (id.indexOf(':') === id.length - 1)
    return 'it is a scheme with nothing after it; write the whole id, as in tag:news.example.org,2026-11-25:my-story';
  const bad = [...id].find((c) => !ID_CHARS.test(c));
  if (bad !== undefined)
    return `it holds ${JSON.stringify(bad)}: ids may use only ASCII letters, digits and - . _ ~ : / ? # @ ! $ ( ) * + , ; = %`;
  if (/%(?![0-9A-Fa-f]{2})/.test(id)) return 'it holds a % not followed by two hexadecimal digits';
  const scheme = id.slice(0, id.indexOf(':')).toLowerCase();
  if (scheme === 'tag' && !TAG.test(id))
    return 'it is not an RFC 4151 tag URI (tag:<lower-case host>,<YYYY[-MM[-DD]]>:<name>)';
  if (scheme === 'urn' && (!URN.test(id) || (/^urn:uuid:/i.test(id) && !UUID.test(id))))
    return 'it is not an RFC 8141 URN (urn:<namespace>:<name>)';
  if ((scheme === 'http' || scheme === 'https') && urlProblem(id) !== null) return urlProblem(id);
  return null;
}

/** Schemes a reader may follow or run when it takes an entry id for a link (RSS guid). */
const UNSAFE_ID_SCHEMES = new Set(['javascript', 'vbscript', 'data', 'file', 'blob', 'about']);

/**
 * What a *new* record's declared id must be besides idProblem: RFC 4151's date a real day
 * (section 2.1: a date on which the authority held its name; `2026-02-30` never was) and a
 * specific part after it (an empty one names every entry the authority tags that day alike),
 * and no scheme a reader taking the id for a link would run or open (`javascript:`, `data:`).
 * Only new records: an archived record keeps its id whatever it is (ids never change), and
 * idProblem alone judges it for the feeds.
 */
export function newIdProblem(id: string): string | null {
  const scheme = id.slice(0, id.indexOf(':')).toLowerCase();
  if (UNSAFE_ID_SCHEMES.has(scheme))
    return `its scheme is ${scheme}:, which a reader taking the id for a link would run or open; use a tag: URI such as tag:news.example.org,2026-11-25:my-story`;
  if (scheme !== 'tag') return null;
  const m = /^tag:[^,]*,(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?:(.*)$/i.exec(id);
  if (m === null) return null;
  const [, year, month, day, specific] = m;
  const y = Number(year);
  const mo = month === undefined ? 1 : Number(month);
  const d = day === undefined ? 1 : Number(day);
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (
    mo < 1 ||
    mo > 12 ||
    d < 1 ||
    date.getUTCFullYear() !== y ||
    date.getUTCMonth() !== mo - 1 ||
    date.getUTCDate() !== d
  )
    return `its date ${[year, month, day].filter((v) => v !== undefined).join('-')} is not a day of the calendar (RFC 4151 section 2.1: YYYY[-MM[-DD]], a date that was)`;
  if (specific === '' || specific?.startsWith('#') === true)
    return 'it has nothing after the date: RFC 4151 names the entry there (tag:<host>,<date>:<name>), and without a name every such id of that day is the same';
  return null;
}

/**
 * An id as a URL parser writes it: scheme in lower case, and for a URL with a host its host
 * in lower case, a default port, `/./` and `/../` and an empty path as the parser writes them.
 * The gate reads the Atom id back through a URL parser, so an id stored as written
 * (`HTTPS://NEWS.EXAMPLE.ORG/x`, `URN:ISBN:…`, `https://news.example.org`) read back as another
 * string and blocked every publication. A new record stores this form; `value` unchanged when
 * no parser takes it (idProblem then says why).
 */
export function canonicalId(value: string): string {
  try {
    return new URL(value).href;
  } catch {
    return value;
  }
}

/**
 * RFC 4151's `DNSname` (letters, digits, `-` inside labels, no empty label): the host of
 * `site.baseUrl` names every tag URI minted under it, and a host such as `news_room.example.org`
 * (a valid URL) made ids the gate refuses forever, since ids are minted once.
 */
const DNS_NAME = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*$/i;
export function tagHostProblem(host: string): string | null {
  if (DNS_NAME.test(host)) return null;
  return `its host ${JSON.stringify(host)} is not a DNS name (letters, digits and - inside dot-separated labels, no empty label, no trailing dot), which the records' tag URI ids must name (RFC 4151)`;
}

/** RFC 3986 characters a serialized http(s) URL may hold (no `[` `]`: no IP literal either). */
const URL_CHARS = /^[A-Za-z0-9\-._~:/?#@!$&'()*+,;=%]*$/;
export const MAX_URL_LENGTH = 2048;

/**
 * An absolute http(s) URL that every format carries unchanged: as written, no white space or
 * control character (the URL parser silently drops tabs and new lines); once serialized, only
 * RFC 3986 characters (`[` `]` stay as they are in a path, and the W3C validator and the JSON
 * Feed schema's `uri` format refuse them; `]]>` ended up as `]]%3E`).
 */
export function urlProblem(value: string): string | null {
  const ws = /[\s\p{Cc}]/u.exec(value);
  if (ws !== null)
    return `it holds white space or a control character (${JSON.stringify(ws[0])}); write a space as %20`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'it is not an absolute URL';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    return `its scheme is ${url.protocol.slice(0, -1)}; feeds link to http(s) URLs only`;
  if (url.hostname === '') return 'it has no host';
  if (url.href.length > MAX_URL_LENGTH)
    return `it is ${url.href.length} characters long, over ${MAX_URL_LENGTH}`;
  // The host too: an IP literal (`http://[::1]/`) is refused by the W3C validator's RSS link.
  const bad = [...url.href].find((c) => !URL_CHARS.test(c));
  if (bad !== undefined)
    return `it holds ${JSON.stringify(bad)}, which URLs must percent-encode (${JSON.stringify(bad)} is ${encodeURIComponent(bad)})`;
  // Kept as they are by the URL parser, refused by the W3C validator and the JSON Feed schema.
  if (/%(?![0-9A-Fa-f]{2})/.test(url.href))
    return 'it holds a % not followed by two hexadecimal digits; write a % itself as %25';
  if (url.hash.includes('#', 1))
    return 'it holds a second #, which a fragment may not hold; write it as %23';
  return null;
}

/** A language tag every format and validator accepts (normalize/language-tags.ts). */
export const languageProblem = feedLanguageProblem;

/** The values of a record the feeds show: what is wrong with them, `field: why` each. */
export function recordValueProblems(r: {
  readonly id: string;
  readonly url: string;
  readonly language: string;
  readonly publishedAt: string;
  readonly updatedAt: string;
  readonly title?: string;
  readonly section?: string | null;
  readonly tags?: readonly string[];
  readonly summary?: string;
  readonly body?: readonly { readonly text: string }[];
  readonly authors?: readonly { readonly name: string }[];
  readonly source?: { readonly name: string; readonly url?: string | null } | null;
}): string[] {
  const found: [string, string | null][] = [
    ['id', idProblem(r.id) ?? rewrittenIdProblem(r.id)],
    ['url', urlProblem(r.url)],
    ['language', languageProblem(r.language)],
    ['publishedAt', instantProblem(Date.parse(r.publishedAt))],
    ['updatedAt', instantProblem(Date.parse(r.updatedAt))],
    // Text: what the normalizer removes from every stored article (clean-text.ts), found in a
    // record edited by hand or made by an older feedkeeper; one such character made every
    // document that lists the record ill-formed, and nothing was published.
    ['title', textProblem(r.title)],
    ['section', textProblem(r.section)],
    ['tags', textProblem(r.tags?.join(' '))],
    ['summary', textProblem(r.summary)],
    ['body', textProblem(r.body?.map((b) => b.text).join(' '))],
    ['authors', textProblem(r.authors?.map((a) => a.name).join(' '))],
    ['source', textProblem(r.source?.name)],
    ['source.url', sourceUrlProblem(r.source?.url)],
  ];
  return found.flatMap(([field, why]) => (why === null ? [] : [`${field}: ${why}`]));
}

/**
 * A record's id that a URL parser writes otherwise (made before front matter ids were stored
 * that way, or edited by hand): the gate reads the Atom id back through one, so it blocked
 * every publication as a round-trip mismatch; left out and reported, the rest publishes.
 */
function rewrittenIdProblem(id: string): string | null {
  const canonical = canonicalId(id);
  return canonical === id
    ? null
    : `a URL parser writes it as ${JSON.stringify(canonical)}, which is how readers read it back; write it that way`;
}

/**
 * A record's source link, checked as a `Sursa:` line's URL is taken now (source-line.ts): a
 * record archived before that rule (or edited by hand) with `|`, `[` or a space in it was
 * published with it, and the W3C validator refused the Atom document's `link rel="via"`. The
 * feeds carry it as the record holds it, so its own characters count, not only the parser's.
 */
function sourceUrlProblem(url: string | null | undefined): string | null {
  if (url === null || url === undefined) return null;
  const raw = [...url].find((c) => !URL_CHARS.test(c));
  const why =
    urlProblem(url) ??
    (raw === undefined
      ? null
      : `it holds ${JSON.stringify(raw)}, which URLs must percent-encode (${JSON.stringify(raw)} is ${encodeURIComponent(raw)})`);
  return why === null
    ? null
    : `${why}; correct source.url in the record (or set it to null to credit the source in words), or the article's Sursa: line, then run feedkeeper build`;
}

function textProblem(text: string | null | undefined): string | null {
  const bad = text ? illegalCharacterIn(text) : null;
  return bad === null ? null : `it holds ${describeIllegal(bad)}, which XML forbids`;
}
