import { JSON_HISTORY_KEY } from '../model/feed-history.js';
import type { ParsedHistory } from './parsed-feed.js';
import { attrOf, childOf, childrenOf, type XmlNode } from './parse-xml.js';

/**
 * RFC 5005 read back as a reader finds it: Atom `link` / RSS `atom:link` by rel, and the
 * `fh:` flags (by prefix here; checkNamespaces proves `fh` is bound to the RFC's URI). JSON
 * Feed: next_url and the `_feed_history` extension (render/history-json.ts).
 */
export function readXmlHistory(format: 'rss' | 'atom', tree: XmlNode): ParsedHistory {
  const head = format === 'rss' ? childOf(childOf(tree, 'rss'), 'channel') : childOf(tree, 'feed');
  const links = childrenOf(head, format === 'rss' ? 'atom:link' : 'link');
  const href = (rel: string): string | undefined =>
    attrOf(
      links.find((l) => attrOf(l, 'rel') === rel),
      'href',
    );
  return {
    complete: childOf(head, 'fh:complete') !== undefined,
    archive: childOf(head, 'fh:archive') !== undefined,
    current: href('current'),
    prevArchive: href('prev-archive'),
    nextArchive: href('next-archive'),
  };
}

export function readJsonHistory(feed: Record<string, unknown>): ParsedHistory {
  const raw = feed[JSON_HISTORY_KEY];
  const h = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    complete: h['complete'] === true,
    archive: h['archive'] === true,
    current: str(h['current']),
    prevArchive: str(h['prev_archive']),
    nextArchive: str(h['next_archive']),
    nextUrl: str(feed['next_url']),
  };
}
