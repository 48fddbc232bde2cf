import type { Issue } from '../model/issue.js';
import type { Format, RenderedFile } from '../model/outputs.js';
import { Checker, checkCharacters, FEED_BUG_HINT } from './checker.js';
import { compareWithRecords } from './compare-records.js';
import type { ExpectedFeed, SiteFacts } from './expected-feed.js';
import type { FeedHistory } from '../model/feed-history.js';
import { compareHistory } from './history-rules.js';
import { readJsonHistory, readXmlHistory } from './read-history.js';
import type { ParsedFeed } from './parsed-feed.js';
import { parseXml } from './parse-xml.js';
import { readAtom } from './read-atom.js';
import { readJson } from './read-json.js';
import { readRss } from './read-rss.js';
import { checkAtomRules, checkJsonRules, checkNamespaces, checkRssRules } from './rules.js';
import { checkWellFormed } from './well-formed.js';
import type { PageExpectations } from './expected-page.js';
import { verifyPage } from './verify-page.js';

/**
 * The gate (pure): every output is parsed back strictly, checked against its spec's rules, and
 * what a reader would see is compared with the records. `build` runs it before publishing and
 * `check` on what is in out/. An empty list means publishable.
 */
export interface VerifyInput {
  readonly files: readonly RenderedFile[];
  readonly expected: ExpectedFeed;
  /** site.baseUrl: each file's self link is `<baseUrl>/<file>`. */
  readonly baseUrl: string;
  /** How a file is named in a problem (relative to the working directory). */
  readonly shown: (file: string) => string;
  /** What each page (format html) must show, by file; a page not in it is refused. */
  readonly pages?: {
    readonly site: SiteFacts;
    readonly expected: PageExpectations;
  };
  /** RFC 5005: the flags and links each file must carry (validate/expected-history.ts). */
  readonly history?: FeedHistory;
}

export function verifyOutputs(input: VerifyInput): Issue[] {
  return input.files.flatMap(({ row, text }) => {
    const c = new Checker(input.shown(row.file));
    if (row.format === 'html') {
      const site = input.pages?.site ?? { ...SITE_UNKNOWN, baseUrl: input.baseUrl };
      verifyPage(c, text, row.file, input.pages?.expected.get(row.file), site);
      return c.issues;
    }
    const parsed = READERS[row.format](c, text, `${input.baseUrl}/${row.file}`);
    if (parsed) compareWithRecords(c, row.format, parsed, input.expected);
    if (parsed && input.history) compareHistory(c, row.format, parsed.history, input.history);
    return c.issues;
  });
}

const SITE_UNKNOWN = { title: '', description: '', language: '', author: { name: '' } };

/** Parse one format back and check its rules; undefined when it cannot be read at all. */
type Reader = (c: Checker, text: string, selfUrl: string) => ParsedFeed | undefined;

const readXml =
  (format: 'rss' | 'atom'): Reader =>
  (c, text, selfUrl) => {
    checkCharacters(c, text);
    const { errors, namespaces } = checkWellFormed(text);
    for (const e of errors.slice(0, 5))
      c.fail(
        'XML_NOT_WELL_FORMED',
        `line ${e.line}, column ${e.column}`,
        `is not well-formed XML: ${e.message.replace(/\.$/, '')}.`,
        FEED_BUG_HINT,
      );
    if (errors.length > 0) return undefined;
    checkNamespaces(c, format, namespaces);
    const tree = parseXml(text);
    if (format === 'rss') {
      checkRssRules(c, tree, selfUrl);
      return { ...readRss(tree), history: readXmlHistory('rss', tree) };
    }
    checkAtomRules(c, tree, selfUrl);
    return { ...readAtom(tree), history: readXmlHistory('atom', tree) };
  };

const READERS: Readonly<Record<Format, Reader>> = {
  rss: readXml('rss'),
  atom: readXml('atom'),
  json: (c, text, selfUrl) => {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      c.fail(
        'JSON_INVALID',
        '(document)',
        `is not valid JSON: ${(error as Error).message}.`,
        FEED_BUG_HINT,
      );
      return undefined;
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      c.fail('JSON_INVALID', '(document)', 'is not a JSON object.', FEED_BUG_HINT);
      return undefined;
    }
    const feed = json as Record<string, unknown>;
    checkJsonRules(c, feed, selfUrl);
    return { ...readJson(feed), history: readJsonHistory(feed) };
  },
};
