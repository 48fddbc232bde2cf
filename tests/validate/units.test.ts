import { describe, expect, it } from 'vitest';
import {
  checkCharacters,
  Checker,
  firstIllegal,
  isAbsoluteUrl,
  RFC3339,
  RFC822,
} from '../../src/validate/checker.js';
import { parseHtml, textContent } from '../../src/validate/parse-html.js';
import { attrOf, childOf, childrenOf, parseXml, textOf } from '../../src/validate/parse-xml.js';
import { feedDateOf } from '../../src/validate/expected-feed.js';
import { dateOf } from '../../src/validate/parsed-feed.js';
import {
  CONTENT_ELEMENTS,
  htmlProblems,
  readBlocks,
  readLinks,
  SUMMARY_ELEMENTS,
} from '../../src/validate/read-content.js';
import { checkWellFormed } from '../../src/validate/well-formed.js';

/** The verifier's building blocks, each on the inputs that tell a right answer from a near one. */

describe('date patterns', () => {
  it.each([
    'Wed, 25 Nov 2026 08:00:00 GMT',
    'Mon, 01 Jan 2001 00:00:00 +0100',
    'Sun, 31 Dec 2000 23:59:59 -1130',
    'Thu, 05 Feb 2026 08:00:00 GMT',
    'Sat, 05 Mar 2026 08:00:00 GMT',
    'Fri, 05 Apr 2026 08:00:00 GMT',
    'Tue, 05 May 2026 08:00:00 GMT',
    'Tue, 05 Jun 2026 08:00:00 GMT',
    'Tue, 05 Jul 2026 08:00:00 GMT',
    'Tue, 05 Aug 2026 08:00:00 GMT',
    'Tue, 05 Sep 2026 08:00:00 GMT',
    'Tue, 05 Oct 2026 08:00:00 GMT',
  ])('RFC822 accepts %s', (d) => {
    expect(RFC822.test(d)).toBe(true);
  });

  it.each([
    'Wed, 25 Nov 2026 08:00:00 UTC',
    'Wed, 25 Nov 2026 08:00:00',
    'Wed, 25 Nov 2026 08:00 GMT',
    'Wed, 5 Nov 2026 08:00:00 GMT',
    'Wed 25 Nov 2026 08:00:00 GMT',
    'Wed, 25 nov 2026 08:00:00 GMT',
    'Wed, 25 Nov 26 08:00:00 GMT',
    'Wed, 25 Nov 2026 08:00:00 +01:00',
    'Wed, 25 Nov 2026 08:00:00 +100',
    'Wed, 25 Nov 2026 8:00:00 GMT',
    'Wed, 25 Nov 2026 08:0:00 GMT',
    'Wed, 25 Nov 2026 08:00:0 GMT',
    'xWed, 25 Nov 2026 08:00:00 GMT',
    'Wed, 25 Nov 2026 08:00:00 GMTx',
    'Wednesday, 25 Nov 2026 08:00:00 GMT',
    'Wed, 25 November 2026 08:00:00 GMT',
    '2026-11-25T08:00:00Z',
  ])('RFC822 refuses %s', (d) => {
    expect(RFC822.test(d)).toBe(false);
  });

  it.each([
    '2026-11-25T08:00:00Z',
    '2026-11-25T08:00:00.5Z',
    '2026-11-25T08:00:00.123456Z',
    '2026-11-25T08:00:00+02:00',
    '2026-11-25T08:00:00-11:30',
  ])('RFC3339 accepts %s', (d) => {
    expect(RFC3339.test(d)).toBe(true);
  });

  it.each([
    '2026-11-25',
    '2026-11-25T08:00:00',
    '2026-11-25 08:00:00Z',
    '2026-11-25T08:00Z',
    '2026-11-25T08:00:00.Z',
    '2026-11-25T08:00:00+0200',
    '2026-11-25T08:00:00+2:00',
    '26-11-25T08:00:00Z',
    '2026-1-25T08:00:00Z',
    '2026-11-5T08:00:00Z',
    '2026-11-25T8:00:00Z',
    '2026-11-25T08:0:00Z',
    '2026-11-25T08:00:0Z',
    'x2026-11-25T08:00:00Z',
    '2026-11-25T08:00:00Zx',
    '2026-11-25T08:00:00z',
  ])('RFC3339 refuses %s', (d) => {
    expect(RFC3339.test(d)).toBe(false);
  });

  it('dateOf: milliseconds for a date string, undefined for anything else', () => {
    expect(dateOf('2026-11-25T08:00:00Z')).toBe(Date.UTC(2026, 10, 25, 8));
    expect(dateOf('not a date')).toBeUndefined();
    expect(dateOf(Date.UTC(2026, 10, 25))).toBeUndefined();
    expect(dateOf(undefined)).toBeUndefined();
  });
});

