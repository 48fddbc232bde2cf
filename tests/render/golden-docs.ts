import type { FeedDocument } from '../../src/model/feed.js';
import { makeBareDocument, makeDocument } from './document.js';

/**
 * The documents whose renders are kept byte for byte in tests/render/golden/: every optional
 * part present (publisher e-mail and url, an http source with "&" in its URL, a `javascript:`
 * source, an entry without source) and, in the bare one, every optional part absent.
 */
export function makeFullDocument(): FeedDocument {
  const base = makeDocument();
  return makeDocument({
    author: {
      name: 'Desk & <Co>',
      email: 'desk@news.example.org',
      url: 'https://news.example.org/about?a=1&b=2',
    },
    entries: base.entries.map((e, i) => ({
      ...e,
      source:
        i === 0
          ? { name: 'Wire', url: 'https://wire.example.com/a?x=1&y=2' }
          : i === 1
            ? { name: 'Bad', url: 'javascript:alert(1)' }
            : null,
    })),
  });
}

export const GOLDEN: Readonly<Record<'full' | 'bare', () => FeedDocument>> = {
  full: makeFullDocument,
  bare: makeBareDocument,
};

export const GOLDEN_FILES = { rss: 'rss.xml', atom: 'atom.xml', json: 'feed.json' } as const;
