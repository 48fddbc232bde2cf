import { describe, expect, it } from 'vitest';
import { sourceLabel } from '../../src/model/source-label.js';
import { creditLabel } from '../../src/validate/credit-label.js';

/**
 * The gate's word for the source credit is its own (validate/credit-label.ts): stated here once
 * more, and held to the renderer's table, so a change to one alone fails here first.
 */
describe("the gate's source credit word", () => {
  it('is the word of the article language, by its primary subtag; "Source" for any other', () => {
    expect(creditLabel('ro')).toBe('Sursa');
    expect(creditLabel('ro-RO')).toBe('Sursa');
    expect(creditLabel('RO')).toBe('Sursa');
    expect(creditLabel('de-AT')).toBe('Quelle');
    expect(creditLabel('en')).toBe('Source');
    expect(creditLabel('pl')).toBe('Źródło');
    expect(creditLabel('ja')).toBe('Source');
    expect(creditLabel('constructor')).toBe('Source');
  });

  it("is the renderer's word, language by language", () => {
    const languages = [
      ...'ro en fr de es it pt pl hu nl da nb no sv fi tr cs sk hr sr bs ja zh el'.split(' '),
      'ro-MD',
      'sr-Latn',
    ];
    for (const l of languages) expect(creditLabel(l), l).toBe(sourceLabel(l));
  });
});