describe('isAbsoluteUrl', () => {
  it.each([
    ['https://a.example/x', true],
    ['http://a.example', true],
    ['HTTPS://A.EXAMPLE/', true],
    ['ftp://a.example/', false],
    ['mailto:a@b.example', false],
    ['javascript:alert(1)', false],
    ['/relative', false],
    ['a.example/x', false],
    ['', false],
    [undefined, false],
  ])('%j → %s', (url, want) => {
    expect(isAbsoluteUrl(url)).toBe(want);
  });
});

describe('checkCharacters', () => {
  const found = (text: string): string[] => {
    const c = new Checker('f.xml');
    checkCharacters(c, text);
    expect(c.issues.every((i) => i.file === 'f.xml' && i.severity === 'error')).toBe(true);
    return c.issues.map((i) => `${i.element ?? ''}: ${i.message}`);
  };

  it('allows tab, newline, carriage return, every other character and surrogate pairs', () => {
    expect(
      found('a\tb\nc\rd \u0020~\u007F\u0085\uD7FF\uE000\uFFFD \u{1F469}\u200D\u{1F4BB}'),
    ).toEqual([]);
  });

  it.each([
    ['\u0000', 'U+0000'],
    ['\u0008', 'U+0008'],
    ['\u000B', 'U+000B'],
    ['\u000C', 'U+000C'],
    ['\u000E', 'U+000E'],
    ['\u001F', 'U+001F'],
    ['\uFFFE', 'U+FFFE'],
    ['\uFFFF', 'U+FFFF'],
    ['\uD800', 'U+D800'],
    ['\uDBFFx', 'U+DBFF'],
    ['\uDC00', 'U+DC00'],
    ['x\uDFFF', 'U+DFFF'],
  ])('refuses %j, named %s, on its line, once', (bad, name) => {
    expect(found(`<a>\nok\n${bad}\u0001</a>`)).toEqual([
      `line 3: holds ${name}, a character XML 1.0 forbids; readers drop the whole feed.`,
    ]);
  });

  it('names the first one on line 1', () => {
    expect(found('\u0001')).toEqual([
      'line 1: holds U+0001, a character XML 1.0 forbids; readers drop the whole feed.',
    ]);
  });

  it('finds the first forbidden code unit after pairs, wherever halves stand', () => {
    // XML 1.0 section 2.2 written out code unit by code unit, against which firstIllegal (one
    // character class, pairs stepped over) is held on strings made of the cases that matter.
    const spec = (text: string): number => {
      for (let i = 0; i < text.length; i++) {
        const u = text.charCodeAt(i);
        if (u >= 0xd800 && u <= 0xdbff) {
          const next = text.charCodeAt(i + 1);
          if (next >= 0xdc00 && next <= 0xdfff) i++;
          else return i;
        } else if (u >= 0xdc00 && u <= 0xdfff) return i;
        else if ((u < 0x20 && u !== 0x9 && u !== 0xa && u !== 0xd) || u === 0xfffe || u === 0xffff)
          return i;
      }
      return -1;
    };
    const units = [
      'a',
      '\t',
      '\n',
      '\u0001',
      '\uD83D',
      '\uDE00',
      '\uDBFF',
      '\uDC00',
      '\uFFFE',
      'ț',
    ];
    let seed = 7;
    const next = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % units.length;
    for (let n = 0; n < 3000; n++) {
      const text = Array.from({ length: 1 + (n % 9) }, () => units[next()]).join('');
      expect(firstIllegal(text), JSON.stringify(text)).toBe(spec(text));
    }
    expect(firstIllegal('\uD83D\uDE00\uD83D\uDE00x\uDE00')).toBe(5);
    expect(firstIllegal('\uD83D\uD83D\uDE00')).toBe(0);
    expect(firstIllegal('ok \u{1F469}\u200D\u{1F4BB}')).toBe(-1);
  });
});

