import { readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import * as catalogueFileModule from '../../src/archive/catalogue-file.js';
import * as readArticleModule from '../../src/ingest/read-article.js';
import { runOnce } from '../../src/pipeline/run.js';
import { jsonOf } from '../helpers.js';
import {
  articleName,
  cliLikeContext,
  removeProjects,
  syntheticArticle,
  syntheticProject,
} from '../schedule/process-helpers.js';

afterAll(removeProjects);

// Count every read of a stored article's bytes (the only way the pipeline reads one).
vi.mock('../../src/ingest/read-article.js', async (importOriginal) => {
  const real = await importOriginal<typeof readArticleModule>();
  return { ...real, readArticle: vi.fn(real.readArticle) };
});
// And every load of the records' index, and every read of the catalogue's rows.
vi.mock('../../src/archive/catalogue-file.js', async (importOriginal) => {
  const real = await importOriginal<typeof catalogueFileModule>();
  return {
    ...real,
    loadRecordIndex: vi.fn(real.loadRecordIndex),
    openRecordRows: vi.fn(real.openRecordRows),
    openCatalogue: vi.fn(real.openCatalogue),
  };
});
const reads = vi.mocked(readArticleModule.readArticle);
const loads = vi.mocked(catalogueFileModule.loadRecordIndex);
/** The records opened to be read on demand (a run with few changes: key-index.ts RecordRows). */
const opensRows = vi.mocked(catalogueFileModule.openRecordRows);
const opens = vi.mocked(catalogueFileModule.openCatalogue);
const readPaths = (): string[] => reads.mock.calls.map(([l]) => l.path);

interface Report {
  archive: { added: string[]; revised: string[]; withdrawn: string[]; unchanged: number };
  feeds: { rendered: boolean; reason: string; written: string[] } | null;
  written: string[];
}

/** Files (but the run log) whose bytes or mtime differ between two snapshots. */
function changed(
  before: Record<string, { mtimeMs: number; text: string }>,
  after: Record<string, { mtimeMs: number; text: string }>,
): string[] {
  return Object.keys(after)
    .filter((f) => f !== '.feedkeeper/runs.jsonl')
    .filter((f) => before[f]?.mtimeMs !== after[f]!.mtimeMs || before[f]?.text !== after[f]!.text)
    .sort();
}

describe('a run with nothing to do', () => {
  it('reads no article, writes no file and touches no mtime', async () => {
    const p = syntheticProject(120);
    const first = p.cli('build');
    expect(first.status, first.stdout + first.stderr).toBe(0);
    const before = p.snapshot();

    // In process, with every read counted.
    reads.mockClear();
    const report = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(readPaths()).toEqual([]);
    expect(report.archive).toMatchObject({ added: [], revised: [], withdrawn: [], unchanged: 120 });
    expect(report.feeds).toMatchObject({ rendered: false, reason: 'nothing changed' });
    expect(report.written).toEqual([]);

    // Through the CLI: the --json report says the same, and no file changed.
    const cli = p.cli('build', '--json');
    expect(cli.status).toBe(0);
    const r = jsonOf<Report>(cli);
    expect(r.archive).toMatchObject({ added: [], revised: [], withdrawn: [], unchanged: 120 });
    expect(r.feeds).toMatchObject({ rendered: false });
    expect(r.written).toEqual([]);
    expect(changed(before, p.snapshot())).toEqual([]);
  });

  it('a file touched within the racy window of the last scan is read again once, then trusted', async () => {
    const p = syntheticProject(5);
    // Written just now: its mtime is too close to the scan for the stat to prove anything.
    p.write(articleName(5), syntheticArticle(5), 0);
    reads.mockClear();
    const first = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(first.archive.added).toHaveLength(6);
    expect(reads).toHaveBeenCalledTimes(6);

    reads.mockClear();
    const second = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(readPaths()).toEqual([`archive/articles/${articleName(5)}`]);
    expect(second.archive).toMatchObject({ added: [], revised: [], unchanged: 6 });
  });
});

describe('a run that finds the listing of the last save again', () => {
  it("reads the catalogue's header, not its rows", async () => {
    const p = syntheticProject(60);
    expect((await runOnce(cliLikeContext(p), { dryRun: false })).archive.added).toHaveLength(60);
    // Every row made unreadable, the header line and the end kept: only a run that reads the
    // rows can notice.
    const inputs = join(p.dir, '.feedkeeper', 'inputs.json');
    const lines = readFileSync(inputs, 'utf8').split('\n');
    expect(lines.length).toBeGreaterThan(60);
    const garbled = lines.map((l, i) => (i === 0 || !l.startsWith('[') ? l : '[not json,'));
    writeFileSync(inputs, garbled.join('\n'));

    reads.mockClear();
    opens.mockClear();
    const quiet = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(opens).not.toHaveBeenCalled();
    expect(readPaths()).toEqual([]);
    expect(quiet.archive).toMatchObject({ added: [], revised: [], unchanged: 60, duplicates: 0 });
    expect(quiet.feeds).toMatchObject({ rendered: false, reason: 'nothing changed' });
    expect(quiet.written).toEqual([]);

    // The next change reads the rows, finds them unreadable and rebuilds from the records:
    // nothing is lost, the new article is added, the others stay as they were.
    p.write(articleName(60), syntheticArticle(60), 600);
    const next = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(opens).toHaveBeenCalled();
    expect(next.archive).toMatchObject({ revised: [], withdrawn: [], unchanged: 60 });
    expect(next.archive.added).toHaveLength(1);
  });

  it('is not taken when a file changed, came or went', async () => {
    const p = syntheticProject(8);
    await runOnce(cliLikeContext(p), { dryRun: false });
    const file = (i: number): string => join(p.articles, articleName(i));
    const old = Date.now() / 1000 - 3600;
    const changes: [string, () => void, Record<string, unknown>][] = [
      ['a new mtime', () => utimesSync(file(1), old + 1, old + 1), { unchanged: 8 }],
      ['a new article', () => p.write(articleName(8), syntheticArticle(8), 600), { unchanged: 8 }],
      ['a deleted article', () => rmSync(file(8)), { withdrawn: [expect.any(String)] }],
      [
        'a rename',
        () => renameSync(file(2), join(p.articles, 'renamed.txt')),
        { added: [], withdrawn: [], unchanged: 8 },
      ],
    ];
    // A file written within RACY_MS of the last scan, whose stat cannot prove it unchanged: the
    // racy-window test above (it fails if quietSince() skips its racy check).
    for (const [what, change, expected] of changes) {
      change();
      opens.mockClear();
      const r = await runOnce(cliLikeContext(p), { dryRun: false });
      expect(opens, what).toHaveBeenCalled();
      expect(r.archive, what).toMatchObject(expected);
      // Then it is quiet again.
      opens.mockClear();
      await runOnce(cliLikeContext(p), { dryRun: false });
      expect(opens, what).not.toHaveBeenCalled();
    }
  });

  it('is not taken while an article has a problem: those are reported on every run', async () => {
    const p = syntheticProject(3);
    p.write('empty.txt', '', 600);
    p.write('draft.txt', `---\ndraft: true\n---\n${syntheticArticle(9)}`, 600);
    const runs = [];
    for (let i = 0; i < 3; i++) {
      opens.mockClear();
      runs.push(await runOnce(cliLikeContext(p), { dryRun: false }));
      if (i > 0) expect(opens).toHaveBeenCalled();
    }
    const [, second, third] = runs;
    expect(second!.archive).toMatchObject({ rejected: 1, unchanged: 3 });
    expect(second!.archive.drafts).toEqual(['archive/articles/draft.txt']);
    expect(second!.issues.map((i) => i.code).sort()).toEqual(
      third!.issues.map((i) => i.code).sort(),
    );
    expect(second!.issues.length).toBeGreaterThan(0);
  });
});

describe('one new article among many', () => {
  it('reads only it; writes only its record, the feeds and the catalogue', async () => {
    const p = syntheticProject(300);
    expect(p.cli('build').status).toBe(0);
    const before = p.snapshot();
    p.write(articleName(300), syntheticArticle(300), 600);
    const name = `archive/articles/${articleName(300)}`;

    const cli = p.cli('build', '--json');
    expect(cli.status, cli.stderr).toBe(0);
    const r = jsonOf<Report>(cli);
    expect(r.archive.added).toHaveLength(1);
    expect(r.archive).toMatchObject({ revised: [], withdrawn: [], unchanged: 300 });
    const record = `archive/records/${r.archive.added[0]}`;
    // One chunk of the records table takes its row (archive/record-chunks.ts).
    expect(r.written.filter((f) => /^\.feedkeeper\/records\//.test(f))).toEqual([
      expect.stringMatching(/^\.feedkeeper\/records\/2025-01-\d+\.journal$/),
    ]);
    const expected = [
      record,
      // A run that writes records gives the folder a new generation (catalogue-file.ts).
      'archive/records/.feedkeeper-generation',
      'out/rss.xml',
      'out/atom.xml',
      'out/feed.json',
      // Each feed's gzip and brotli copies, and their hashes for serve (publish/precompress.ts).
      ...['out/rss.xml', 'out/atom.xml', 'out/feed.json'].flatMap((f) => [`${f}.gz`, `${f}.br`]),
      // One journal line: its page's hashes and the feeds' (publish/precompress.ts).
      '.feedkeeper/etags.journal',
      // RFC 5005: the archive document it opens (the month's fourth part: 300 are before it, in
      // three parts of 100), and the third part, which gains its next-archive link.
      'out/archive/2025/01/3/rss.xml',
      'out/archive/2025/01/3/rss.xml.gz',
      'out/archive/2025/01/3/rss.xml.br',
      'out/archive/2025/01/3/atom.xml',
      'out/archive/2025/01/3/atom.xml.gz',
      'out/archive/2025/01/3/atom.xml.br',
      'out/archive/2025/01/3/feed.json',
      'out/archive/2025/01/3/feed.json.gz',
      'out/archive/2025/01/3/feed.json.br',
      'out/archive/2025/01/4/rss.xml',
      'out/archive/2025/01/4/rss.xml.gz',
      'out/archive/2025/01/4/rss.xml.br',
      'out/archive/2025/01/4/atom.xml',
      'out/archive/2025/01/4/atom.xml.gz',
      'out/archive/2025/01/4/atom.xml.br',
      'out/archive/2025/01/4/feed.json',
      'out/archive/2025/01/4/feed.json.gz',
      'out/archive/2025/01/4/feed.json.br',
      // One line appended to each catalogue journal, not the whole catalogue rewritten
      // (archive/catalogue-file.ts).
      '.feedkeeper/inputs.journal',
      // ... and to the journal of the inputs' bucket that holds the new article.
      ...r.written.filter((f) => /^\.feedkeeper\/inputs\/[0-9a-f]{2}\.journal$/.test(f)),
      '.feedkeeper/records.journal',
      // ... and to the journal of the records' chunk that holds its record.
      ...r.written.filter((f) => /^\.feedkeeper\/records\/[^/]+\.journal$/.test(f)),
      // ... and to the records' index by key: its root and the buckets of the new record's id,
      // slug, text, stored article and path (its place: archive/key-index-file.ts).
      '.feedkeeper/keys.journal',
      ...r.written.filter((f) => /^\.feedkeeper\/keys\/[0-9a-f]{2}\.journal$/.test(f)),
      '.feedkeeper/published.json',
      '.feedkeeper/history.json',
      // The records' month folder it moved, as this publication leaves it (record-folders.ts).
      '.feedkeeper/record-folders.json',
      // Its page, its month's pages and the front page (README "Pages"), their copies, and the
      // pages' state. The month's pages are in parts like its archive documents: the new part,
      // the third (its link to the newer part) and the first (its list of parts).
      ...[
        `out/articles/${record.replace(/^.*\//, '').replace(/\.json$/, '')}.html`,
        'out/archive/2025/01/4/index.html',
        'out/archive/2025/01/3/index.html',
        'out/archive/2025/01/index.html',
        'out/index.html',
      ].flatMap((f) => [f, `${f}.gz`, `${f}.br`]),
      '.feedkeeper/pages.journal',
      // ... and the journal of the group of page rows its row went to (pipeline/page-state.ts).
      ...r.written.filter((f) => /^\.feedkeeper\/pages\/[^/]+\.journal$/.test(f)),
    ].sort();
    expect(r.written.filter((f) => f.startsWith('.feedkeeper/pages/'))).toHaveLength(1);
    expect(r.written.filter((f) => f.startsWith('.feedkeeper/inputs/'))).toHaveLength(1);
    const keys = r.written.filter((f) => f.startsWith('.feedkeeper/keys/'));
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.length).toBeLessThanOrEqual(5);
    expect([...r.written].sort()).toEqual(expected);
    // What the report says is what happened on disk: nothing else changed, not even an mtime.
    const after = p.snapshot();
    expect(changed(before, after)).toEqual([...expected, name].sort());
    expect(JSON.parse(after[record]!.text)).toMatchObject({ input: { path: name } });
    expect(p.cli('check').status).toBe(0);

    // The same in process, counting reads: a second new article is the only file read.
    p.write(articleName(301), syntheticArticle(301), 600);
    reads.mockClear();
    const again = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(readPaths()).toEqual([`archive/articles/${articleName(301)}`]);
    expect(again.archive.added).toHaveLength(1);
    expect(again.archive.unchanged).toBe(301);
    // Three builds and a check, each rendering and proving archive documents of 100 entries.
  }, 120_000);
});

