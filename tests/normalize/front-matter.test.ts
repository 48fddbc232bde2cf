import { describe, expect, it } from 'vitest';
import { FILE, RO_PARAGRAPH, article, normalize, texts } from './normalize-helpers.js';

const P2 = 'Al doilea paragraf al articolului, cu mai multe detalii.';

describe('front matter', () => {
  it('wins over inference for every key', () => {
    const a = article(
      [
        '---',
        'title: Titlul din front matter',
        'section: Politică',
        'date: 2026-11-20T08:30:00+02:00',
        'updated: 2026-11-21',
        'author: Ion Popescu',
        'tags: [politică, Belarus]',
        'url: https://news.example.org/politica/titlu.html',
        'language: en',
        'summary: Rezumatul scris de redacție.',
        'id: tag:news.example.org,2026-11-20:titlu',
        '---',
        'Titlul din front matter | Externe',
        '',
        RO_PARAGRAPH,
        '',
        P2,
      ].join('\n'),
    );
    expect(a.title).toBe('Titlul din front matter');
    expect(a.section).toBe('Politică');
    expect(a.publishedAt).toBe('2026-11-20T06:30:00Z');
    expect(a.updatedAt).toBe('2026-11-21T00:00:00Z');
    expect(a.authors).toEqual([{ name: 'Ion Popescu' }]);
    expect(a.tags).toEqual(['politică', 'Belarus']);
    expect(a.url).toBe('https://news.example.org/politica/titlu.html');
    expect(a.language).toBe('en');
    expect(a.summary).toBe('Rezumatul scris de redacție.');
    expect(a.id).toBe('tag:news.example.org,2026-11-20:titlu');
    expect(a.slugBase).toBe('titlul-din-front-matter');
    // The headline line repeated below the front matter is not body; the lede stays first.
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
  });

  it('leaves every inferred field as inferred without front matter', () => {
    const a = article(`Titlu | Externe\n\n${RO_PARAGRAPH}\n\n${P2}`, 'en');
    expect(a).toMatchObject({
      title: 'Titlu',
      section: 'Externe',
      language: 'ro',
      summary: RO_PARAGRAPH,
      tags: [],
      authors: [],
      url: null,
      id: null,
      publishedAt: null,
      updatedAt: null,
    });
  });

  it('takes `authors` (a list) and a single `tags` string', () => {
    const a = article(
      `---\nauthors:\n  - Ana Ionescu\n  - Mihai Pop\ntags: Belarus\n---\nTitlu\n\n${RO_PARAGRAPH}`,
    );
    expect(a.authors).toEqual([{ name: 'Ana Ionescu' }, { name: 'Mihai Pop' }]);
    expect(a.tags).toEqual(['Belarus']);
  });

  // attackG #1: the JSON Feed schema refuses an item with a tag twice (uniqueItems), and these
  // become equal only once normalized: trimmed, NFC, the Romanian cedilla folded.
  it.each([
    ['written twice', 'tags: [energy, energy]', ['energy']],
    ['with white space around', 'tags: [" energy", "energy ", Politică]', ['energy', 'Politică']],
    ['composed and decomposed', 'tags: ["Cafe\\u0301", "Café", Belarus]', ['Café', 'Belarus']],
    ['with a cedilla beside a comma below', 'tags: ["Ştiri", "Știri"]', ['Știri']],
  ])('keeps each tag once, in the order first written: %s', (_what, line, want) => {
    expect(article(`---\n${line}\n---\nTitlu\n\n${RO_PARAGRAPH}`).tags).toEqual(want);
  });

  it('reads a date without offset as UTC', () => {
    const a = article(`---\ndate: 2026-11-25 08:30\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(a.publishedAt).toBe('2026-11-25T08:30:00Z');
  });

  it('keeps the first line as body when the front matter title differs from it', () => {
    const a = article(`---\ntitle: Titlu\n---\n${RO_PARAGRAPH}\n\n${P2}`);
    expect(a.title).toBe('Titlu');
    expect(texts(a)).toEqual([RO_PARAGRAPH, P2]);
    expect(a.summary).toBe(RO_PARAGRAPH);
  });

  it('is read after a BOM and with CRLF line ends', () => {
    const a = article(
      `\uFEFF---\r\ntitle: Titlu\r\nlanguage: fr\r\n---\r\nTitlu\r\n\r\n${RO_PARAGRAPH}\r\n`,
    );
    expect(a.title).toBe('Titlu');
    expect(a.language).toBe('fr');
    expect(texts(a)).toEqual([RO_PARAGRAPH]);
  });

  it.each([
    ['bad YAML', 'title: [unclosed\nsection: x', 'not valid YAML'],
    ['a date that is not on the calendar', 'date: 2026-02-30', 'for "date"'],
    ['an updated date that is not on the calendar', 'updated: 2026-13-01', 'for "updated"'],
    ['a relative url', 'url: /articles/x.html', 'for "url"'],
    ['a non-ASCII id', 'id: tag:știri.example.org,2026-11-25:x', 'for "id"'],
    ['a language that is not a BCP 47 tag', 'language: română', 'for "language"'],
    ['a title that is not text', 'title: [a, b]', 'for "title"'],
    ['a list instead of key: value lines', '- title\n- date', 'not a list of `key: value` lines'],
    // Found by trying it: `tags: [economie, 08]` said only "Invalid input".
    [
      'a number among the tags',
      'tags: [economie, 08]',
      '"tags" (item 2): expected text, not the number 8: if that is meant as text, put it in quotes',
    ],
    ['a number as the only tag', 'tags: 2026', '"tags": expected text, not the number 2026'],
    ['a boolean section', 'section: true', '"section": expected text, not the boolean true'],
  ])('rejects %s with FRONT_MATTER_INVALID naming it', (_what, yaml, named) => {
    const r = normalize(`---\n${yaml}\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(r.article).toBeNull();
    expect(r.issues).toHaveLength(1);
    const e = r.issues[0]!;
    expect(e).toMatchObject({ code: 'FRONT_MATTER_INVALID', severity: 'error', file: FILE });
    expect(e.message).toContain(named);
    expect(e.hint).toContain('---');
  });

  it('takes a key with nothing after it (`section:`) as absent', () => {
    const r = normalize(`---\ntitle: Titlu\nsection:\ntags:\ndate:\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(r.issues).toEqual([]);
    expect(r.article).toMatchObject({ title: 'Titlu', section: null, tags: [], publishedAt: null });
  });

  it('warns FRONT_MATTER_UNKNOWN_KEY for an unknown key and archives the article anyway', () => {
    const r = normalize(`---\ntitle: Titlu\ncolour: red\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(r.article?.title).toBe('Titlu');
    expect(r.article?.body).toEqual([{ type: 'paragraph', text: RO_PARAGRAPH }]);
    expect(r.issues).toHaveLength(1);
    expect(r.issues[0]).toMatchObject({
      code: 'FRONT_MATTER_UNKNOWN_KEY',
      severity: 'warning',
      file: FILE,
    });
    expect(r.issues[0]?.message).toContain('"colour"');
    expect(r.issues[0]?.hint).toContain('title');
  });
  it('refuses an article whose unknown key looks like a key that holds it back', () => {
    // Ignored with a warning, each of these published a draft or an embargoed story at once.
    for (const [line, key, meant] of [
      ['Draft: true', 'Draft', '"draft"'],
      ['draftt: true', 'draftt', '"draft"'],
      ['Date: 2026-12-25T09:00:00Z', 'Date', '"date"'],
      ['data: 2026-12-25', 'data', '"date"'],
      ['published: false', 'published', '"draft"'],
      ['publishDate: 2026-12-25', 'publishDate', '"date"'],
    ] as const) {
      const r = normalize(`---\ntitle: Titlu\n${line}\n---\nTitlu\n\n${RO_PARAGRAPH}`);
      expect(r.article, line).toBeNull();
      expect(r.issues, line).toHaveLength(1);
      expect(r.issues[0], line).toMatchObject({ code: 'FRONT_MATTER_INVALID', severity: 'error' });
      expect(r.issues[0]?.message, line).toContain(`"${key}"`);
      expect(r.issues[0]?.message, line).toContain(meant);
    }
  });

  it('refuses an empty draft: value, and takes published: true as the default it is', () => {
    const empty = normalize(`---\ntitle: Titlu\ndraft:\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(empty.article).toBeNull();
    expect(empty.issues[0]?.message).toContain('empty front matter value for "draft"');
    const jekyll = normalize(`---\ntitle: Titlu\npublished: true\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(jekyll.article?.title).toBe('Titlu');
    expect(jekyll.issues.map((i) => i.code)).toEqual(['FRONT_MATTER_UNKNOWN_KEY']);
  });

  it('names the key an unknown one was probably meant as', () => {
    const r = normalize(`---\ntitel: Titlu\nlayout: post\n---\nTitlu\n\n${RO_PARAGRAPH}`);
    expect(r.issues.map((i) => i.hint.startsWith('Did you mean "title"?'))).toEqual([true, false]);
  });
  it('says what a date looks like when YAML read it as a number', () => {
    for (const v of ['20261104', '2026']) {
      const r = normalize(`---\ntitle: Titlu\ndate: ${v}\n---\nTitlu\n\n${RO_PARAGRAPH}`);
      expect(r.issues[0]?.message).toBe(
        `has an invalid front matter value for "date": expected a date such as 2026-11-25 or 2026-11-25T08:30:00+02:00, not the number ${v}.`,
      );
    }
  });
});