describe('checkWellFormed', () => {
  it('lists each namespace used, once, with the first name that used it', () => {
    const { errors, namespaces } = checkWellFormed(
      '<a xmlns="urn:a" xmlns:b="urn:b" b:x="1" y="2"><b:c b:z="3"/><b:c/><a/><d xmlns:b="urn:other"><b:e/></d></a>',
    );
    expect(errors).toEqual([]);
    expect(namespaces).toEqual([
      { prefix: '', uri: 'urn:a', name: 'a' },
      { prefix: 'b', uri: 'urn:b', name: 'b:x' },
      { prefix: 'b', uri: 'urn:other', name: 'b:e' },
    ]);
  });

  it('gives line and column of each error', () => {
    const { errors } = checkWellFormed('<a>\n  <b></c>\n</a>');
    // (The message keeps saxes's own "2:9: " prefix: see the it.fails in issues.test.ts.)
    expect(errors[0]).toMatchObject({ line: 2, column: 9 });
    expect(errors[0]?.message).toMatch(/unexpected close tag\.$/);
    expect(errors.at(-1)).toMatchObject({ line: 3, column: 4 });
    expect(errors.at(-1)?.message).toMatch(/unmatched closing tag: a\.$/);
  });
});

describe('parse-xml', () => {
  const tree = parseXml(
    '<r><t>text</t><e/><a k="v">x</a><a k="w"/><item>1</item><n>007</n><m k="1"/></r>',
  );
  const r = childOf(tree, 'r');

  it('reads texts, attributes, children; values stay strings', () => {
    expect(textOf(childOf(r, 't'))).toBe('text');
    expect(textOf(childOf(r, 'e'))).toBe('');
    expect(textOf(childOf(r, 'a'))).toBe('x');
    expect(textOf(childOf(r, 'n'))).toBe('007');
    expect(textOf(childOf(r, 'm'))).toBe('');
    expect(textOf(childOf(r, 'missing'))).toBeUndefined();
    expect(textOf(null)).toBeUndefined();
    expect(attrOf(childOf(r, 'a'), 'k')).toBe('v');
    expect(attrOf(childOf(r, 'm'), 'k')).toBe('1');
    expect(attrOf(childOf(r, 't'), 'k')).toBeUndefined();
    expect(attrOf(null, 'k')).toBeUndefined();
    expect(attrOf('text', 'k')).toBeUndefined();
    expect(childrenOf(r, 'a').map((a) => attrOf(a, 'k'))).toEqual(['v', 'w']);
    expect(childrenOf(r, 'item')).toEqual(['1']);
    expect(childrenOf(r, 'missing')).toEqual([]);
    expect(childrenOf(null, 'a')).toEqual([]);
    expect(childrenOf('text', 'a')).toEqual([]);
  });

  it('keeps white space and decodes references', () => {
    const t = parseXml('<r><t>  a &amp; &#x3C;b&#x3E; &lt;c&gt;  </t></r>');
    expect(textOf(childOf(childOf(t, 'r'), 't'))).toBe('  a & <b> <c>  ');
  });
});

