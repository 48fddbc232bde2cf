import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellWord } from '../../src/model/shell-word.js';
import { normalizeArticle } from '../../src/normalize/normalize-article.js';
import { sha256 } from '../normalize/normalize-helpers.js';
import { RUN_LIMIT_MS } from '../helpers.js';

/** What a POSIX shell makes of `word`: the one argument it passes to printf. */
const asShellSees = (word: string): string =>
  spawnSync('sh', ['-c', `printf '%s' ${word}`], { encoding: 'utf8', timeout: RUN_LIMIT_MS })
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
