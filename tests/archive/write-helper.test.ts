import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TEMP_FILE } from '../../src/io/atomic-write.js';
import { WORKER_FROM } from '../../src/io/write-pool.js';
import { runOnce } from '../../src/pipeline/run.js';
import { jsonOf, type Project } from '../helpers.js';
import { cliLikeContext, removeProjects, syntheticProject } from '../schedule/process-helpers.js';

afterAll(removeProjects);

/** Every file below `dir` (but hidden ones: the generation marker), relative path → text. */
function filesBelow(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.name.startsWith('.')) continue;
      if (e.isDirectory()) walk(abs);
      else out[relative(dir, abs)] = readFileSync(abs, 'utf8');
    }
  };
  walk(dir);
  return out;
}

const records = (p: Project): Record<string, string> =>
  filesBelow(join(p.dir, 'archive', 'records'));

/**
 * A run with WORKER_FROM or more records to write hands them to a worker thread (the compiled
 * CLI); a run in process under vitest (TypeScript sources, no compiled worker) writes them on the
 * main thread. Both must leave the same archive.
 */
describe('records written by the worker thread', () => {
  const n = WORKER_FROM * 2 + 7;

  it(`a cold build of ${n} articles: the CLI (worker) and a run in process (main thread) write the same records`, async () => {
    const viaWorker = syntheticProject(n);
    const inProcess = syntheticProject(n);
    const r = viaWorker.cli('build', '--json');
    expect(r.status, r.stdout + r.stderr).toBe(0);
    const report = jsonOf<{ archive: { added: string[] }; written: string[] }>(r);
    expect(report.archive.added).toHaveLength(n);
    await runOnce(cliLikeContext(inProcess), { dryRun: false });

    const a = records(viaWorker);
    expect(Object.keys(a)).toHaveLength(n);
    expect(a).toEqual(records(inProcess));
    for (const rel of report.archive.added)
      expect(report.written).toContain(join('archive', 'records', rel));
    const leftovers = Object.keys(filesBelow(viaWorker.dir)).filter((f) =>
      TEMP_FILE.test(f.split('/').pop() ?? ''),
    );
    expect(leftovers).toEqual([]);
  });

  it('a write the worker cannot make stops the run with a clear message; the next run recovers', () => {
    const p = syntheticProject(n);
    // The synthetic articles are dated January 2025: their records go below 2025/01/.
    const blocker = join(p.dir, 'archive', 'records', '2025');
    mkdirSync(join(p.dir, 'archive', 'records'), { recursive: true });
    writeFileSync(blocker, 'not a folder');
    const failed = p.cli('build');
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain(`${blocker} is a file where a folder should be (ENOTDIR`);
    expect(failed.stderr).toContain(`hint: move it away (mv ${blocker} ${blocker}.moved)`);
    expect(failed.stderr).not.toContain('    at '); // no stack trace
    expect(existsSync(join(p.dir, 'out', 'feed.json'))).toBe(false);

    rmSync(blocker);
    const next = p.cli('build', '--json');
    expect(next.status, next.stdout + next.stderr).toBe(0);
    expect(jsonOf<{ archive: { added: string[] } }>(next).archive.added).toHaveLength(n);
    expect(Object.keys(records(p))).toHaveLength(n);
  });
});