describe('HTML as a reader sees it', () => {
  it('parses elements, attributes, texts, comments and template contents', () => {
    expect(parseHtml('<p class="c">a<b>b</b></p>t<!--x--><template><i>z</i></template>')).toEqual([
      {
        kind: 'element',
        name: 'p',
        attrs: [{ name: 'class', value: 'c' }],
        children: [
          { kind: 'text', text: 'a' },
          {
            kind: 'element',
            name: 'b',
            attrs: [],
            children: [{ kind: 'text', text: 'b' }],
          },
        ],
      },
      { kind: 'text', text: 't' },
      { kind: 'other', name: '#comment' },
      {
        kind: 'element',
        name: 'template',
        attrs: [],
        children: [
          { kind: 'element', name: 'i', attrs: [], children: [{ kind: 'text', text: 'z' }] },
        ],
      },
    ]);
  });

  it('textContent joins the texts, skipping comments', () => {
    expect(textContent(parseHtml('<p>a<b>b<!--x--></b> &amp; c</p>d'))).toBe('ab & cd');
  });

  it('readBlocks: paragraphs, headings, other elements, loose text; blank text skipped', () => {
    expect(
      readBlocks(parseHtml('<p>a <a href="x">b</a></p>\n<h2>H</h2> <h3>x</h3>loose<!--c-->\n')),
    ).toEqual([
      { type: 'paragraph', text: 'a b' },
      { type: 'heading', text: 'H' },
      { type: 'h3', text: 'x' },
      { type: 'text', text: 'loose' },
      { type: '#comment', text: '' },
    ]);
  });

  it('readLinks: every link, nested or not, with its text; no href is ""', () => {
    expect(
      readLinks(
        parseHtml('<a href="u1">one</a><p>x <b><a href="u2">t<i>wo</i></a></b></p><a>n</a>t'),
      ),
    ).toEqual([
      { href: 'u1', text: 'one' },
      { href: 'u2', text: 'two' },
      { href: '', text: 'n' },
    ]);
  });

  it('htmlProblems: only p, h2 and a href to http(s) in content; no element in a summary', () => {
    const problems = (html: string, allowed = CONTENT_ELEMENTS): string[] =>
      htmlProblems(parseHtml(html), allowed).map((p) => `${p.code} ${p.message}`);
    expect(
      problems('<h2>h</h2><p>a <a href="https://x.example/">b</a> <a href=" HTTP://Y/">c</a></p>'),
    ).toEqual([]);
    expect(problems('<p title="t" onload="x"><a href="https://x" rel="r">a</a></p>')).toEqual([
      'HTML_ATTRIBUTE holds <p title="…">.',
      'HTML_ATTRIBUTE holds <p onload="…">, an event handler that runs script.',
      'HTML_ATTRIBUTE holds <a rel="…">.',
    ]);
    expect(problems('<div><span>x</span><!--c--></div>')).toEqual([
      'HTML_ELEMENT holds a <div> element, which we never write.',
      'HTML_ELEMENT holds a <span> element, which we never write.',
      'HTML_ELEMENT holds an HTML comment.',
    ]);
    expect(problems('<p><a href="ftp://x">a</a><a href="https:x">b</a></p>')).toEqual([
      'HTML_URL links to "ftp://x", not an http(s) URL.',
      'HTML_URL links to "https:x", not an http(s) URL.',
    ]);
    expect(problems('plain & text', SUMMARY_ELEMENTS)).toEqual([]);
    expect(problems('<p>x</p>', SUMMARY_ELEMENTS)).toEqual([
      'HTML_ELEMENT holds a <p> element, which we never write.',
    ]);
  });
});

describe('feedDateOf', () => {
  const row = (updatedAt: string, withdrawnAt: string | null = null) => ({
    id: 'x',
    publishedAt: '2026-01-01T00:00:00Z',
    updatedAt,
    withdrawn: withdrawnAt !== null,
    withdrawnAt,
  });
  it('is the newest update or withdrawal of any record, the epoch for none', () => {
    expect(feedDateOf([])).toBe(0);
    expect(feedDateOf([row('2026-11-02T00:00:00Z'), row('2026-11-03T00:00:00Z')])).toBe(
      Date.UTC(2026, 10, 3),
    );
    expect(feedDateOf([row('2026-11-03T00:00:00Z'), row('2026-11-02T00:00:00Z')])).toBe(
      Date.UTC(2026, 10, 3),
    );
    expect(
      feedDateOf([
        row('2026-11-03T00:00:00Z'),
        row('2026-11-01T00:00:00Z', '2026-11-05T00:00:00Z'),
      ]),
    ).toBe(Date.UTC(2026, 10, 5));
    expect(feedDateOf([row('2026-11-04T00:00:00Z', '2026-11-02T00:00:00Z')])).toBe(
      Date.UTC(2026, 10, 4),
    );
  });
  it('counts a restore (a withdrawn article come back): withdrawnAt is cleared, restoredAt is later', () => {
    const back = { ...row('2026-11-01T00:00:00Z'), restoredAt: '2026-11-06T00:00:00Z' };
    expect(feedDateOf([row('2026-11-03T00:00:00Z'), back])).toBe(Date.UTC(2026, 10, 6));
  });
});
