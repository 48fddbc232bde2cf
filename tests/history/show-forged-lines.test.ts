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
});
