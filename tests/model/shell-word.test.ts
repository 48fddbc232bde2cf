import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { escapeControls } from '../../src/model/escape-controls.js';
import { shellWord } from '../../src/model/shell-word.js';
import { normalizeArticle } from '../../src/normalize/normalize-article.js';
import { sha256 } from '../normalize/normalize-helpers.js';
import { RUN_LIMIT_MS } from '../helpers.js';

/** What a shell makes of `word`: the one argument it passes to printf. */
const asShellSees = (word: string, shell = 'bash'): string =>
  spawnSync(shell, ['-c', `printf '%s' ${word}`], { encoding: 'utf8', timeout: RUN_LIMIT_MS })
    .stdout;

describe('shellWord: a path a hint tells people to paste', () => {
  const names = [
    'archive/articles/plain.txt',
    "archive/articles/x'; touch PWNED; '.txt",
    'archive/articles/$(id).txt',
    'archive/articles/`id`.txt',
    'archive/articles/a b\tc\nd.txt',
    'archive/articles/"quoted" & <more>.txt',
    'știre nouă.txt',
  ];
  for (const name of names)
    it(`reaches the command as one word: ${JSON.stringify(name)}`, () => {
      expect(asShellSees(shellWord(name))).toBe(name);
    });

  it('quotes a name with no control character in single quotes, which any POSIX shell reads', () => {
    for (const name of names.filter((n) => !/[\t\n]/.test(n)))
      expect(asShellSees(shellWord(name), 'sh')).toBe(name);
  });

  // The human report writes a control character as JSON does (`\t`, `\u001b`: print-report.ts),
  // so inside single quotes the pasted name held a backslash and a letter instead.
  const controls = [
    "archive/articles/bad\tna'me\u001bx.txt",
    'archive/articles/a\nb\rc\u0001d\u007fe\u0085f\u2028g.txt',
    'archive/articles/back\\slash \u001b1 $x !y `z`.txt',
    // Found by an outside try: printed raw, U+202E showed the rest of the line backwards.
    'archive/articles/bidi\u202excod.md',
    'archive/articles/\u2066iso\u2069 \u200f.md',
  ];
  for (const name of controls)
    it(`writes control characters so the report shows them as bash reads them: ${JSON.stringify(name)}`, () => {
      const word = shellWord(name);
      expect(word).toMatch(/^\$'/);
      expect(escapeControls(word)).toBe(word);
      expect(asShellSees(word)).toBe(name);
    });

  it('keeps a leading "-" from being read as an option', () => {
    expect(shellWord('-rf.txt')).toBe('./-rf.txt');
  });

  it('is what the encoding hints use (one name ran `touch` when pasted)', () => {
    const path = "archive/articles/x'; touch PWNED; '.txt";
    const bytes = Buffer.from([0xaa, 0x0a, 0x0a, 0x78, 0xbe, 0x2e, 0x0a]);
    const r = normalizeArticle({ path, bytes, sha256: sha256(bytes) }, { defaultLanguage: 'ro' });
    const hint = r.issues[0]?.hint ?? '';
    expect(hint).toContain(`iconv -f WINDOWS-1250 -t UTF-8 ${shellWord(path)} > converted.txt`);
  });
});
