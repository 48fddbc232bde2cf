import type { FeedHistory } from '../model/feed-history.js';
import type { Format } from '../model/outputs.js';
import { FEED_BUG_HINT, type Checker } from './checker.js';
import type { ParsedHistory } from './parsed-feed.js';

/**
 * RFC 5005 as the document says it must be what the archive says: a subscription document is
 * complete (section 2) exactly when every live record fits, and otherwise links prev-archive to
 * the newest archive document; an archive document says fh:archive and links current,
 * prev-archive and next-archive (section 4) to its neighbours in the chain. A reader that walks
 * the chain sees every record only if each of these is right. Code HISTORY_LINK / HISTORY_FLAG.
 */
export function compareHistory(
  c: Checker,
  format: Format,
  got: ParsedHistory | undefined,
  want: FeedHistory,
): void {
  const hint = `RFC 5005: readers walk the archive by these links, so a wrong one hides entries. ${FEED_BUG_HINT}`;
  const flag = (
    name: 'complete' | 'archive',
    value: boolean | undefined,
    expected: boolean,
  ): void => {
    c.check(
      value === expected,
      'HISTORY_FLAG',
      format === 'json' ? `_feed_history/${name}` : `fh:${name}`,
      expected
        ? `lacks fh:${name}, which this document must carry.`
        : `carries fh:${name}, which this document must not.`,
      hint,
    );
  };
  const link = (rel: string, value: string | undefined, expected: string | undefined): void => {
    c.check(
      value === expected,
      'HISTORY_LINK',
      format === 'json' ? rel.replace('-', '_') : `link[@rel=${rel}]`,
      `links ${rel} to ${JSON.stringify(value ?? null)}; the archive chain says ${JSON.stringify(expected ?? null)}.`,
      hint,
    );
  };
  flag('complete', got?.complete, want.complete);
  flag('archive', got?.archive, want.archive);
  link('current', got?.current, want.current?.[format]);
  link('prev-archive', got?.prevArchive, want.prevArchive?.[format]);
  link('next-archive', got?.nextArchive, want.nextArchive?.[format]);
  if (format === 'json') link('next_url', got?.nextUrl, want.prevArchive?.json);
}
