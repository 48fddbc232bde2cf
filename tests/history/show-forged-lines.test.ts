import { describe, expect, it } from 'vitest';
import { makeProject } from '../helpers.js';

/**
 * Found by an outside try: `archive show` printed the stored article's file name raw, so a name
 * holding a new line and a carriage return forged lines of the listing (a fake "status
 * withdrawn"), where the build report and `archive verify` escape it.
 */
describe('archive show: a file name cannot forge lines', () => {
  it('escapes new lines and carriage returns in the input path', () => {
    const p = makeProject();
    const name = 'x\n  status    withdrawn\n  withdrawn 2026-01-01\r.txt';
    p.write(name, 'Forged story\n\nLede paragraph here for the test.\n\nBody two.\n');
    expect(p.cli('build').status).toBe(0);
    const r = p.cli('archive', 'show', 'forged-story');
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('  status'))).toEqual(['  status    published']);
    expect(r.stdout).not.toContain('\r');
    expect(r.stdout).toContain(
      '  input     archive/articles/x\\n  status    withdrawn\\n  withdrawn 2026-01-01\\r.txt (',
    );
  });

  // Found by a second outside try: `archive list` and `archive history` printed a title's
  // bidirectional controls raw (the rest of the line, the record's path too, shown backwards).
  it('list and history escape a bidirectional control in a title, as show does', () => {
    const p = makeProject();
    p.write('r.txt', '\u202e Title reversed\n\nLede paragraph here for the test.\n');
    expect(p.cli('build').status).toBe(0);
    const list = p.cli('archive', 'list');
    const history = p.cli('archive', 'history', 'title-reversed');
    expect(history.status, history.stderr).toBe(0);
    for (const out of [
      list.stdout,
      history.stdout,
      p.cli('archive', 'show', 'title-reversed').stdout,
    ]) {
      expect(out).not.toContain('\u202e');
      expect(out).toContain('\\u202e Title reversed');
    }
  });
});
