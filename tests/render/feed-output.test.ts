import { readFileSync } from 'node:fs';
import { Feed } from 'feed';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { FeedDocument, FeedEntry } from '../../src/model/feed.js';
import { renderAtom, renderJson, renderRss } from '../../src/render/feed-adapter.js';
import { escapeXmlText } from '../../src/render/escape.js';
import { makeDocument } from './document.js';
import { GOLDEN, GOLDEN_FILES, makeFullDocument } from './golden-docs.js';

/**
 * The adapter's output byte for byte: the layout readers depend on (CDATA or escaped text,
 * upper-case hex references, element order, whole-second dates, one final newline), and what
 * it does when the `feed` library misbehaves. Every render happens inside its test.
 */
const RENDER = { rss: renderRss, atom: renderAtom, json: renderJson } as const;
const golden = (name: string, file: string): string =>
  readFileSync(new URL(`golden/${name}.${file}.golden`, import.meta.url), 'utf8');

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the renders, byte for byte (tests/render/golden/)', () => {
  for (const name of Object.keys(GOLDEN) as (keyof typeof GOLDEN)[])
    for (const format of ['rss', 'atom', 'json'] as const)
      it(`${name} document, ${format}`, () => {
        expect(RENDER[format](GOLDEN[name]())).toBe(golden(name, GOLDEN_FILES[format]));
      });
});

const withEntries = (
  change: (e: FeedEntry, i: number) => FeedEntry,
  over: Partial<FeedDocument> = {},
): FeedDocument => {
  const base = makeDocument(over);
  return { ...base, entries: base.entries.map(change) };
};

describe('RSS channel', () => {
  it('writes <ttl> from the schedule, and none when it is unknown', () => {
    expect(renderRss(makeDocument({ ttl: 17 }))).toContain(
      '<language>ro</language>\n        <ttl>17</ttl>\n',
    );
    expect(renderRss(makeDocument({ ttl: null }))).not.toMatch(/<ttl/);
  });

  it('writes managingEditor "e-mail (name)" before atom:link, only with an e-mail', () => {
    const rss = renderRss(
      makeDocument({ author: { name: 'A "B" & <C>', email: 'a@b.example', url: null } }),
    );
    expect(rss).toContain(
      '<managingEditor>a@b.example (A &#x22;B&#x22; &#x26; &#x3C;C&#x3E;)</managingEditor>\n        <atom:link ',
    );
    const noMail = makeDocument({
      author: { name: 'A', email: null, url: 'https://a.example/' },
    });
    expect(renderRss(noMail)).not.toContain('managingEditor');
  });

  it('writes an empty description element when the site has none', () => {
    expect(renderRss(makeDocument({ description: '' }))).toContain('<description></description>');
  });

  it('ends with exactly one newline', () => {
    for (const text of [renderRss(makeDocument()), renderAtom(makeDocument())]) {
      expect(text.endsWith('>\n')).toBe(true);
      expect(text.endsWith('\n\n')).toBe(false);
    }
  });
});

describe('RSS items', () => {
  it('writes dc:language only for an item in another language than the channel', () => {
    const rss = renderRss(withEntries((e) => ({ ...e, language: 'ro' })));
    expect(rss).not.toContain('dc:language');
    const one = renderRss(withEntries((e, i) => ({ ...e, language: i === 1 ? 'fr' : 'ro' })));
    expect(one.match(/<dc:language>[^<]*<\/dc:language>/g)).toEqual([
      '<dc:language>fr</dc:language>',
    ]);
  });

  it('writes the summary as escaped HTML in CDATA, and never a raw "]]>" in content', () => {
    const raw = '<p>raw ]]> inside</p>';
    const rss = renderRss(withEntries((e, i) => (i === 0 ? { ...e, contentHtml: raw } : e)));
    // A CDATA section cannot hold "]]>": the HTML is escaped instead.
    expect(rss).toContain(
      '<content:encoded>&lt;p&gt;raw ]]&gt; inside&lt;/p&gt;</content:encoded>',
    );
    expect(rss).toContain(
      '<description><![CDATA[A &amp; B &lt; C &gt; D ]]&gt; &quot;q&quot; &#39;s&#39; &amp;amp; literal]]></description>',
    );
  });

  it('escapes the HTML when the library writes a slot outside CDATA', () => {
    const original = Feed.prototype.rss2;
    vi.spyOn(Feed.prototype, 'rss2').mockImplementation(function (this: Feed) {
      return original
        .call(this)
        .replace(/<content:encoded><!\[CDATA\[([^\]]*)\]\]>/g, '<content:encoded>$1');
    });
    const rss = renderRss(makeDocument());
    expect(rss).toContain(
      '<content:encoded>&lt;p&gt;Un paragraf în română, cu diacritice: ăâîșț.&lt;/p&gt;</content:encoded>',
    );
    expect(rss).not.toContain('<content:encoded><![CDATA[');
  });
});

