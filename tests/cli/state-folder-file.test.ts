import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: with the state folder replaced by a file, `status` said "The run
 * stopped. Every file written so far is whole…" (it writes nothing) and named runs.jsonl, a
 * file inside it, as the one to fix; build named the right path but not what was wrong.
 */
describe('a file where the state folder should be', () => {
  it('is named, with what to do, by status (which writes nothing) and by build', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    const state = join(p.dir, '.feedkeeper');
    rmSync(state, { recursive: true });
    writeFileSync(state, 'junk\n');

    const status = p.cli('status');
    expect(status.status).toBe(1);
    expect(status.stderr).toContain(
      `feedkeeper status: ${state} is a file where a folder should be`,
    );
    expect(status.stderr).toContain('Nothing was written: status only reads.');
    expect(status.stderr).not.toContain('The run stopped');
    expect(status.stderr).toContain(`hint: move it away (mv ${state} ${state}.moved)`);

    const build = p.cli('build');
    expect(build.status).toBe(1);
    expect(build.stderr).toContain(
      `feedkeeper build: ${state} is a file where a folder should be (EEXIST)`,
    );

    rmSync(state);
    expect(p.cli('build').status).toBe(0);
  });
});