describe('an article touched but not changed (touch, an editor saving the same bytes, a checkout)', () => {
  it('is read once, kept as it is, and the records are not loaded for it; an edit still is', async () => {
    const p = syntheticProject(40);
    expect((await runOnce(cliLikeContext(p), { dryRun: false })).archive.added).toHaveLength(40);
    const file = join(p.articles, articleName(7));
    const later = Date.now() / 1000 - 30;
    utimesSync(file, later, later);

    reads.mockClear();
    loads.mockClear();
    opensRows.mockClear();
    const touched = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(reads.mock.calls.map(([l]) => l.path)).toEqual([`archive/articles/${articleName(7)}`]);
    expect(loads).not.toHaveBeenCalled();
    expect(opensRows).not.toHaveBeenCalled();
    expect(touched.archive).toMatchObject({ added: [], revised: [], withdrawn: [], unchanged: 40 });
    expect(touched.feeds).toMatchObject({ rendered: false });
    // Its new stat is kept: the next run reads nothing.
    expect(touched.written).toEqual([
      expect.stringMatching(/^\.feedkeeper\/inputs\/[0-9a-f]{2}\.journal$/),
      '.feedkeeper/inputs.journal',
    ]);
    reads.mockClear();
    const after = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(reads).not.toHaveBeenCalled();
    expect(after.written).toEqual([]);

    // The control: new bytes are an edit, archived as a revision, with the records opened (read
    // on demand: one edit is a run with few changes).
    writeFileSync(file, syntheticArticle(7, 1));
    utimesSync(file, later + 5, later + 5);
    opensRows.mockClear();
    const edited = await runOnce(cliLikeContext(p), { dryRun: false });
    expect(opensRows).toHaveBeenCalled();
    expect(edited.archive.revised).toHaveLength(1);
  });
});
