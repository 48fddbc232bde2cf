import type { InputEntry } from '../archive/catalogue.js';
import type { ArticleStat, ListedArticle } from '../ingest/list-articles.js';
import { readArticle } from '../ingest/read-article.js';
import { issue, type Issue } from '../model/issue.js';
import type { InputRef, NormalizedArticle } from '../model/record.js';
import type { NormalizeOptions, NormalizeResult } from '../normalize/normalize-article.js';
import type { StoredArticle } from '../model/article.js';
import { NORMALIZER_VERSION } from '../normalize/normalizer-version.js';
import {
  namesDate,
  resolveDates,
  type DateOrigin,
  type DateSource,
} from '../normalize/date-sources.js';
import { draftNotice } from './drafts.js';
import { contentHtml } from '../render/article-html.js';
import { removeIllegalCharacters, removeInvisibles } from '../normalize/clean-text.js';
import { decodeArticle } from '../normalize/decode.js';

/** A changed stored article that normalized, on its way to the identity planner. */
export interface Arriving {
  readonly article: NormalizedArticle;
  readonly input: InputRef;
  readonly stat: ArticleStat;
  readonly warnings: readonly Issue[];
  /** The record this file held before, if it still exists. */
  readonly own: string | null;
  /** Which source gave its dates (normalize/date-sources.ts). */
  readonly origin?: DateOrigin;
  /** The publication date the newsroom wrote down (front matter, file name), for the planner. */
  readonly declared?: string | null;
}

export type Examined =
  /**
   * Not read: over limits.maxArticleBytes, or not a regular file that can be read (a FIFO, a
   * link out of the articles folder, permissions: ingest/list-articles.ts). The kind keeps its
   * first name; both are reported on every run until the file is fixed, and keep its record.
   */
  | { readonly kind: 'too large'; readonly issue: Issue }
  /** The same bytes as last time, made by these rules: nothing to do. */
  | { readonly kind: 'same' }
  /** Read, and refused by normalization. */
  | { readonly kind: 'rejected'; readonly sha256: string; readonly issues: readonly Issue[] }
  /** The record it belongs to is corrupt: not archived until it is repaired. */
  | { readonly kind: 'record corrupt' }
  /** `draft: true`: no record until the flag goes (a record it held is withdrawn). */
  | { readonly kind: 'draft'; readonly sha256: string; readonly issues: readonly Issue[] }
  | { readonly kind: 'arrived'; readonly arriving: Arriving };

export interface ExamineOptions {
  readonly maxBytes: number;
  readonly normalize: (stored: StoredArticle, opts: NormalizeOptions) => NormalizeResult;
  readonly normalizeOptions: NormalizeOptions;
  /** Normalize even unchanged bytes (a freed record may go to a duplicate). */
  readonly recheck: boolean;
  readonly isCorrupt: (record: string) => boolean;
  readonly exists: (record: string) => boolean;
  /** `dates.sources` and the run's clock (UTC whole seconds). */
  readonly dates?: { readonly sources: readonly DateSource[]; readonly now: string };
}

/** Read one stored article that may have changed, and say what it is now. */
export function examineArticle(
  l: ListedArticle,
  before: InputEntry | undefined,
  o: ExamineOptions,
): Examined {
  return finishExamined(prepareArticle(l, before, o), before, o);
}

/** What examining an article takes from its catalogue row before anything is read. */
export type Before = Pick<InputEntry, 'sha256' | 'normalizer' | 'rebuilt'> | undefined;

/**
 * What prepareArticle() yields: the final answer, or a normalized and dated article that only
 * the catalogue can finish (which record it held, and whether that record is readable).
 */
export type Prepared =
  | Exclude<Examined, { kind: 'arrived' } | { kind: 'record corrupt' }>
  | { readonly kind: 'prepared'; readonly arriving: Omit<Arriving, 'own'> };

/** The options of prepareArticle(): plain data, so that a worker thread can be given them. */
export type PrepareOptions = Omit<ExamineOptions, 'isCorrupt' | 'exists'>;

/**
 * Whether bytes hashing to `sha256` are what the catalogue's row was made from, under today's
 * normalization rules: the article is unchanged, whatever its stat says.
 */
export const sameContent = (before: Before, sha256: string): boolean =>
  before !== undefined && before.sha256 === sha256 && before.normalizer === NORMALIZER_VERSION;

/**
 * The part of examineArticle() that needs no catalogue but the row's hash and rules version:
 * read, hash, normalize, date (pure but for reading the file). A worker thread runs it for big
 * runs (pipeline/examine-pool.ts); it depends on nothing but its arguments.
 */
