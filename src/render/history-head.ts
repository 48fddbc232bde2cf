import { FH_NAMESPACE, type FeedHistory } from '../model/feed-history.js';
import type { XmlElement, XmlHead } from './xml-head.js';

/**
 * RFC 5005 in the head of an RSS or Atom document: `fh:complete` (section 2) or `fh:archive`
 * (section 4), and the links `current`, `prev-archive`, `next-archive` (Atom `link`, RSS
 * `atom:link` as the RFC's appendix B does), each to the document of the same format.
 */
export function historyHead(history: FeedHistory, format: 'rss' | 'atom'): XmlHead {
  const type = format === 'rss' ? 'application/rss+xml' : 'application/atom+xml';
  const link = (rel: string, href: string): XmlElement => ({
    name: format === 'rss' ? 'atom:link' : 'link',
    attributes: [
      ['rel', rel],
      ['href', href],
      ['type', type],
    ],
  });
  const elements: XmlElement[] = [];
  if (history.current) elements.push(link('current', history.current[format]));
  if (history.prevArchive) elements.push(link('prev-archive', history.prevArchive[format]));
  if (history.nextArchive) elements.push(link('next-archive', history.nextArchive[format]));
  if (history.complete) elements.push({ name: 'fh:complete', attributes: [] });
  if (history.archive) elements.push({ name: 'fh:archive', attributes: [] });
  return { namespaces: { fh: FH_NAMESPACE }, elements };
}
