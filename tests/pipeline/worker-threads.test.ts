import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Prng } from '../../bench/prng.js';
import { ARCHIVE_WORKERS_FROM } from '../../src/history/render-archive.js';
import { PART_SIZE } from '../../src/model/feed-history.js';
import { EXAMINE_WORKERS_FROM } from '../../src/pipeline/examine-pool.js';
import { BASE_CONFIG, CLI, makeProject, RUN_LIMIT_MS } from '../helpers.js';

/**
 * The worker threads of a big run (pipeline/examine-pool.ts: articles read and normalized;
 * history/render-archive.ts: archive documents rendered, proven and staged) exist only in the
 * compiled CLI: under vitest the work stays on the main thread. So this runs dist/bin/main.js
 * twice on one generated archive, big enough to start both pools, once with the workers and
 * once with FEEDKEEPER_WORKERS=0, and compares every file written, byte for byte.
 *
 * The articles are short (a few dozen words, from a seeded generator) so that the two builds
 * stay quick: what is compared is the threads' work, not the volume.
 *
 * A preload module fixes the clock (undated articles are published at the time of their first
 * run, and the two runs must mint the same dates) and says on stderr which worker files were
 * started, so the test knows the pools really ran.
 */
const SEED = 20261130;
const ARTICLES = Math.max(EXAMINE_WORKERS_FROM, (ARCHIVE_WORKERS_FROM - 1) * PART_SIZE + 20);

describe(`worker threads (compiled CLI, ${ARTICLES} generated articles, seed ${SEED})`, () => {
  it('write the same records and outputs, byte for byte, as one thread', () => {
    const p = makeProject({ ...BASE_CONFIG, feed: { size: 20 } });
    const dir = p.dir;
    try {
      const r = new Prng(SEED);
      const word = (): string => WORDS[r.int(0, WORDS.length - 1)] ?? 'știre';
      const words = (n: number): string => Array.from({ length: n }, word).join(' ');
      for (let i = 0; i < ARTICLES; i++)
        p.write(
          `${String(i).padStart(4, '0')}.txt`,
          `${words(4)} ${i} | ${word()}\n\n${words(r.int(20, 40))}.\n\n${words(r.int(10, 30))}.\n\nSursa: www.example.com\n`,
        );
      const hook = join(dir, 'clock-and-workers.mjs');
      writeFileSync(
        hook,
        `import threads from 'node:worker_threads';
import { syncBuiltinESMExports } from 'node:module';
const T = ${Date.now()};
const RealDate = Date;
globalThis.Date = class extends RealDate {
  constructor(...a) { if (a.length === 0) super(T); else super(...a); }
  static now() { return T; }
};
const RealWorker = threads.Worker;
threads.Worker = class extends RealWorker {
  constructor(file, options) {
    process.stderr.write('worker: ' + String(file).split('/').pop() + '\\n');
    super(file, options);
  }
};
syncBuiltinESMExports();
`,
      );
      const build = (workers: string): { files: Map<string, Buffer>; started: string[] } => {
        for (const d of ['archive/records', 'out', '.feedkeeper'])
          rmSync(join(dir, d), { recursive: true, force: true });
        const r = spawnSync(process.execPath, ['--import', hook, CLI, 'build', '--quiet'], {
          cwd: dir,
          encoding: 'utf8',
          env: {
            ...process.env,
            FEEDKEEPER_CONFIG: '',
            FEEDKEEPER_WORKERS: workers,
            // Every page through html-validate (the suite's default) is a check of the pages,
            // not of the threads: once per page shape is the production setting.
            FEEDKEEPER_VALIDATE_EVERY_PAGE: '0',
          },
          timeout: RUN_LIMIT_MS,
        });
        expect(r.status, r.stderr).toBe(0);
        return {
          files: filesUnder(dir, ['archive/records', 'out']),
          started: r.stderr.split('\n').filter((l) => l.startsWith('worker: ')),
        };
      };
      const one = build('0');
      const many = build('');
      expect(one.started.filter((w) => /archive-worker|examine-worker/.test(w))).toEqual([]);
      expect(new Set(many.started)).toEqual(
        new Set([
          'worker: examine-worker.js',
          'worker: archive-worker.js',
          'worker: copy-worker.js',
          'worker: write-worker.js',
        ]),
      );
      // The records folder's generation is random by design (archive/catalogue-file.ts).
      const generation = 'archive/records/.feedkeeper-generation';
      one.files.delete(generation);
      many.files.delete(generation);
      expect([...many.files.keys()]).toEqual([...one.files.keys()]);
      expect(one.files.size).toBeGreaterThan(ARTICLES * 2);
      const differ = [...one.files].filter(
        ([f, b]) => !b.equals(many.files.get(f) ?? Buffer.alloc(0)),
      );
      expect(differ.map(([f]) => f)).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

const WORDS = [
  'guvernul',
  'ministrul',
  'a anunțat',
  'miercuri',
  'că',
  'bugetul',
  'pentru',
  'școli',
  'și',
  'spitale',
  'va',
  'crește',
  'în',
  'anul',
  'următor',
  'potrivit',
  'surselor',
  'oficiale',
  'consiliul',
  'local',
  'a votat',
  'proiectul',
  'orașului',
  'Timișoara',
  'după',
  'o',
  'dezbatere',
  'lungă',
];

/** Every file below `folders` of `dir`, by path relative to `dir`, sorted. */
function filesUnder(dir: string, folders: readonly string[]): Map<string, Buffer> {
  const found: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const abs = join(d, e.name);
      if (e.isDirectory()) walk(abs);
      else found.push(relative(dir, abs));
    }
  };
  for (const f of folders) walk(join(dir, f));
  return new Map(found.sort().map((f) => [f, readFileSync(join(dir, f))]));
}
