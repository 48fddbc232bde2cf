import { afterEach, describe, expect, it, vi } from 'vitest';
import { article, normalize, RO_PARAGRAPH } from './normalize-helpers.js';

/**
 * YAML escapes in a quoted front matter value write characters the file's own bytes are
 * cleaned of (normalize-article.ts): a `"\x07"` in a title reached the record, and the gate
 * then refused every document that listed it, so no article of the site was published.
 */
describe('front matter values are cleaned like the text', () => {
  afterEach(() => vi.restoreAllMocks());

  it('removes control characters written as escapes, and says so', () => {
    const r = normalize(
      `---\ntitle: "esc \\x07 bell \\u0001"\nsection: "a\\x1bb"\ntags: ["x\\u0000y"]\n---\n${RO_PARAGRAPH}\n`,
    );
    expect(r.article?.title).toBe('esc bell');
    expect(r.article?.section).toBe('ab');
    expect(r.article?.tags).toEqual(['xy']);
    const codes = r.issues.map((i) => `${i.code} ${i.severity}`);
    expect(codes).toContain('TEXT_CONTROL_CHARACTERS warning');
    expect(r.issues.find((i) => i.code === 'TEXT_CONTROL_CHARACTERS')?.message).toContain(
      '"title"',
    );
  });

  it('normalizes to NFC and drops invisible characters, as in the body', () => {
    const a = article(
      `---\ntitle: "Cafe\\u0301 \\u200b  nou"\nsummary: "un\\u00ad  rezumat"\n---\n${RO_PARAGRAPH}\n`,
    );
    expect(a.title).toBe('Café nou');
    expect(a.summary).toBe('un rezumat');
  });

  it('refuses a value that is empty once cleaned', () => {
    const r = normalize(`---\ntitle: "\\x07\\u200b"\n---\n${RO_PARAGRAPH}\n`);
    expect(r.article).toBeNull();
    expect(r.issues.map((i) => i.code)).toContain('FRONT_MATTER_INVALID');
  });

  it('refuses a YAML tag (it was archived as plain text, with a warning on stderr naming no file)', () => {
    const warn = vi.spyOn(process, 'emitWarning');
    const r = normalize(`---\ntitle: !!js/function 'function () {}'\n---\n${RO_PARAGRAPH}\n`);
    expect(r.article).toBeNull();
    expect(r.issues[0]?.code).toBe('FRONT_MATTER_INVALID');
    expect(r.issues[0]?.message).toContain('js/function');
    expect(warn).not.toHaveBeenCalled();
  });

  it('refuses a front matter block that is never closed (it was published titled "---")', () => {
    const r = normalize(`---\ntitle: Deschis\n\n${RO_PARAGRAPH}\n`);
    expect(r.article).toBeNull();
    expect(r.issues[0]?.code).toBe('FRONT_MATTER_INVALID');
    expect(r.issues[0]?.message).toContain('no `---` line to close it');
    // A file that merely starts with text is not front matter.
    expect(article(`Titlu\n\n${RO_PARAGRAPH}\n`).title).toBe('Titlu');
  });
});
