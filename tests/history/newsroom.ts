import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { listRecordFiles } from '../../src/archive/rebuild-catalogue.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import type { RunReport } from '../../src/pipeline/report.js';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject, type Project } from '../helpers.js';
import { prng } from '../archive/table-rows.js';

/**
 * A synthetic newsroom for the archive chain: `count` articles with front matter dates spread
 * over three years, plus one busy month of `busy` articles (more than an archive document's
 * part), then edits and withdrawals spread over the years. Seeded (the seed is printed), so a
 * failure can be replayed with FEEDKEEPER_SEED=<seed>.
 */
export const seedOf = (): number => {
  const seed = Number(process.env['FEEDKEEPER_SEED'] ?? Math.floor(Math.random() * 2 ** 31));
  console.log(`archive chain seed: ${seed} (replay with FEEDKEEPER_SEED=${seed})`);
  return seed;
};

export { prng };

export const FEED_SIZE = 20;
export const CONFIG = { ...BASE_CONFIG, feed: { size: FEED_SIZE } };

const WORDS = 'river council budget harbour school railway market storm archive vote'.split(' ');

export function article(i: number, date: string, version = 1): string {
  const w = (k: number): string => WORDS[(i + k) % WORDS.length] ?? 'news';
  const title = `Report ${i} on the ${w(0)} ${w(3)}${version > 1 ? ` (update ${version})` : ''}`;
  return [
    '---',
    `date: ${date}`,
    'language: en',
    '---',
    `${title} | World`,
    '',
    `The ${w(1)} lede of report ${i}, version ${version}, written for the readers.`,
    '',
    `A second paragraph about the ${w(2)} and the ${w(4)}, version ${version}.`,
    '',
  ].join('\n');
}

export interface Newsroom {
  readonly p: Project;
  readonly run: () => Promise<RunReport>;
  /** Every live record, read from archive/records. */
  readonly live: () => ArchiveRecord[];
  readonly dates: Map<number, string>;
}

export async function newsroom(seed: number, count: number, busy: number): Promise<Newsroom> {
  const random = prng(seed);
  const p = makeProject(CONFIG);
  let hour = 0;
  const run = async (): Promise<RunReport> => {
    const r = await runOnce(
      p.context(new Date(Date.UTC(2026, 10, 1, 0, 0, 0) + hour++ * 3_600_000), CONFIG),
      { dryRun: false },
    );
    expect(r.issues).toEqual([]);
    return r;
  };
  const dates = new Map<number, string>();
  const start = Date.UTC(2023, 0, 1);
  const span = Date.UTC(2026, 0, 1) - start;
  for (let i = 0; i < count + busy; i++) {
    const ms =
      i < count
        ? start + Math.floor(random() * span)
        : Date.UTC(2025, 5, 1) + Math.floor(random() * 29 * 86_400_000);
    const date = new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
    dates.set(i, date);
    p.write(`a${i}.txt`, article(i, date));
  }
  await run();
  const live = (): ArchiveRecord[] =>
    listRecordFiles(join(p.dir, 'archive', 'records'))
      .map(
        (rel) =>
          JSON.parse(readFileSync(join(p.dir, 'archive', 'records', rel), 'utf8')) as ArchiveRecord,
      )
      .filter((r) => r.withdrawnAt === null);
  // Edits (some twice) and withdrawals, spread over the years, in two more runs.
  for (let round = 2; round <= 3; round++) {
    for (let i = 0; i < count + busy; i++) {
      const roll = random();
      if (!dates.has(i)) continue;
      if (roll < 0.08) p.write(`a${i}.txt`, article(i, dates.get(i) ?? '', round));
      else if (roll < 0.12) {
        rmSync(join(p.articles, `a${i}.txt`));
        dates.delete(i);
      }
    }
    await run();
  }
  return { p, run, live, dates };
}
