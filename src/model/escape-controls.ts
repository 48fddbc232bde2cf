/**
 * Control characters as JSON writes them (`\n`, `\t`, `\u001b`): a file name holding a new
 * line (or an escape sequence) must not forge a line of the report, nor drive the terminal.
 * C1 controls and the Unicode line and paragraph separators too, and the bidirectional
 * controls (U+202E and its kin), which show the rest of the line backwards.
 */
export const escapeControls = (text: string): string =>
  text.replace(
    /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g,
    (c) =>
      c < ' '
        ? JSON.stringify(c).slice(1, -1)
        : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
