import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Prng } from '../../bench/prng.js';
import { ARCHIVE_WORKERS_FROM } from '../../src/history/render-archive.js';
import { PART_SIZE } from '../../src/model/feed-history.js';
import { EXAMINE_WORKERS_FROM } from '../../src/pipeline/examine-pool.js';
import { BASE_CONFIG, CLI, makeProject, RUN_LIMIT_MS } from '../helpers.js';

/**
 * The worker threads of a big run (pipeline/examine-pool.ts: articles read and normalized;
 * history/render-archive.ts: archive documents rendered, proven and staged) exist only in the
 * compiled CLI: under vitest the work stays on the main thread. So this runs dist/bin/main.js
 * on one generated archive, big enough to start both pools, with and without the workers
 * (FEEDKEEPER_WORKERS=0), and compares every file written, byte for byte; then shows the gate
 * on a worker thread refusing a document whose record changed under it.
 *
 * The articles are short (a few dozen words, from a seeded generator) so that the builds stay
 * quick: what is compared is the threads' work, not the volume. A preload module fixes the
 * clock (undated articles are published at the time of their first run, and the runs must mint
 * the same dates) and says on stderr which worker files were started, so the test knows the
 * pools really ran.
 */
const SEED = 20261130;
const ARTICLES = Math.max(EXAMINE_WORKERS_FROM, (ARCHIVE_WORKERS_FROM - 1) * PART_SIZE + 20);

const WORDS = [
  'guvernul', 'ministrul', 'a anunțat', 'miercuri', 'că', 'bugetul', 'pentru', 'școli', 'și',
  'spitale', 'va', 'crește', 'în', 'anul', 'următor', 'potrivit', 'surselor', 'oficiale',
  'consiliul', 'local', 'a votat', 'proiectul', 'orașului', 'Timișoara', 'după', 'o',
  'dezbatere', 'lungă',
]; // prettier-ignore

const p = makeProject({ ...BASE_CONFIG, feed: { size: 20 } });
const r = new Prng(SEED);
const word = (): string => WORDS[r.int(0, WORDS.length - 1)] ?? 'știre';
const words = (n: number): string => Array.from({ length: n }, word).join(' ');
for (let i = 0; i < ARTICLES; i++)
  p.write(
    `${String(i).padStart(4, '0')}.txt`,
    `${words(4)} ${i} | ${word()}\n\n${words(r.int(20, 40))}.\n\n${words(r.int(10, 30))}.\n\nSursa: www.example.com\n`,
  );
const clock = hookFile(
  'clock-and-workers.mjs',
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
afterAll(() => rmSync(p.dir, { recursive: true, force: true }));

/** A cold build of the project, with `workers` as FEEDKEEPER_WORKERS, after the preloads. */
function coldBuild(workers: string, ...hooks: string[]) {
  for (const d of ['archive/records', 'out', '.feedkeeper'])
    rmSync(join(p.dir, d), { recursive: true, force: true });
  const run = spawnSync(
    process.execPath,
    [...hooks.flatMap((h) => ['--import', h]), CLI, 'build', '--json'],
    {
      cwd: p.dir,
      encoding: 'utf8',
      env: {
        ...process.env,
        FEEDKEEPER_CONFIG: '',
        FEEDKEEPER_WORKERS: workers,
        // Every page through html-validate (the suite's default) is a check of the pages, not
        // of the threads: once per page shape is the production setting.
        FEEDKEEPER_VALIDATE_EVERY_PAGE: '0',
      },
      timeout: RUN_LIMIT_MS,
    },
  );
  return {
    run,
    started: run.stderr.split('\n').filter((l) => l.startsWith('worker: ')),
  };
}

describe(`worker threads (compiled CLI, ${ARTICLES} generated articles, seed ${SEED})`, () => {
  it('write the same records and outputs, byte for byte, as one thread', () => {
    const one = coldBuild('0', clock);
    expect(one.run.status, one.run.stderr).toBe(0);
    const oneFiles = filesUnder(p.dir, ['archive/records', 'out']);
    const many = coldBuild('', clock);
    expect(many.run.status, many.run.stderr).toBe(0);
    const manyFiles = filesUnder(p.dir, ['archive/records', 'out']);
    expect(one.started.filter((w) => /archive-worker|examine-worker|copy-worker/.test(w))).toEqual(
      [],
    );
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
    oneFiles.delete(generation);
    manyFiles.delete(generation);
    expect([...manyFiles.keys()]).toEqual([...oneFiles.keys()]);
    expect(oneFiles.size).toBeGreaterThan(ARTICLES * 2);
    const differ = [...oneFiles].filter(([f, b]) => !b.equals(manyFiles.get(f) ?? Buffer.alloc(0)));
    expect(differ.map(([f]) => f)).toEqual([]);
  }, 120_000);

  it('the gate on a worker thread refuses a document, and nothing is published', () => {
    // In the worker threads only, the second read of each record (the gate's, after the
    // renderer's: history/render-archive-doc.ts) gets another title, as if the record had
    // been edited between the two. The gate must see the rendered documents disagree.
    const fault = hookFile(
      'second-read-differs.mjs',
      // Records are read through openSync (io/read-regular.ts): the second open of a record
      // opens a changed copy of it instead (written outside the records folder).
      `import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { syncBuiltinESMExports } from 'node:module';
import { isMainThread, threadId } from 'node:worker_threads';
if (!isMainThread) {
  const open = fs.openSync;
  const opens = new Map();
  let inside = false;
  fs.openSync = function (file, ...rest) {
    const name = String(file);
    if (inside || !name.includes('/archive/records/') || !name.endsWith('.json'))
      return open.call(this, file, ...rest);
    opens.set(name, (opens.get(name) ?? 0) + 1);
    if (opens.get(name) !== 2) return open.call(this, file, ...rest);
    inside = true;
    try {
      const changed = fs.readFileSync(name, 'utf8').replace('"title": "', '"title": "Changed ');
      const copy = path.join(os.tmpdir(), 'fk-changed-' + process.pid + '-' + threadId + '-' + opens.size + '.json');
      fs.writeFileSync(copy, changed);
      const fd = open.call(this, copy, ...rest);
      fs.unlinkSync(copy); // the open descriptor keeps it readable; nothing is left behind
      return fd;
    } finally {
      inside = false;
    }
  };
  syncBuiltinESMExports();
}
`,
    );
    const refused = coldBuild('', clock, fault);
    expect(refused.started).toContain('worker: archive-worker.js');
    expect(refused.run.status, refused.run.stderr).not.toBe(0);
    const report = JSON.parse(refused.run.stdout) as {
      problems: { code: string; file: string; severity: string }[];
    };
    const errors = report.problems.filter((i) => i.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    // The first document due, and it alone: the run stops at the first refused document.
    const documents = new Set(errors.map((i) => i.file.split('/').slice(0, -1).join('/')));
    expect([...documents]).toHaveLength(1);
    expect([...documents][0]).toMatch(/^out\/archive\/\d{4}\/\d{2}$/);
    expect(existsSync(join(p.dir, 'out', 'rss.xml'))).toBe(false);
    expect(existsSync(join(p.dir, 'out', 'archive'))).toBe(false);
    expect(existsSync(join(p.dir, 'out', 'index.html'))).toBe(false);
  }, 120_000);
});

function hookFile(name: string, text: string): string {
  const file = join(p.dir, name);
  writeFileSync(file, text);
  return file;
}

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
