/**
 * A path as one word for a POSIX shell, for the commands a hint tells people to paste: as it is
 * when it holds only characters no shell treats specially, else in single quotes, each `'`
 * written `'\''`. A file name is the newsroom's (or anyone's who can drop a file in the
 * articles folder): `x'; touch PWNED; '.txt` in a hint pasted as is ran `touch`. A leading `-`
 * gets `./` (relative names only), so that the command does not read it as an option.
 *
 * A name with a control character is written in bash's `$'…'` form (POSIX too since 2024),
 * each such character as its UTF-8 bytes (`\x1b`, `\xc2\x85`) or by name (`\t`, `\n`): the
 * human report shows a control character as JSON writes it (cli/print-report.ts), so inside
 * single quotes the pasted name had a backslash and a letter where the tab was. Bytes, not
 * `\u`, because bash encodes `\u` in the locale's charset. `!` is written `\x21` there, out of
 * reach of an interactive shell's history expansion.
 */
export function shellWord(path: string): string {
  const word = path.startsWith('-') ? `./${path}` : path;
  if (/^[A-Za-z0-9._/@%+=:,-]+$/.test(word)) return word;
  if (!CONTROL.test(word)) return `'${word.replace(/'/g, `'\\''`)}'`;
  return `$'${word.replace(ANSI_C_SPECIAL, ansiC)}'`;
}

/**
 * What the human report escapes (model/escape-controls.ts): controls, line separators,
 * and the bidirectional controls that make the rest of a terminal line read backwards.
 */
const CONTROL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;
const ANSI_C_SPECIAL =
  /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\\'!]/g;
const NAMED: Readonly<Record<string, string>> = {
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\\': '\\\\',
  "'": "\\'",
};
const utf8 = new TextEncoder();

/** One character inside `$'…'`. bash reads at most two hex digits after `\x`. */
const ansiC = (c: string): string =>
  NAMED[c] ?? [...utf8.encode(c)].map((b) => `\\x${b.toString(16).padStart(2, '0')}`).join('');
