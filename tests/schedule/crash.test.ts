import { mkdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Prng } from '../../bench/prng.js';
import type { Project } from '../helpers.js';
import {
  articleName,
  expectValidProject,
  readRecords,
  removeProjects,
  sleep,
  startCli,
  syntheticArticle,
  syntheticProject,
  tempFiles,
  type Finished,
  wholeFiles,
} from './process-helpers.js';

afterAll(removeProjects);

// Enough that a build takes seconds, so the kills land all through it (the delays are spread
// over the measured run time); 1,500 made this the slowest file of the suite. The incremental
// rounds edit [0, 100) and [200, 300), move [300, 340) and delete [400, 460).
const ARTICLES = 500;

/** The kill delays are random but seeded: FEEDKEEPER_SEED=n replays a failing run. */
// This test is about kills: its builds (and their children) prove pages as a build does
// outside the tests, html-validate once per page shape, not on each page of every build.
process.env['FEEDKEEPER_VALIDATE_EVERY_PAGE'] = '0';

const SEED = Number(process.env['FEEDKEEPER_SEED'] ?? Date.now() % 1_000_000);
const random = new Prng(SEED);
console.log(`crash test: seed ${SEED} (replay with FEEDKEEPER_SEED=${SEED})`);

/** Start `feedkeeper build`, SIGKILL it after `delayMs` (if it is still running). */
async function buildKilledAfter(p: Project, delayMs: number): Promise<Finished> {
  const build = startCli(p, 'build');
  const finished = await Promise.race([build.done, sleep(delayMs).then(() => null)]);
  if (finished) return finished;
  build.child.kill('SIGKILL');
  return build.done;
}

/** After a kill: every record and published file is whole; then one build finishes the work. */
function recover(p: Project, killed: Finished): void {
  const context = `after ${killed.signal ?? `exit ${killed.code}`}: ${killed.stdout}${killed.stderr}`;
  expect(wholeFiles(p), context).toEqual([]);
  // The killed run's lock names a dead process: taken over without waiting.
  const again = p.cli('build', '--wait', '0');
  expect(again.status, `${context}\nthen: ${again.stdout}${again.stderr}`).toBe(0);
  expect(tempFiles(p)).toEqual([]);
}

describe('kill -9 at any point never corrupts the archive or the feeds', () => {
  it('random SIGKILLs during first builds of 500 articles, then during incremental builds', async () => {
    // The typical run time, measured here rather than guessed (the CI machine may be slow).
    const reference = syntheticProject(ARTICLES);
    const t0 = Date.now();
    const full = await startCli(reference, 'build').done;
    const typical = Date.now() - t0;
    expect(full.code, full.stdout + full.stderr).toBe(0);
    expectValidProject(reference, ARTICLES);

    const KILLS = 4;
    let interrupted = 0;
    let p = reference;
    for (let k = 0; k < KILLS; k++) {
      // A fresh start each time (same stored articles, nothing archived yet).
      for (const dir of ['archive/records', 'out', '.feedkeeper'])
        rmSync(join(p.dir, dir), { recursive: true, force: true });
      // Spread the kills over the whole run: one per slice of [20 ms, typical], at random.
      const delay = 20 + ((typical - 20) * (k + random.next())) / KILLS;
      const killed = await buildKilledAfter(p, delay);
      if (killed.signal === 'SIGKILL') interrupted++;
      recover(p, killed);
      expectValidProject(p, ARTICLES);
    }
    expect(interrupted).toBeGreaterThanOrEqual(KILLS / 2);

    // Incremental runs: new, edited, deleted and moved articles, killed part-way.
    p = reference;
    let total = ARTICLES;
    const deleted = new Set<number>();
    const edits = new Map<number, number>();
    const ids = new Map(readRecords(p).map((r) => [r.input.path, r.id]));
    for (let round = 0; round < 2; round++) {
      for (let i = total; i < total + 100; i++) p.write(articleName(i), syntheticArticle(i), 600);
      total += 100;
      for (let i = round * 200; i < round * 200 + 100; i++) {
        p.write(articleName(i), syntheticArticle(i, round + 1), 600);
        edits.set(i, (edits.get(i) ?? 0) + 1);
      }
      // Moved into a folder of their own (one in two lightly edited in the same step).
      const moved = join(p.articles, `moved-${round}`);
      mkdirSync(moved);
      for (let i = 300 + round * 20; i < 300 + round * 20 + 20; i++) {
        renameSync(join(p.articles, articleName(i)), join(moved, articleName(i)));
        if (i % 2 === 0) {
          const edited = syntheticArticle(i).replace('Paragraph 0 of', 'The first paragraph of');
          p.write(join(`moved-${round}`, articleName(i)), edited, 600);
          edits.set(i, (edits.get(i) ?? 0) + 1);
        }
      }
      for (let i = 400 + round * 30; i < 400 + round * 30 + 30; i++) {
        rmSync(join(p.articles, articleName(i)));
        deleted.add(i);
      }
      const killed = await buildKilledAfter(p, 20 + random.next() * (typical / 3));
      recover(p, killed);
      // Every article ever archived keeps its one record and its id, moved or not, with every
      // revision; deleted ones are withdrawn.
      expectValidProject(p, total);
      const records = readRecords(p);
      expect(records.filter((r) => r.withdrawnAt !== null)).toHaveLength(deleted.size);
      for (const r of records) {
        const i = Number(/report-(\d+)/.exec(r.input.path)?.[1]);
        expect(r.revisions.length, r.input.path).toBe(edits.get(i) ?? 0);
        const first = ids.get(`archive/articles/${articleName(i)}`);
        if (first !== undefined) expect(r.id, r.input.path).toBe(first);
      }
      const settled = p.cli('build', '--json');
      expect(settled.status).toBe(0);
      const report = JSON.parse(settled.stdout);
      expect(report.archive).toMatchObject({ added: [], revised: [], withdrawn: [] });
      expect(report.archive.unchanged).toBe(total - deleted.size);
    }
    // Each build also writes a page per article and their copies (about 1.5 x the CPU of a
    // build without pages): the limit allows for a slow machine.
  }, 360_000);
});
