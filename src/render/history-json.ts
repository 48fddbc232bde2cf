import { JSON_HISTORY_KEY, RFC5005_URL, type FeedHistory } from '../model/feed-history.js';

/**
 * RFC 5005 in JSON Feed 1.1, which has no archive vocabulary of its own. `next_url` is JSON
 * Feed's own link to "the next n items" of a paginated feed, i.e. older ones: the subscription
 * document's next_url is the newest archive document, each archive document's next_url the one
 * before it, so a JSON reader that follows next_url until there is none has walked the whole
 * chain. The rest goes in an extension object (JSON Feed 1.1 "Extensions": a key starting with
 * "_", with an `about` URL): `complete`, `archive`, `current`, `prev_archive` (= next_url) and
 * `next_archive` (towards the present), the RFC's names.
 */
export function jsonHistory(h: FeedHistory): {
  next: { next_url?: string };
  extension: Record<string, unknown>;
} {
  return {
    next: h.prevArchive ? { next_url: h.prevArchive.json } : {},
    extension: {
      [JSON_HISTORY_KEY]: {
        about: RFC5005_URL,
        ...(h.complete ? { complete: true } : {}),
        ...(h.archive ? { archive: true } : {}),
        ...(h.current ? { current: h.current.json } : {}),
        ...(h.prevArchive ? { prev_archive: h.prevArchive.json } : {}),
        ...(h.nextArchive ? { next_archive: h.nextArchive.json } : {}),
      },
    },
  };
}