describe('Atom', () => {
  it('writes xml:lang escaped, and each entry its own language', () => {
    const atom = renderAtom(
      withEntries((e, i) => ({ ...e, language: i === 0 ? 'x-"&' : e.language }), {
        language: 'x-<ro>',
      }),
    );
    expect(atom).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="x-&lt;ro&gt;">');
    expect(atom.match(/<entry[^>]*>/g)).toEqual([
      '<entry xml:lang="x-&quot;&amp;">',
      '<entry xml:lang="ro">',
      '<entry xml:lang="ar">',
    ]);
  });

  it('writes link rel="via" after the alternate link, for http(s) sources only', () => {
    const atom = renderAtom(makeFullDocument());
    expect(atom).toContain(
      '<link href="https://news.example.org/articles/hostile.html"/>\n        <link rel="via" href="https://wire.example.com/a?x=1&amp;y=2"/>\n        <updated>',
    );
    expect(atom.match(/rel="via"/g)).toHaveLength(1);
    const upper = renderAtom(
      withEntries((e, i) => ({
        ...e,
        source: i === 2 ? { name: 'W', url: 'HTTP://W.EXAMPLE/' } : null,
      })),
    );
    expect(upper.match(/<link rel="via"[^>]*>/g)).toEqual([
      '<link rel="via" href="HTTP://W.EXAMPLE/"/>',
    ]);
    expect(upper.indexOf('rel="via"')).toBeGreaterThan(upper.indexOf('articles/ar.html'));
  });

  it('writes the publisher e-mail and url, and no feed dates with a fraction', () => {
    const atom = renderAtom(makeFullDocument());
    expect(atom).toContain(
      '<author>\n        <name>Desk &#x26; &#x3C;Co&#x3E;</name>\n        <email>desk@news.example.org</email>\n        <uri>https://news.example.org/about?a=1&amp;b=2</uri>\n    </author>',
    );
    expect(atom).not.toContain('.000Z');
  });

  it('refuses a feed whose entries lost their links', () => {
    const original = Feed.prototype.atom1;
    vi.spyOn(Feed.prototype, 'atom1').mockImplementation(function (this: Feed) {
      return original.call(this).replace(/<link href="[^"]*"\/>/, '');
    });
    expect(() => renderAtom(makeDocument())).toThrow('feed adapter: an Atom entry has no link');
  });
});

describe('JSON Feed', () => {
  const authors = (author: FeedDocument['author']): unknown =>
    (JSON.parse(renderJson(makeDocument({ author }))) as { authors: unknown }).authors;

  it('gives the publisher url, else a mailto: link, else none', () => {
    expect(authors({ name: 'A', email: 'a@b.example', url: 'https://a.example/' })).toEqual([
      { name: 'A', url: 'https://a.example/' },
    ]);
    expect(authors({ name: 'A', email: 'a@b.example', url: null })).toEqual([
      { name: 'A', url: 'mailto:a@b.example' },
    ]);
    expect(authors({ name: 'A', email: null, url: null })).toEqual([{ name: 'A' }]);
  });

  it('has no description without one, and no tags or authors keys when empty', () => {
    const feed = JSON.parse(
      renderJson(withEntries((e) => ({ ...e, categories: [], authors: [] }), { description: '' })),
    ) as Record<string, unknown> & { items: Record<string, unknown>[] };
    expect(Object.keys(feed)).toEqual([
      'version',
      'title',
      'home_page_url',
      'feed_url',
      'language',
      'authors',
      'items',
    ]);
    expect(Object.keys(feed.items[0]!)).toEqual([
      'id',
      'url',
      'title',
      'summary',
      'content_html',
      'date_published',
      'date_modified',
      'language',
    ]);
  });

  it('ends with one newline', () => {
    const json = renderJson(makeDocument());
    expect(json.endsWith('}\n')).toBe(true);
    expect(json.endsWith('\n\n')).toBe(false);
  });
});

describe('text that looks like a slot token', () => {
  // The tokens start with U+E000 and need no nonce unless a text holds that character: then the
  // document is rendered again with a nonce derived from its text (feed-adapter.ts withSlots).
  it.each(['\uE000fk:0\uE001', '\uE000fk:1\uE001 and \uE000', 'only \uE000 here'])(
    'is written as itself in RSS and Atom: %j',
    (text) => {
      const doc = withEntries((e) => ({ ...e, title: `${text} ${e.title}` }), {
        title: text,
      });
      const escaped = escapeXmlText(text);
      for (const xml of [renderRss(doc), renderAtom(doc)]) {
        expect(xml).toContain(`<title>${escaped}</title>`);
        expect(xml.split(escaped).length - 1).toBeGreaterThanOrEqual(1 + doc.entries.length);
      }
    },
  );
});

