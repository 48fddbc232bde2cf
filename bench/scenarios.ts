import { editArticle, type ArticleGenerator } from './article.js';
import { measureBuild, type BuildRun } from './measure.js';
import {
  AGE_SECONDS,
  assertArticlesOlderThan,
  resetBuild,
  rewriteArticle,
  writeArticle,
  type Workspace,
} from './workspace.js';

export type Scenario = 'cold build' | 'no change' | 'one new article' | 'one edited article';

export interface Sample {
  readonly seconds: number;
  readonly peakKb: number | null;
  readonly written: number;
}

export interface Row {
  /** Number of stored articles, or null for the `node -e 0` reference. */
  readonly size: number | null;
  readonly scenario: string;
  readonly samples: readonly Sample[];
}

export interface Runs {
  readonly cold: number;
  readonly noChange: number;
  readonly newArticle: number;
  readonly edited: number;
}

const past = (offsetSeconds = 0): number => Date.now() / 1000 - AGE_SECONDS + offsetSeconds;
const log = (line: string): void => void process.stderr.write(`${line}\n`);

/** All four scenarios, in order, on one generated archive of `size` articles. */
export async function runScenarios(
  ws: Workspace,
  gen: ArticleGenerator,
  seed: number,
  runs: Runs,
  timeFile: string,
  trash: string,
): Promise<Row[]> {
  const size = ws.names.length;
  const rows: Row[] = [];
  const repeat = async (
    scenario: Scenario,
    n: number,
    before: (i: number) => void,
    check: (run: BuildRun) => string | null,
  ): Promise<void> => {
    const samples: Sample[] = [];
    for (let i = 0; i < n; i++) {
      before(i);
      const run = await measureBuild(ws.dir, timeFile);
      const problem = check(run);
      if (problem !== null) throw new Error(`${size} ${scenario}, run ${i + 1}: ${problem}`);
      const sample = {
        seconds: run.seconds,
        peakKb: run.peakKb,
        written: run.report.written.length,
      };
      samples.push(sample);
      const mb = sample.peakKb === null ? '?' : (sample.peakKb / 1024).toFixed(0);
      log(
        `  [${size}] ${scenario} ${i + 1}/${n}: ${sample.seconds.toFixed(3)} s, ${mb} MB, ${sample.written} files written`,
      );
    }
    rows.push({ size, scenario, samples });
  };

  await repeat(
    'cold build',
    runs.cold,
    () => resetBuild(ws, trash),
    (r) => {
      const a = r.report.archive;
      if (r.report.issues.length > 0)
        log(`  warning: ${r.report.issues.length} issues, first: ${r.report.issues[0]?.code}`);
      return a.added.length === size && a.rejected === 0 && a.duplicates === 0
        ? null
        : `expected ${size} added, got ${a.added.length} (rejected ${a.rejected}, duplicates ${a.duplicates})`;
    },
  );
  await repeat(
    'no change',
    runs.noChange,
    () => assertArticlesOlderThan(ws, 2),
    (r) => {
      const a = r.report.archive;
      const changed = a.added.length + a.revised.length + a.withdrawn.length;
      return changed === 0 ? null : `expected no change, got ${changed} changed records`;
    },
  );
  await repeat(
    'one new article',
    runs.newArticle,
    (i) => ws.names.push(writeArticle(ws, gen, size + i, past())),
    (r) => (r.report.archive.added.length === 1 ? null : `added ${r.report.archive.added.length}`),
  );
  await repeat(
    'one edited article',
    runs.edited,
    (i) => {
      const index = Math.floor(((i + 0.5) * size) / runs.edited);
      const name = ws.names[index];
      if (name === undefined) throw new Error(`no article ${index}`);
      rewriteArticle(ws, name, (text) => editArticle(text, seed, index, i), past(60 * (i + 1)));
    },
    (r) =>
      r.report.archive.revised.length === 1 ? null : `revised ${r.report.archive.revised.length}`,
  );
  return rows;
}
