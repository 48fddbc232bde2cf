import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { countWords } from '../../src/normalize/word-count.js';
import { REPO, sampleBytes } from '../helpers.js';
import { EN_PARAGRAPH, FR_PARAGRAPH, RO_PARAGRAPH, TR_PARAGRAPH } from './normalize-helpers.js';

/** The reference: Unicode word segmentation (UAX #29) as Intl.Segmenter implements it. */
const segmenter = new Intl.Segmenter('en', { granularity: 'word' });
const uax29 = (text: string): number =>
  [...segmenter.segment(text)].filter((s) => s.isWordLike).length;

function paragraphs(): string[] {
  const hostile = join(REPO, 'tests', 'fixtures', 'hostile');
  const files = [
    sampleBytes().toString('utf8'),
    ...readdirSync(hostile)
      .filter((f) => f.endsWith('.txt'))
      .map((f) => readFileSync(join(hostile, f), 'utf8')),
  ];
  return [
    // Front matter is YAML, not prose: dates like 10:15:00 are one word to UAX #29, three to us.
    ...files.flatMap((f) => f.replace(/^---\n[\s\S]*?\n---\n/, '').split(/\n\s*\n/)),
    RO_PARAGRAPH,
    EN_PARAGRAPH,
    FR_PARAGRAPH,
    TR_PARAGRAPH,
  ];
}

describe('countWords', () => {
  it('counts as UAX #29 on every paragraph of the sample and the hostile fixtures', () => {
    const texts = paragraphs();
    expect(texts.length).toBeGreaterThan(40);
    for (const text of texts) {
      // Markup fixtures hold `<b>` and `&amp;`, emoji with skin tones and ZWJ: all agree.
      expect([text, countWords(text)]).toEqual([text, uax29(text)]);
    }
  });

  it.each([
    ['Ana are mere, pere și 3 prune.', 7],
    [' — „ ” … ', 0],
    ["O'Neil și O’Brien au venit.", 5],
    ['www.aljazeera.com scrie: 3.14 și 2,5 la sută, 2, 5.', 9],
    ['s-au dus, n-a venit', 6],
    ['cafe\u0301 naïve', 2], // a combining mark stays inside its word
    ['𝐀𝐁𝐂 def 😀 ghi', 3], // astral letters are letters; an emoji is not a word
    ['🏳️‍🌈 și ✌️', 1], // nor is the variation selector (a mark) after one
    ["trailing' dot. comma, end'", 4],
    ['x\uD800y', 2], // a lone surrogate separates
    ['', 0],
  ])('%j has %i words', (text, n) => {
    expect(countWords(text)).toBe(n);
    expect(uax29(text)).toBe(n);
  });

  it('hands unspaced scripts to the segmenter', () => {
    const ja = '政府は月曜日、低所得世帯を支援する新たな措置を発表した。';
    expect(countWords(ja)).toBe(uax29(ja));
    expect(countWords(ja)).toBeGreaterThan(5);
    const mixed = `Tokyo ${ja}`;
    expect(countWords(mixed)).toBe(uax29(mixed));
  });
});
