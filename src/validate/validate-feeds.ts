import type { FeedDocument } from '../model/feed.js';
import type { Issue } from '../model/issue.js';
import type { RenderedFeeds } from '../render/feed-adapter.js';
import { Checker, checkCharacters, FEED_BUG_HINT } from './checker.js';
import { compareWithDocument } from './compare.js';
import { parseXml } from './parse-xml.js';
import { readAtom } from './read-atom.js';
import { readJson } from './read-json.js';
import { readRss } from './read-rss.js';
import { checkAtomRules, checkJsonRules, checkRssRules } from './rules.js';
import { checkWellFormed } from './well-formed.js';

export interface FeedFileNames {
  readonly rss: string;
  readonly atom: string;
  readonly json: string;
}

/**
 * Prove the three rendered feeds before anyone can fetch them (pure). An empty list means
 * publishable; any issue means nothing is published.
 */
export function validateFeeds(
  doc: FeedDocument,
  feeds: RenderedFeeds,
  names: FeedFileNames,
): Issue[] {
  const issues: Issue[] = [];
  for (const format of ['rss', 'atom'] as const) {
    const c = new Checker(names[format]);
    const xml = feeds[format];
    checkCharacters(c, xml);
    const errors = checkWellFormed(xml);
    for (const e of errors.slice(0, 5)) {
      c.fail(
        'XML_NOT_WELL_FORMED',
        `line ${e.line}, column ${e.column}`,
        `is not well-formed XML: ${e.message}.`,
        FEED_BUG_HINT,
      );
    }
    if (errors.length === 0) {
      const tree = parseXml(xml);
      if (format === 'rss') checkRssRules(c, tree, doc);
      else checkAtomRules(c, tree, doc);
      compareWithDocument(c, format, format === 'rss' ? readRss(tree) : readAtom(tree), doc);
    }
    issues.push(...c.issues);
  }
  const c = new Checker(names.json);
  let json: unknown;
  try {
    json = JSON.parse(feeds.json);
  } catch (error) {
    c.fail(
      'JSON_INVALID',
      '(document)',
      `is not valid JSON: ${(error as Error).message}.`,
      FEED_BUG_HINT,
    );
  }
  if (typeof json === 'object' && json !== null && !Array.isArray(json)) {
    const feed = json as Record<string, unknown>;
    checkJsonRules(c, feed, doc);
    compareWithDocument(c, 'json', readJson(feed), doc);
  } else if (json !== undefined) {
    c.fail('JSON_INVALID', '(document)', 'is not a JSON object.', FEED_BUG_HINT);
  }
  return [...issues, ...c.issues];
}