export function prepareArticle(l: ListedArticle, before: Before, o: PrepareOptions): Prepared {
  if (l.problem) return { kind: 'too large', issue: l.problem };
  if (l.stat.size > o.maxBytes)
    return {
      kind: 'too large',
      issue: issue(
        'ARTICLE_TOO_LARGE',
        'error',
        l.path,
        `is ${l.stat.size} bytes, over the limit of ${o.maxBytes} bytes (limits.maxArticleBytes); it was not read.`,
        'Check that it is really an article (not a pasted log or an export); if it is, raise limits.maxArticleBytes in feedkeeper.config.json.',
      ),
    };
  const stored = readArticle(l);
  if ('issue' in stored) return { kind: 'too large', issue: stored.issue };
  // A row rebuilt from the records knows the bytes, not what they declare: normalized again
  // (archive-articles.ts settles it as unchanged if it still holds its record's bytes), unless
  // they can declare nothing (most of a plain-text archive: a rebuild costs a hash, as before).
  if (
    sameContent(before, stored.sha256) &&
    !o.recheck &&
    (before?.rebuilt !== true || !mayDeclare(l.path, stored.bytes))
  )
    return { kind: 'same' };
  const result = o.normalize(stored, o.normalizeOptions);
  if (result.article === null)
    return { kind: 'rejected', sha256: stored.sha256, issues: result.issues };
  if (result.article.draft === true)
    return {
      kind: 'draft',
      sha256: stored.sha256,
      issues: [...result.issues, draftNotice(l.path)],
    };
  const a = result.article;
  // Escaping makes a character at most 6 bytes (`"` is `&quot;`): only a large file can be over.
  const contentBytes =
    stored.bytes.length * 6 + 4096 > MAX_ENTRY_CONTENT_BYTES
      ? Buffer.byteLength(contentHtml(a.body, a.source, a.language))
      : 0;
  if (contentBytes > MAX_ENTRY_CONTENT_BYTES)
    return {
      kind: 'rejected',
      sha256: stored.sha256,
      issues: [...result.issues, tooLargeForFeeds(l.path, contentBytes)],
    };
  // Dated before the catalogue is asked about its record (pure: the order changes nothing).
  const dated =
    o.dates === undefined
      ? null
      : resolveDates(
          result.article,
          { ...o.dates, path: l.path, mtimeMs: l.stat.mtimeMs },
          o.dates.sources,
        );
  // A date the configuration leaves out that would hold the article back (DATE_SOURCE_UNUSED)
  // refuses it: published without it, an embargo would leak.
  if (dated?.issues.some((i) => i.severity === 'error') === true)
    return { kind: 'rejected', sha256: stored.sha256, issues: [...result.issues, ...dated.issues] };
  return {
    kind: 'prepared',
    arriving: {
      article: dated?.article ?? result.article,
      input: { path: l.path, sha256: stored.sha256, bytes: stored.bytes.length },
      stat: l.stat,
      warnings: [...result.issues, ...(dated?.issues ?? [])],
      ...(dated === null ? {} : { origin: dated.origin, declared: dated.declared }),
    },
  };
}

/**
 * Whether a stored article may declare a date or an id, or hold a warning about its dates: its
 * name starts with a date (normalize/date-sources.ts, namesDate), or its text has a `---`
 * that may open front matter (normalize/front-matter.ts). Loose on purpose: a file it passes
 * is only normalized, a file it misses kept its row without what it declares.
 */
function mayDeclare(path: string, bytes: Uint8Array): boolean {
  if (namesDate(path)) return true;
  const decoded = decodeArticle(path, bytes);
  // What the normalizer removes before it looks for front matter, removed here too.
  return (
    !('text' in decoded) ||
    removeInvisibles(removeIllegalCharacters(decoded.text).text).includes('---')
  );
}

/** A prepared article finished against the catalogue: the record its file held, if any. */
export function finishExamined(
  p: Prepared,
  before: InputEntry | undefined,
  o: Pick<ExamineOptions, 'isCorrupt' | 'exists'>,
): Examined {
  if (p.kind !== 'prepared') return p;
  const own = before?.record ?? null;
  if (own !== null && o.isCorrupt(own)) return { kind: 'record corrupt' };
  const { warnings, origin, declared, ...rest } = p.arriving;
  return {
    kind: 'arrived',
    arriving: {
      ...rest,
      warnings,
      own: own !== null && o.exists(own) ? own : null,
      ...(origin === undefined ? {} : { origin, declared }),
    },
  };
}

/**
 * The most a feed entry's content may hold, in bytes of HTML. libxml2 (xmllint, newsboat, the
 * parsers of many readers and validators) refuses a text node or CDATA section over
 * XML_MAX_TEXT_LENGTH, 10,000,000 bytes, unless told to parse "huge" documents: a 50 MB article
 * (with limits.maxArticleBytes raised) gave RSS and Atom feeds that xmllint called broken ("CData
 * section too big"). Refused at the door rather than cut in the feeds: an entry whose content
 * differs from its record would be a second truth. A margin below the limit leaves room for the
 * source credit and for readers that count characters, not bytes.
 */
export const MAX_ENTRY_CONTENT_BYTES = 9_000_000;

const tooLargeForFeeds = (file: string, bytes: number): Issue =>
  issue(
    'ARTICLE_TOO_LARGE_FOR_FEEDS',
    'error',
    file,
    `would be ${bytes} bytes of HTML in a feed entry, over the ${MAX_ENTRY_CONTENT_BYTES} a feed can carry (feed readers built on libxml2 refuse a text over 10,000,000 bytes); it was not archived.`,
    'Split it into several articles (it is far longer than any news article), or check that it is really an article and not a pasted export.',
  );