describe('each format is rendered once', () => {
  afterEach(() => vi.restoreAllMocks());
  // A category goes in as two slots (name and term) and each format writes one: a check that
  // counted tokens in the output took that for text holding U+E000 and rendered every tagged
  // document twice, with a nonce. Only a document whose own text holds U+E000 needs one.
  it.each([
    ['tags, no U+E000', '', 0],
    ['a title holding U+E000', '\uE000', 1],
  ])('%s', (_name, mark, nonces) => {
    const rss2 = vi.spyOn(Feed.prototype, 'rss2');
    const atom1 = vi.spyOn(Feed.prototype, 'atom1');
    const doc = withEntries((e) => ({ ...e, title: `${e.title}${mark}`, categories: ['a', 'b'] }));
    const rss = renderRss(doc);
    expect(renderAtom(doc)).toContain('<category label="a" term="a"/>');
    expect(rss2).toHaveBeenCalledTimes(1);
    expect(atom1).toHaveBeenCalledTimes(1);
    expect(rss).toContain('<category>a</category>');
    // A nonce is 8 hex digits after "fk" in the tokens feed saw.
    const tokens = String(rss2.mock.results[0]?.value).match(/\uE000fk[0-9a-f]{8}:/g) ?? [];
    expect(tokens.length > 0 ? 1 : 0).toBe(nonces);
  });
});

describe('a misbehaving feed library is refused, never published', () => {
  type Method = 'rss2' | 'atom1' | 'json1';
  const patch = (method: Method, change: (out: string) => string): void => {
    const original = Feed.prototype[method];
    vi.spyOn(Feed.prototype, method).mockImplementation(function (this: Feed) {
      return change(original.call(this));
    });
  };
  /** A slot token in `out`, with another index. */
  const otherToken = (out: string, index: string): string => {
    const token = /\uE000fk([0-9a-f]*):\d+\uE001/.exec(out)?.[0];
    expect(token).toBeDefined();
    return token!.replace(/:\d+/, `:${index}`);
  };

  it('a slot token with an unknown number', () => {
    patch('rss2', (out) => out.replace('</channel>', `${otherToken(out, '999')}</channel>`));
    expect(() => renderRss(makeDocument())).toThrow('feed adapter: unknown slot 999');
  });

  it('a slot token cut short', () => {
    patch('atom1', (out) =>
      out.replace('</feed>', `${otherToken(out, '1').replace('\uE001', '')}</feed>`),
    );
    expect(() => renderAtom(makeDocument())).toThrow('feed adapter: a slot token was not replaced');
  });

  it('no atom:link to put managingEditor before', () => {
    patch('rss2', (out) => out.replace(/<atom:link [^>]*>/, ''));
    const doc = makeDocument({ author: { name: 'A', email: 'a@b.example', url: null } });
    expect(() => renderRss(doc)).toThrow('feed adapter: no <atom:link to insert before');
  });

  it('a JSON item dropped', () => {
    patch('json1', (out) => {
      const feed = JSON.parse(out) as { items: unknown[] };
      feed.items.pop();
      return JSON.stringify(feed);
    });
    expect(() => renderJson(makeDocument())).toThrow('feed adapter: JSON item count differs');
  });

  it('JSON items in another order', () => {
    patch('json1', (out) => {
      const feed = JSON.parse(out) as { items: unknown[] };
      feed.items.reverse();
      return JSON.stringify(feed);
    });
    expect(() => renderJson(makeDocument())).toThrow(
      'feed adapter: JSON item 0 is not entry tag:news.example.org,2026-11-24:hostile',
    );
  });
});

describe('what the adapter does not take on trust from the library', () => {
  const patch = (method: 'rss2' | 'atom1', change: (out: string) => string): void => {
    const original = Feed.prototype[method];
    vi.spyOn(Feed.prototype, method).mockImplementation(function (this: Feed) {
      return change(original.call(this));
    });
  };
  const RO = '&lt;p&gt;Un paragraf în română, cu diacritice: ăâîșț.&lt;/p&gt;';

  it('a slot with only the CDATA opening before it is escaped, not wrapped', () => {
    patch('rss2', (out) => out.replace(/(<content:encoded><!\[CDATA\[[^\]]*)\]\]>/g, '$1 ]]>'));
    expect(renderRss(makeDocument())).toContain(`<content:encoded>${RO} ]]></content:encoded>`);
  });

  it('a slot with only the CDATA end after it is escaped, not wrapped', () => {
    patch('rss2', (out) =>
      out.replace(/<content:encoded><!\[CDATA\[/g, '<content:encoded> <![CDATA'),
    );
    expect(renderRss(makeDocument())).toContain(
      `<content:encoded> <![CDATA${RO}</content:encoded>`,
    );
  });

  it('an Atom entry repeated by the library', () => {
    patch('atom1', (out) => out.replace(/(<entry>[\s\S]*?<\/entry>)/, '$1$1'));
    expect(() => renderAtom(makeDocument())).toThrow('feed adapter: an Atom entry has no link');
  });

  it('trailing white space from the library: still one final newline', () => {
    patch('rss2', (out) => `${out}\n\n  \n`);
    patch('atom1', (out) => `${out} \n\n`);
    expect(renderRss(makeDocument()).endsWith('</rss>\n')).toBe(true);
    expect(renderAtom(makeDocument()).endsWith('</feed>\n')).toBe(true);
  });
});
