import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDatedArchive } from './dated-archive.js';
import { byPublishedDesc } from '../src/model/newest-first.js';
import { CLI } from './measure.js';

/**
 * Issue 14's import by hand: `node dist/bench/import-dates.js [N] [SEED]` writes N articles
 * named `YYYY-MM-DD_….txt` with unrelated modification times, runs one cold
 * `feedkeeper build --json`, and checks every record's date against its file name and the
 * feed against the newest 50 by that date. Prints the wall time of the build.
 */
const n = Number(process.argv[2] ?? '5000');
const seed = Number(process.argv[3] ?? '14');
const dir = mkdtempSync(join(tmpdir(), 'feedkeeper-import-'));
try {
  writeFileSync(
    join(dir, 'feedkeeper.config.json'),
    JSON.stringify({
      site: { title: 'Import', baseUrl: 'https://news.example.org', author: { name: 'Desk' } },
    }),
  );
  const files = writeDatedArchive(join(dir, 'archive', 'articles'), n, seed);
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [CLI, 'build', '--json'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`build exited ${r.status}: ${r.stderr}`);
  const report = JSON.parse(r.stdout) as {
    archive: {
      added: string[];
      dated: { record: string; publishedAt: string; publishedFrom: string }[];
    };
  };
  const byName = new Map(files.map((f) => [`archive/articles/${f.name}`, f.publishedAt]));
  let wrong = 0;
  const ids: { id: string; publishedAt: string }[] = [];
  for (const d of report.archive.dated) {
    const rec = JSON.parse(readFileSync(join(dir, 'archive/records', d.record), 'utf8')) as {
      id: string;
      publishedAt: string;
      input: { path: string };
    };
    if (rec.publishedAt !== byName.get(rec.input.path) || d.publishedFrom !== 'fileName') wrong++;
    ids.push(rec);
  }
  const newest = ids
    .sort(byPublishedDesc)
    .slice(0, 50)
    .map((x) => x.id);
  const feed = JSON.parse(readFileSync(join(dir, 'out', 'feed.json'), 'utf8')) as {
    items: { id: string; date_published: string }[];
  };
  const feedRight = JSON.stringify(feed.items.map((i) => i.id)) === JSON.stringify(newest);
  console.log(
    `import-dates: ${n} articles (seed ${seed}): cold build ${(ms / 1000).toFixed(2)} s; ${report.archive.added.length} records, ${wrong} dated other than by their file names; feed = newest 50 by file-name date: ${feedRight ? 'yes' : 'NO'} (${feed.items[0]?.date_published} … ${feed.items.at(-1)?.date_published})`,
  );
  if (wrong > 0 || !feedRight) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
