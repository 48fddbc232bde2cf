import { describe, expect, it } from 'vitest';
import {
  collapseWhitespace,
  removeIllegalCharacters,
  removeInvisibles,
  stripBomAndNewlines,
  unglueBrackets,
} from '../../src/normalize/clean-text.js';
import { FILE, RO_PARAGRAPH, article, normalize, texts } from './normalize-helpers.js';

describe('character cleaning', () => {
  it('removes a UTF-8 byte order mark and CRLF line ends from the stored bytes', () => {
    const bytes = Buffer.concat([
      Buffer.from([0xef, 0xbb, 0xbf]),
      Buffer.from('Titlu\r\n\r\nPrimul rând\r\ncontinuă aici.\r\n\r\nAl doilea paragraf.\r\n'),
    ]);
    const a = article(bytes);
    expect(a.title).toBe('Titlu');
    expect(texts(a)).toEqual(['Primul rând continuă aici.', 'Al doilea paragraf.']);
    expect(JSON.stringify(a)).not.toMatch(/\\r|\uFEFF/);
  });

  it('stripBomAndNewlines turns CRLF and lone CR into LF and drops only a leading BOM', () => {
    expect(stripBomAndNewlines('\uFEFFa\r\nb\rc\nd')).toBe('a\nb\nc\nd');
    expect(stripBomAndNewlines('a\r\n\r\nb')).toBe('a\n\nb');
  });

  it('composes NFD input to NFC ("a\\u0306" → ă, "s\\u0327" → ş, then ș for Romanian)', () => {
    const nfd = `Ma\u0306rul s\u0327i para\n\n${RO_PARAGRAPH.normalize('NFD')}`;
    const ro = article(nfd);
    expect(ro.title).toBe('Mărul și para');
    expect(ro.title).toContain('\u0103');
    expect(texts(ro)).toEqual([RO_PARAGRAPH]);
    expect(JSON.stringify(ro)).not.toMatch(/\p{M}/u);

    // Not Romanian: the composed cedilla letter stays (NFC U+015F), only the composition happens.
    const tr = article(`---\nlanguage: tr\n---\nMa\u0306rul s\u0327i para\n\nBir paragraf.`);
    expect(tr.title).toBe('M\u0103rul \u015Fi para');
  });

  it('gives the same article for the NFD and the NFC form of a text', () => {
    const text = `Știri din țară | Societate\n\n${RO_PARAGRAPH}\n\nÎncă un paragraf, cu diacritice: ăâîșț ĂÂÎȘȚ.`;
    const nfc = article(text.normalize('NFC'));
    const nfd = article(text.normalize('NFD'));
    expect(nfd.title).toBe(nfc.title);
    expect(nfd.section).toBe(nfc.section);
    expect(nfd.body).toEqual(nfc.body);
    expect(nfd.fingerprint).toBe(nfc.fingerprint);
  });

  it('warns of bidirectional controls (U+202E reads a title backwards in a list) and keeps them', () => {
    const r = normalize(`Fa\u202Ect\u202C | Lume\n\n${RO_PARAGRAPH}\n`);
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'TEXT_BIDI_CONTROLS',
        severity: 'warning',
        message: expect.stringContaining(
          '2 bidirectional control characters (first U+202E)',
        ) as string,
      }),
    ]);
    expect(r.article?.title).toBe('Fa\u202Ect\u202C');
    // Right-to-left text as it is written needs no warning.
    expect(normalize(`שלום עולם\n\n${RO_PARAGRAPH}\n`).issues.map((i) => i.code)).not.toContain(
      'TEXT_BIDI_CONTROLS',
    );
  });

  it('warns of bidirectional controls written as YAML escapes in front matter', () => {
    for (const fm of ['title: "Price \\u202e01 USD"', 'summary: "a \\u2066b"']) {
      const r = normalize(`---\n${fm}\n---\nPrice | Lume\n\n${RO_PARAGRAPH}\n`);
      expect(
        r.issues.map((i) => i.code),
        fm,
      ).toContain('TEXT_BIDI_CONTROLS');
    }
  });

  it('warns of blank fillers (Hangul fillers, the braille blank) that look like nothing, and keeps them', () => {
    const r = normalize(`Fa\u3164ct | Lume\n\n${RO_PARAGRAPH} \u2800\u115F\n`);
    expect(r.issues).toEqual([
      expect.objectContaining({
        code: 'TEXT_INVISIBLE_CHARACTERS',
        severity: 'warning',
        message: expect.stringContaining(
          '3 invisible characters (first U+3164, in the title)',
        ) as string,
      }),
    ]);
    expect(r.article?.title).toBe('Fa\u3164ct');
    // Written as a YAML escape in front matter, where the file's bytes do not show it.
    const fm = normalize(`---\ntitle: "Fa\\uFFA0ct"\n---\n${RO_PARAGRAPH}\n`);
    expect(fm.issues.map((i) => [i.code, i.message])).toEqual([
      ['TEXT_INVISIBLE_CHARACTERS', expect.stringContaining('(first U+FFA0, in the title)')],
    ]);
    // Korean as it is written today, and joiners that scripts and emoji need: no warning.
    const plain = normalize(`한국어 뉴스\n\n${RO_PARAGRAPH} \u200D\u200C\n`);
    expect(plain.issues.map((i) => i.code)).not.toContain('TEXT_INVISIBLE_CHARACTERS');
  });

  it.each([
    ['Hangul fillers', '\u3164\u115F\u1160\uFFA0'],
    ['the braille blank', '\u2800'],
    ['joiners and a bidi mark between spaces', ' \u200D \u200C\u200E '],
    ['an ideographic space and a filler', '\u3000\u3164'],
  ])('refuses a title of only %s like an empty one (ARTICLE_NO_TITLE)', (_what, title) => {
    for (const text of [
      `${title} | Lume\n\n${RO_PARAGRAPH}\n`,
      `---\ntitle: "${title}"\n---\n${RO_PARAGRAPH}\n`,
    ]) {
      const r = normalize(text);
      expect(r.article).toBeNull();
      expect(r.issues.map((i) => [i.code, i.severity])).toContainEqual([
        'ARTICLE_NO_TITLE',
        'error',
      ]);
    }
  });

  // A headline line of U+3000 is blank, as `\s` and trim() have it; the text below it became the
  // headline, and ARTICLE_NO_BODY said only "has a headline but no body text".
  it.each([
    ['\u3000', 'U+3000'],
    ['\u3000\u3000 ', 'U+3000'],
    [' \u00a0', 'U+00A0'],
  ])('says why when a line of only %j above the text made it the headline', (line, cp) => {
    const r = normalize(`${line}\n\n${RO_PARAGRAPH}\n`);
    expect(r.article).toBeNull();
    const noBody = r.issues.find((i) => i.code === 'ARTICLE_NO_BODY');
    expect(noBody?.message).toBe(
      `has a headline but no body text: a line above its text holds only ${cp} (white space, as a space is), so it counts as blank, and the first line of text, "${RO_PARAGRAPH.slice(0, 59)}…", was taken as the headline.`,
    );
    expect(noBody?.hint).toContain('in visible characters');
  });

  it('keeps the plain message for a headline alone, after blank lines too', () => {
    for (const text of ['Doar un titlu\n', '\n \t\nDoar un titlu\n'])
      expect(normalize(text).issues.find((i) => i.code === 'ARTICLE_NO_BODY')?.message).toBe(
        'has a headline but no body text.',
      );
  });

  it('removes XML-illegal control characters and reports TEXT_CONTROL_CHARACTERS with count and line', () => {
    const r = normalize(
      'Titlu\n\nText \u0001\u0008 aici.\n\nAltul \u000B\u000C aici.\n\nȘi \u000E\u001F\uFFFE final.',
    );
    expect(r.article).not.toBeNull();
    expect(texts(r.article!)).toEqual(['Text aici.', 'Altul aici.', 'Și final.']);
    expect(JSON.stringify(r.article)).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE]/);
    expect(r.issues).toHaveLength(1);
    const w = r.issues[0]!;
    expect(w.code).toBe('TEXT_CONTROL_CHARACTERS');
    expect(w.severity).toBe('warning');
    expect(w.file).toBe(FILE);
    expect(w.message).toContain('7 control characters');
    expect(w.message).toContain('first on line 3');
    expect(w.hint).not.toBe('');
  });

  it('reports the line of the first control character as it is in the stored file (front matter, CRLF)', () => {
    const r = normalize('---\r\ntitle: Titlu\r\n---\r\nTitlu\r\n\r\nText \u0003 aici.\r\n');
    expect(r.article?.body).toEqual([{ type: 'paragraph', text: 'Text aici.' }]);
    expect(r.issues.map((i) => i.code)).toEqual(['TEXT_CONTROL_CHARACTERS']);
    expect(r.issues[0]?.message).toContain('contains 1 control character that');
    expect(r.issues[0]?.message).toContain('first on line 6');
  });

  it('reports no warning for a text without control characters (tab and newline are text)', () => {
    const r = normalize(`Titlu\n\nPrimul\trând\ncontinuă.\n\n${RO_PARAGRAPH}`);
    expect(r.issues).toEqual([]);
  });

  it('removeIllegalCharacters removes every forbidden character, U+0000 included', () => {
    const all =
      '\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u000B\u000C\u000E\u001F\uFFFE';
    const { text, removed } = removeIllegalCharacters(`a\nb${all}c\td\ne`);
    // Vertical tab and form feed leave a space (see the test below); the rest leave nothing.
    expect(text).toBe('a\nb  c\td\ne');
    expect(removed).toEqual({ count: [...all].length, firstLine: 2 });
    expect(removeIllegalCharacters('a\tb\nc\rd')).toEqual({ text: 'a\tb\nc\rd', removed: null });
  });

  it('removes zero-width spaces (U+200B, U+2060, an inner U+FEFF, soft hyphen) but keeps ZWJ', () => {
    const a = article('Ti\u200Btlu\n\nUn\u200B cuvânt\u2060 și\u00AD al\uFEFFtul 👨\u200D👩 aici.');
    expect(a.title).toBe('Titlu');
    expect(texts(a)).toEqual(['Un cuvânt și altul 👨\u200D👩 aici.']);
    expect(removeInvisibles('a\u200Bb\u2060c\u00ADd')).toBe('abcd');
  });

  it('collapses white space inside a paragraph: a multi-line paragraph becomes one line', () => {
    const a = article(
      'Titlu\n\n  Primul rând\n   al doilea\t\trând  \nal treilea rând.  \n\nAltul.',
    );
    expect(texts(a)).toEqual(['Primul rând al doilea rând al treilea rând.', 'Altul.']);
    expect(collapseWhitespace(' a \n\t b  c\n')).toBe('a b c');
  });

  it('puts a space after an editorial insertion glued to the next word', () => {
    const a = article('Titlu\n\nÎn timpul [these talks]problemele vor fi rezolvate.');
    expect(texts(a)).toEqual(['În timpul [these talks] problemele vor fi rezolvate.']);
    expect(unglueBrackets('[these talks]problemele')).toBe('[these talks] problemele');
    expect(unglueBrackets('[1] text, [a], [b].')).toBe('[1] text, [a], [b].');
  });
});

describe('vertical tab and form feed', () => {
  it('are removed as XML-illegal but leave a space, so the words they separated stay apart', () => {
    const r = removeIllegalCharacters('a\u000Bb\u000Cc');
    expect(r.text).toBe('a b c');
    expect(r.removed?.count).toBe(2);
  });
});
