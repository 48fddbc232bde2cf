import { describe, expect, it } from 'vitest';
import { fileSystemRefusal } from '../../src/cli/fs-refusal.js';

/**
 * Found by an outside try: a permission error on a record's atomic write named the hidden temp
 * file it opened (`.title-1.json.tmp-4953`) in the first line, where the hint named the record.
 */
describe('a file system refusal', () => {
  const refused = (message: string, path: string): string | null =>
    fileSystemRefusal(
      'build',
      Object.assign(new Error(message), { code: 'EPERM', syscall: 'open', path }),
    );

  it('names the file the run meant to write, not the temp file of its atomic write', () => {
    const text = refused(
      "EPERM: operation not permitted, open '/p/archive/records/2026/11/.title-1.json.tmp-4953'",
      '/p/archive/records/2026/11/title-1.json',
    );
    expect(text).toContain(
      "the file system refused: EPERM: operation not permitted, open '/p/archive/records/2026/11/title-1.json'",
    );
    expect(text).not.toContain('.tmp-');
  });

  it('leaves a name that only looks like one alone', () => {
    const text = refused("EPERM: operation not permitted, open '/p/notes.tmp-draft'", '/p/x');
    expect(text).toContain("open '/p/notes.tmp-draft'");
  });
});
