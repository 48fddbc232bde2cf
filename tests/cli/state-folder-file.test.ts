import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, sampleBytes } from '../helpers.js';

/**
 * Found by an outside try: with the state folder replaced by a file, `status` said "The run
 * stopped. Every file written so far is whole…" (it writes nothing) and named runs.jsonl, a
 * file inside it, as the one to fix; build named the right path but not what was wrong.
 * Now a configuration error at load (attackG, section 15): exit 2, the key, what is there, and,
 * at the default name, to move the file away; nothing read or written.
 */
describe('a file where the state folder should be', () => {
  it('is named, with what to do, by status (which writes nothing) and by build', () => {
    const p = makeProject();
    p.write('sample.txt', sampleBytes());
    expect(p.cli('build').status).toBe(0);
    const state = join(p.dir, '.feedkeeper');
    rmSync(state, { recursive: true });
    writeFileSync(state, 'junk\n');

    for (const command of ['status', 'build']) {
      const r = p.cli(command);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(
        `"paths.state": ".feedkeeper" (${state}) is a file, not a folder; feedkeeper keeps its catalogue and publish state there: move it away (mv ${state} ${state}.moved) and the next run makes the folder`,
      );
      expect(r.stderr).toContain('nothing was read or written.');
      expect(r.stderr).not.toContain('The run stopped');
    }

    rmSync(state);
    expect(p.cli('build').status).toBe(0);
  });
});
