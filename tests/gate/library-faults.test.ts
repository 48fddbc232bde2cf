import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { expectRefused, gateProject } from './project.js';

/**
 * Fault injection at the library boundary: the `feed` library's output is changed the way a
 * faulty upgrade of it could change it, and the build must refuse to publish, leaving the last
 * good files byte for byte. Each fault leaves a well-formed, self-consistent feed: only the
 * comparison with the records (or a spec rule) can catch it.
 */
afterEach(() => {
  vi.restoreAllMocks();
});

type Method = 'rss2' | 'atom1' | 'json1';
function patch(method: Method, change: (out: string) => string): void {
  const original = Feed.prototype[method];
  vi.spyOn(Feed.prototype, method).mockImplementation(function (this: Feed) {
    const out = original.call(this);
    const changed = change(out);
    expect(changed, `the patch of ${method} must change its output`).not.toBe(out);
    return changed;
  });
}

const blocks = (xml: string, tag: string): string[] =>
  xml.match(new RegExp(`<${tag}>[\\s\\S]*?</${tag}>`, 'g')) ?? [];

describe('faults in the feed library are refused', () => {
  it('an item dropped from RSS', async () => {
    const g = await gateProject();
    patch('rss2', (xml) => xml.replace(blocks(xml, 'item')[0] ?? '', ''));
    await expectRefused(g, ['ROUNDTRIP_COUNT']);
  });

  it('two titles swapped in Atom', async () => {
    const g = await gateProject();
    patch('atom1', (xml) => {
      const titles =
        xml.match(/<entry>\s*<title type="html"><!\[CDATA\[[^\]]*\]\]><\/title>/g) ?? [];
      const [a, b] = titles;
      if (!a || !b) return xml;
      return xml.replace(a, '\u0000A').replace(b, a).replace('\u0000A', b);
    });
    await expectRefused(g, ['ROUNDTRIP_MISMATCH']);
  });

  it('every date shifted by an hour in RSS', async () => {
    const g = await gateProject();
    patch('rss2', (xml) =>
      xml.replace(/<pubDate>([^<]*)<\/pubDate>/g, (_m, d: string) => {
        return `<pubDate>${new Date(Date.parse(d) + 3_600_000).toUTCString()}</pubDate>`;
      }),
    );
    await expectRefused(g, ['ROUNDTRIP_MISMATCH']);
  });

  it('entries in reverse order in Atom', async () => {
    const g = await gateProject();
    patch('atom1', (xml) => {
      const entries = blocks(xml, 'entry');
      const first = xml.indexOf(entries[0] ?? '');
      const last = entries[entries.length - 1] ?? '';
      const end = xml.indexOf(last) + last.length;
      return xml.slice(0, first) + [...entries].reverse().join('\n    ') + xml.slice(end);
    });
    await expectRefused(g, ['ROUNDTRIP_MISMATCH']);
  });

  it('a subtitle declared type="html" in Atom', async () => {
    const g = await gateProject();
    patch('atom1', (xml) => xml.replace('<subtitle>', '<subtitle type="html">'));
    await expectRefused(g, ['ATOM_TEXT_TYPE']);
  });

  it('a wrong content: namespace URI in RSS', async () => {
    const g = await gateProject();
    patch('rss2', (xml) =>
      xml.replace(
        'http://purl.org/rss/1.0/modules/content/',
        'http://purl.org/rss/modules/content/',
      ),
    );
    await expectRefused(g, ['XML_NAMESPACE']);
  });

  it('a pubDate with the wrong weekday in RSS', async () => {
    const g = await gateProject();
    patch('rss2', (xml) =>
      xml.replace(
        /<pubDate>(Mon|Tue|Wed|Thu|Fri|Sat|Sun)/,
        (_m, d: string) => `<pubDate>${d === 'Mon' ? 'Tue' : 'Mon'}`,
      ),
    );
    await expectRefused(g, ['RSS_DATE_WEEKDAY']);
  });

  it('a JSON item title changed', async () => {
    const g = await gateProject();
    patch('json1', (json) => json.replace('"title": "Delta story"', '"title": "Delta"'));
    await expectRefused(g, ['ROUNDTRIP_MISMATCH']);
  });

  it('a library that throws: RENDER_FAILED, and the next good run publishes', async () => {
    const g = await gateProject();
    vi.spyOn(Feed.prototype, 'atom1').mockImplementation(() => {
      throw new Error('broken upgrade');
    });
    await expectRefused(g, ['RENDER_FAILED']);
    vi.restoreAllMocks();
    const next = await g.attempt();
    expect(next.feeds).toMatchObject({ rendered: true, published: true });
    expect(next.issues).toEqual([]);
  });
});
