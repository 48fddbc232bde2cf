import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toNfc, toNfd } from '../../src/normalize/clean-text.js';
import { findHostOrUrl } from '../../src/normalize/source-line.js';
import { segmentedWords } from '../../src/normalize/word-count.js';
import { atxHeading, parseSource } from '../../src/normalize/structure.js';
import { normalize } from './normalize-helpers.js';

/**
 * Normalization must take time linear in the text on any input (bench/normalize-linear.ts
 * measures it; no timing here). The expressions that backtracked were replaced by loops: these
 * properties hold the loops to the expressions they replaced, and normalization of texts made of
 * runs of the characters those expressions (and the others in src/normalize) care about to what
 * a record must be. FEEDKEEPER_SEED replays another seed.
 */
const SEED = Number(process.env.FEEDKEEPER_SEED ?? 20261129);
const RUNS = 300;

/** The characters the expressions of src/normalize treat specially, and a few ordinary ones. */
const SPECIAL = [
  '#',
  ' ',
  '\t',
  '\n',
  '\r',
  '\r\n',
  '\u2028',
  '\u2029',
  '\u00a0',
  '\u200b',
  '\u2060',
  '\ufeff',
  '\u00ad',
  '\u0301',
  '\u0316',
  '\u000b',
  '\u000c',
  '\u0000',
  '\u0085',
  '\ufffe',
  '\ud800',
  '\udc00',
  '[',
  ']',
  '|',
  ' | ',
  ':',
  '.',
  ';',
  ',',
  '-',
  '—',
  '…',
  '*',
  '_',
  '/',
  'a',
  'Z',
  '1',
  'ş',
  'ț',
  '---',
  'Sursa:',
  'Citește și',
  'www.x.ro',
  'http://',
  '2026-11-25',
];

/** Runs of one piece each: `####`, `   `, `. . .`. */
const runsOf = (pieces: readonly string[], maxRun: number, maxRuns: number) =>
  fc
    .array(fc.tuple(fc.constantFrom(...pieces), fc.integer({ min: 1, max: maxRun })), {
      maxLength: maxRuns,
    })
    .map((runs) => runs.map(([piece, n]) => piece.repeat(n)).join(''));

const options = { seed: SEED, numRuns: RUNS };

/** XML 1.0 characters, less the C1 controls and DEL (clean-text.ts), as one code point each. */
const XML_ILLEGAL =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const INVISIBLE = /[\u200B\u2060\uFEFF\u00AD]/;

