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
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    i += need + 1;
  }
  return i;
}
