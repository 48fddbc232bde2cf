/**
 * A path as one word for a POSIX shell, for the commands a hint tells people to paste: as it is
 * when it holds only characters no shell treats specially, else in single quotes, each `'`
 * written `'\''`. A file name is the newsroom's (or anyone's who can drop a file in the
 * articles folder): `x'; touch PWNED; '.txt` in a hint pasted as is ran `touch`. A leading `-`
 * gets `./` (relative names only), so that the command does not read it as an option.
 */
export function shellWord(path: string): string {
  const word = path.startsWith('-') ? `./${path}` : path;
  return /^[A-Za-z0-9._/@%+=:,-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}