describe(`linear-time rewrites, same results (fast-check seed ${SEED})`, () => {
  const ATX = /^#{1,6}\s+(.+?)\s*#*$/;
  const atxPieces = ['#', ' ', '\t', '\n', '\r', '\u2028', '\u00a0', '\ufeff', 'a', '.', '\ud800'];

  it('atxHeading(line) is /^#{1,6}\\s+(.+?)\\s*#*$/.exec(line)?.[1]', () => {
    fc.assert(
      fc.property(runsOf(atxPieces, 8, 8), (line) => {
        expect(atxHeading(line)).toBe(ATX.exec(line)?.[1] ?? null);
      }),
      { ...options, numRuns: 2000 },
    );
  });

  it('atxHeading on every short string of #, space, a line end and a letter', () => {
    const alphabet = ['#', ' ', '\n', 'a'];
    const all = (n: number): string[] =>
      n === 0 ? [''] : all(n - 1).flatMap((s) => alphabet.map((c) => s + c));
    for (let n = 0; n <= 7; n++) {
      for (const line of all(n)) expect(atxHeading(line), line).toBe(ATX.exec(line)?.[1] ?? null);
    }
  });

  it('findHostOrUrl finds what the expression it replaced found', () => {
    const HOST_OR_URL =
      /(https?:\/\/[^\s,;()]+)|((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:\/[^\s,;()]*)?)/iu;
    const pieces = ['a', 'B', '1', '-', '.', '/', ' ', ',', '(', 'ro', 'http', 'HTTPS://', '://'];
    const odd = ['\u017f', '\u212a', '\u00e9', '\ud83d\ude00', '\ud800', '\u00a0', ';', ')'];
    fc.assert(
      fc.property(
        fc.oneof(
          runsOf([...pieces, ...odd], 4, 10),
          fc.string({ unit: fc.constantFrom(...pieces, ...odd), maxLength: 12 }),
        ),
        (text) => {
          const m = HOST_OR_URL.exec(text);
          const expected = m ? (m[1] !== undefined ? { url: m[1] } : { host: m[2] }) : null;
          expect(findHostOrUrl(text)).toEqual(expected);
        },
      ),
      { ...options, numRuns: 3000 },
    );
  });

  // Marks of many combining classes (1, 7, 10, 202, 220, 230, 232, 233, 234, 240), astral ones,
  // marks that decompose (U+0344, U+0F73), marks of class 0 (variation selectors), letters that
  // compose with them, Hangul, a singleton (U+212B), a composition exclusion (U+0958), an emoji
  // and a lone surrogate.
  const nfcPieces = [
    ...['\u0301', '\u0316', '\u0345', '\u0334', '\u093c', '\u05b0', '\u0591', '\u0327'],
    ...['\u0315', '\u035c', '\u035d', '\u0344', '\u0f73', '\u0e38', '\u0e48', '\u0300'],
    ...['a', 'e', 'é', 'ş', 'A', '\u1e14', '\u212b', '\u0958', '\u0915', '\u0f40'],
    ...['가', '\u1100', '\u1161', '\u11a8', '😀', '\ud800', ' ', '\ufe0f', '\u{e0100}'],
    ...['\u{1d165}', '\u{1d167}'],
  ];

  it('toNfd is normalize("NFD") and toNfc is normalize("NFC"), long runs of marks included', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          runsOf(nfcPieces, 40, 6),
          fc.string({ unit: fc.constantFrom(...nfcPieces), maxLength: 80 }),
        ),
        (text) => {
          expect(toNfd(text)).toBe(text.normalize('NFD'));
          expect(toNfc(text)).toBe(text.normalize('NFC'));
        },
      ),
      options,
    );
  });

  it('segmentedWords counts the same in pieces cut before a space as in one piece', () => {
    const word = fc.string({
      unit: fc.constantFrom('中', '文', 'ก', 'ข', 'カ', 'a', '1', '.', "'", '😀', '\u0301'),
      minLength: 1,
      maxLength: 3,
    });
    const text = fc
      .array(fc.tuple(word, fc.constantFrom(' ', '\u3000', '  ')), { maxLength: 20 })
      .map((words) => words.map(([w, space]) => w + space).join(''));
    fc.assert(
      fc.property(text, (t) => {
        expect(segmentedWords(t, 8)).toBe(segmentedWords(t, Infinity));
      }),
      options,
    );
  });

  it('parseSource trims trailing . ; , as /[.;,]+$/ did', () => {
    const old = (value: string): string => value.trim().replace(/[.;,]+$/, '');
    fc.assert(
      fc.property(runsOf(['.', ';', ',', ' ', 'a', 'www.x.ro', '\t'], 6, 8), (value) => {
        expect(parseSource(value).name).toBe(old(value));
      }),
      options,
    );
  });
});

describe(`normalizing runs of special characters (fast-check seed ${SEED})`, () => {
  it('returns, and a record it makes is clean text', () => {
    let records = 0;
    fc.assert(
      fc.property(runsOf(SPECIAL, 30, 12), runsOf(SPECIAL, 30, 12), (head, rest) => {
        const text = `${head}\n\n${rest}`;
        const r = normalize(text);
        expect(r.article === null).toBe(r.issues.some((i) => i.severity === 'error'));
        const a = r.article;
        if (a === null) return;
        records++;
        const strings = [
          a.title,
          a.section ?? '',
          a.summary,
          a.source?.name ?? '',
          ...a.body.map((b) => b.text),
        ];
        for (const s of strings) {
          expect(s).not.toMatch(XML_ILLEGAL);
          expect(s).not.toMatch(INVISIBLE);
        }
        expect(a.title).not.toBe('');
        expect(a.title).not.toMatch(/\n/);
        for (const b of a.body) {
          expect(b.text).toBe(b.text.trim());
          expect(b.text).not.toBe('');
          expect(b.text).not.toMatch(/[\t\n\r\u2028\u2029]| {2}/);
        }
        expect(a.body.some((b) => b.type === 'paragraph')).toBe(true);
        expect(Number.isInteger(a.wordCount) && a.wordCount >= 0).toBe(true);
        expect(a.slugBase).toMatch(/^[a-z0-9]+(?:-[a-z0-9]+)*$/);
        expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
        // Pure: the same text, the same result.
        expect(normalize(text)).toEqual(r);
      }),
      options,
    );
    // Not only rejections: enough of the texts make a record for the checks above to matter.
    expect(records).toBeGreaterThan(RUNS / 5);
  });
});
