import { describe, expect, it } from 'vitest';
import { decodeArticle, firstInvalidUtf8 } from '../../src/normalize/decode.js';

const codeOf = (bytes: Uint8Array): string => {
  const r = decodeArticle('a.txt', bytes);
  return 'issue' in r ? r.issue.code : 'ok';
};

/** What the report says about bytes feedkeeper cannot read: the right code, the right byte. */
describe('decoding stored bytes', () => {
  it.each([
    ['a UTF-16 surrogate written as UTF-8', [0x61, 0xed, 0xa0, 0x80, 0x62], 1],
    ['above U+10FFFF', [0x61, 0x62, 0xf4, 0x90, 0x80, 0x80], 2],
    ['an overlong form', [0xe0, 0x80, 0xaf], 0],
    ['a Windows-1250 letter', [0x78, 0xbe, 0x2e], 1],
    ['a cut sequence at the end', [0x61, 0xc4], 1],
  ])('%s: the byte that breaks it (it was "0x00 at offset <size>")', (_, bytes, at) => {
    const b = Uint8Array.from(bytes);
    expect(codeOf(b)).toBe('ARTICLE_NOT_UTF8');
    expect(firstInvalidUtf8(b)).toBe(at);
    const r = decodeArticle('a.txt', b);
    expect('issue' in r && r.issue.message).toContain(`at offset ${at})`);
  });

  it('UTF-16 without a byte order mark is UTF-16, not binary', () => {
    const text = 'Titlu\n\nUn paragraf cu destule litere latine pentru a fi recunoscut.\n';
    expect(codeOf(Buffer.from(text, 'utf16le'))).toBe('ARTICLE_UTF16');
    const be = Buffer.from(text, 'utf16le').swap16();
    const r = decodeArticle('a.txt', be);
    expect('issue' in r && r.issue.hint).toContain('iconv -f UTF-16BE');
    // Binary stays binary.
    expect(codeOf(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48]))).toBe(
      'ARTICLE_BINARY',
    );
  });
});
