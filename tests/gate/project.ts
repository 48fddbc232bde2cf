import { readFileSync, rmSync } from 'node:fs';
import { walkFiles } from '../../src/io/walk-files.js';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { RunReport } from '../../src/pipeline/report.js';
import { runOnce } from '../../src/pipeline/run.js';
import { makeProject, type Project } from '../helpers.js';

/**
 * A small newsroom for the gate's fault-injection tests: four articles published at different
 * times (one in English, with a heading, a source line and markup in its text), one of them
 * since withdrawn, all three feeds published. Then `attempt()` adds an article, so the next run
 * must render, and runs it with whatever fault the test has switched on.
 */
const ARTICLES: Record<string, string> = {
  'a.txt':
    'Alpha news | Politics\n\nThe alpha lede.\n\nA paragraph with <script>alert(1)</script> and &amp; in it.\n\nA short heading\n\nMore alpha text follows here.\n\nSursa: www.aljazeera.com\n',
  'b.txt':
    'Bravo story | Economie\n\nPrimul paragraf al știrii bravo.\n\nAl doilea paragraf al știrii, în limba română, cu diacritice.\n',
  'c.txt':
    'Charlie story | Sport\n\nThe charlie lede, written in plain English for the readers.\n\nSecond charlie paragraph, also written in English.\n',
  'gone.txt':
    'Withdrawn story | World\n\nThis article is withdrawn later.\n\nIts second paragraph.\n',
};

export interface GateProject {
  readonly p: Project;
  /** out/ as bytes. */
  readonly published: () => Record<string, string>;
  /** Add an article and run once (at a later time): the run renders. */
  readonly attempt: () => Promise<RunReport>;
  /** Run once, an hour after the last run, with whatever the articles folder holds. */
  readonly run: () => Promise<RunReport>;
}

export async function gateProject(): Promise<GateProject> {
  const p = makeProject();
  let hour = 8;
  const run = (): Promise<RunReport> =>
    runOnce(p.context(new Date(`2026-11-25T${String(hour++).padStart(2, '0')}:00:00Z`)), {
      dryRun: false,
    });
  for (const [name, text] of Object.entries(ARTICLES)) {
    p.write(name, text);
    expect((await run()).issues).toEqual([]);
  }
  rmSync(join(p.articles, 'gone.txt'));
  const withdrawn = await run();
  expect(withdrawn.archive.withdrawn).toHaveLength(1);
  expect(withdrawn.feeds?.published).toBe(true);
  const published = (): Record<string, string> =>
    Object.fromEntries(
      walkFiles(join(p.dir, 'out')).map((f) => [
        f,
        readFileSync(join(p.dir, 'out', f)).toString('hex'),
      ]),
    );
  return {
    p,
    published,
    run,
    attempt: () => {
      p.write('d.txt', 'Delta story | Tech\n\nThe delta lede.\n\nA second delta paragraph.\n');
      return run();
    },
  };
}

/**
 * The run was refused: nothing published, the previous files byte for byte, these codes. The
 * run is `attempt` (an article added), or the one given; its report is returned.
 */
export async function expectRefused(
  g: GateProject,
  codes: readonly string[],
  attempt: () => Promise<RunReport> = g.attempt,
): Promise<RunReport> {
  const before = g.published();
  const r = await attempt();
  expect(r.feeds).toMatchObject({ rendered: true, published: false, written: [] });
  expect(g.published()).toEqual(before);
  const found = [...new Set(r.issues.map((i) => i.code))];
  for (const code of codes) expect(found, JSON.stringify(r.issues, null, 1)).toContain(code);
  for (const i of r.issues) expect(i.file).toMatch(/^out\//);
  return r;
}
