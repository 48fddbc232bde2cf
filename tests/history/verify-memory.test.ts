import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { walkChain } from '../../src/history/verify-archive.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BASE = 'https://news.example.org';

/**
 * A chain of 20 RSS documents of about 1 MB each (two-byte text, like Romanian), 100 entries
 * each, linked by prev-archive: what `archive verify` walks at 2,000 records.
 */
function chain(format: 'rss' | 'json'): string {
  const out = mkdtempSync(join(tmpdir(), 'feedkeeper-walk-'));
  const body = 'ș'.repeat(5_000);
  for (let d = 0; d < 20; d++) {
    const name =
      d === 0
        ? format === 'rss'
          ? 'rss.xml'
          : 'feed.json'
        : `archive/${d}/${format === 'rss' ? 'rss.xml' : 'feed.json'}`;
    const prev =
      d === 19 ? null : `${BASE}/archive/${d + 1}/${format === 'rss' ? 'rss.xml' : 'feed.json'}`;
    const ids = Array.from(
      { length: 100 },
      (_, i) => `tag:news.example.org,2026-11-30:știrea-${d}-${i}`,
    );
    const text =
      format === 'rss'
        ? `<rss><channel>${prev ? `<atom:link rel="prev-archive" href="${prev}"/>` : ''}${ids
            .map(
              (id) =>
                `<item><guid isPermaLink="false">${id}</guid><description>${body}</description></item>`,
            )
            .join('')}</channel></rss>`
        : JSON.stringify({
            items: ids.map((id) => ({ id, content_text: body })),
            ...(prev ? { next_url: prev } : {}),
          });
    mkdirSync(join(out, name, '..'), { recursive: true });
    writeFileSync(join(out, name), text);
  }
  return out;
}

describe('archive verify walks the chain without keeping the documents (history/verify-archive.ts)', () => {
  it.each(['rss', 'json'] as const)(
    '%s: the ids it keeps hold none of the 20 MB of documents they were read from',
    (format) => {
      const out = chain(format);
      gc();
      const before = process.memoryUsage().heapUsed;
      const found = walkChain(out, BASE, format === 'rss' ? 'rss.xml' : 'feed.json', format);
      gc();
      const kept = process.memoryUsage().heapUsed - before;
      expect(found.error).toBeNull();
      expect(found.documents).toBe(20);
      expect(found.ids.size).toBe(2000);
      // Ids and links cut from the text as slices kept every RSS document alive (20 MB: this
      // fails on the walk before 2026-11-30). JSON.parse copies its values: JSON is the control.
      expect(kept).toBeLessThan(3_000_000);
    },
  );
});
