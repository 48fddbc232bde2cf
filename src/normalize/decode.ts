import { shellWord } from '../model/shell-word.js';
import { issue, type Issue } from '../model/issue.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Stored bytes → text. Refuses what we cannot read faithfully rather than guessing: a legacy
 * 8-bit file decoded as the wrong code page would publish wrong letters forever.
 */
export function decodeArticle(
  file: string,
  bytes: Uint8Array,
): { text: string } | { issue: Issue } {
  if (bytes.length === 0) {
    return fail(
      file,
      'ARTICLE_EMPTY',
      'is empty (0 bytes).',
      'Write the article (headline line, blank line, paragraphs) or delete the file.',
    );
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    return fail(
      file,
      'ARTICLE_UTF16',
      'is UTF-16 encoded (it starts with a UTF-16 byte order mark); feedkeeper reads UTF-8.',
      `Convert it: iconv -f UTF-16 -t UTF-8 ${shellWord(file)} > converted.txt, then replace the file.`,
    );
  }
  const nul = bytes.indexOf(0);
  const utf16 = nul === -1 ? null : utf16WithoutBom(bytes);
  if (utf16 !== null) {
    return fail(
      file,
      'ARTICLE_UTF16',
      `is UTF-16 encoded (${utf16}, without a byte order mark: every other byte is 0); feedkeeper reads UTF-8.`,
      `Convert it: iconv -f ${utf16} -t UTF-8 ${shellWord(file)} > converted.txt, then replace the file.`,
    );
  }
  if (nul !== -1) {
    return fail(
      file,
      'ARTICLE_BINARY',
      `looks like binary data, not text (a NUL byte at offset ${nul}).`,
      'Store articles as UTF-8 plain text (.txt or .md); move images and documents elsewhere.',
    );
  }
  try {
    return { text: utf8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    return fail(
      file,
      'ARTICLE_NOT_UTF8',
      `is not valid UTF-8 (byte 0x${(bytes[at] ?? 0).toString(16).toUpperCase().padStart(2, '0')} at offset ${at}); it is probably in a legacy 8-bit encoding such as Windows-1250 or ISO-8859-2.`,
      `Convert it to UTF-8, e.g. iconv -f WINDOWS-1250 -t UTF-8 ${shellWord(file)} > converted.txt (use the encoding it was written in), then replace the file.`,
    );
  }
}

function fail(file: string, code: string, message: string, hint: string): { issue: Issue } {
  return { issue: issue(code, 'error', file, message, hint) };
}

/** Offset of the first byte that breaks UTF-8 (RFC 3629 section 4), for the message. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return i;
    // The second byte's range is narrower after E0, ED, F0 and F4 (RFC 3629 section 4): no
    // overlong forms, no UTF-16 surrogates (ED A0..BF), nothing above U+10FFFF (F4 90..).
    const [lo, hi] =
      b === 0xe0
        ? [0xa0, 0xbf]
        : b === 0xed
          ? [0x80, 0x9f]
          : b === 0xf0
            ? [0x90, 0xbf]
            : b === 0xf4
              ? [0x80, 0x8f]
              : [0x80, 0xbf];
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || c < (k === 1 ? lo : 0x80) || c > (k === 1 ? hi : 0xbf)) return i;
    }
    i += need + 1;
  }
  return i;
}

/**
 * UTF-16 without a byte order mark (what some Windows tools save): text of mostly Latin
 * letters has a 0 in every other byte. 'UTF-16LE' or 'UTF-16BE' when over a third of the odd
 * (or even) bytes of the first 4 KB are 0 and almost none of the others; else null (binary).
 */
function utf16WithoutBom(bytes: Uint8Array): string | null {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 4) return null;
  let even = 0;
  let odd = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) even++;
    if (bytes[i + 1] === 0) odd++;
  }
  const pairs = n / 2;
  if (odd > pairs / 3 && even < pairs / 50) return 'UTF-16LE';
  if (even > pairs / 3 && odd < pairs / 50) return 'UTF-16BE';
  return null;
}
