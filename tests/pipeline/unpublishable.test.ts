import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emptyCatalogue, type RecordEntry } from '../../src/archive/catalogue.js';
import { catalogueFiles, loadCatalogue, openRecordRows } from '../../src/archive/catalogue-file.js';
import { keyIndexOf } from '../../src/archive/key-index.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { Unpublishable } from '../../src/pipeline/unpublishable.js';
import { removeProjects, syntheticProject } from '../schedule/process-helpers.js';

afterAll(removeProjects);

const readRecordFile = (dir: string, path: string): ArchiveRecord =>
  JSON.parse(readFileSync(join(dir, path), 'utf8')) as ArchiveRecord;

/**
 * Live catalogue rows that share an id (pipeline/unpublishable.ts): the first archived keeps it,
 * each other one is left out with RECORD_ID_DUPLICATE, reported in the order the ids first
 * appear among the rows. A withdrawn row holds no id.
 */
const row = (id: string, publishedAt: string, slug: string, withdrawn = false): RecordEntry => ({
  id,
  slug,
  publishedAt,
  updatedAt: publishedAt,
  withdrawn,
  withdrawnAt: withdrawn ? publishedAt : null,
  fingerprint: slug,
  input: `${slug}.txt`,
});

describe('Unpublishable: ids shared by catalogue rows', () => {
  it('keeps the first archived of each shared id and reports the others in row order', () => {
    const cat = emptyCatalogue();
    const put = (path: string, r: RecordEntry): void => void cat.records.set(path, r);
    put('a.json', row('tag:x,2026:a', '2026-02-03T00:00:00Z', 'a-2'));
    put('b.json', row('tag:x,2026:solo', '2026-02-01T00:00:00Z', 'solo'));
    put('c.json', row('tag:x,2026:b', '2026-02-02T00:00:00Z', 'b'));
    put('d.json', row('tag:x,2026:b', '2026-02-02T00:00:00Z', 'b-2'));
    put('e.json', row('tag:x,2026:a', '2026-02-01T00:00:00Z', 'a'));
    put('f.json', row('tag:x,2026:a', '2026-02-05T00:00:00Z', 'a-3'));
    put('g.json', row('tag:x,2026:a', '2026-01-01T00:00:00Z', 'gone', true));
    const judge = new Unpublishable(cat, '/records', '/');
    // id a first appears at a.json, id b at c.json (though b is found shared first, at d.json):
    // a's losers first. a is kept by e.json (the oldest), b by c.json (a tie on the date: the
    // shorter slug); the withdrawn g.json holds no id.
    expect(judge.issues.map((i) => [i.code, i.file])).toEqual([
      ['RECORD_ID_DUPLICATE', 'records/a.json'],
      ['RECORD_ID_DUPLICATE', 'records/f.json'],
      ['RECORD_ID_DUPLICATE', 'records/d.json'],
    ]);
    expect(judge.issues[0]?.message).toContain('which the older record records/e.json has too');
    expect(judge.issues[2]?.message).toContain('which the older record records/c.json has too');
    expect([...judge.leftOut.keys()].sort()).toEqual(['a.json', 'd.json', 'f.json']);
  });

  it('leaves out nothing when every live id is its own', () => {
    const cat = emptyCatalogue();
    cat.records.set('a.json', row('tag:x,2026:a', '2026-02-01T00:00:00Z', 'a'));
    cat.records.set('b.json', row('tag:x,2026:a', '2026-02-02T00:00:00Z', 'a-2', true));
    cat.records.set('c.json', row('tag:x,2026:c', '2026-02-03T00:00:00Z', 'c'));
    expect(new Unpublishable(cat, '/records', '/').issues).toEqual([]);
  });
});

describe('Unpublishable: judging records without the index by key', () => {
  it('reads no bucket of the index for records whose rows hold ids no two rows share', async () => {
    const p = syntheticProject(30);
    const t = new Date('2026-11-25T08:00:00Z');
    expect((await archiveArticles(p.context(t), { dryRun: false })).summary.added).toHaveLength(30);
    const recordsDir = join(p.dir, 'archive/records');
    const files = catalogueFiles(join(p.dir, '.feedkeeper'), recordsDir);
    const cat = loadCatalogue(files)!;
    expect(openRecordRows(files, cat)).toBe(true);
    const paths = [...cat.records.keys()];
    expect(paths).toHaveLength(30);
    const judge = new Unpublishable(cat, recordsDir, p.dir);
    for (const path of paths) expect(judge.judge(path), path).not.toBeNull();
    expect(judge.issues).toEqual([]);
    // The index's buckets are files (one per bucket touched): a record judged read one before.
    expect(keyIndexOf(cat.records).bucketsRead).toBe(0);
    // A record the catalogue has no row for is looked up in the index, and one whose id is
    // another's is left out.
    const [a, b] = paths;
    const other = JSON.parse(readFileSync(join(recordsDir, b!), 'utf8')) as { id: string };
    const dry = new Unpublishable(
      cat,
      recordsDir,
      p.dir,
      new Map([['2026/11/copy.json', { ...readRecordFile(recordsDir, a!), id: other.id }]]),
    );
    expect(dry.judge('2026/11/copy.json')).toBeNull();
    expect(dry.issues.map((i) => i.code)).toEqual(['RECORD_ID_DUPLICATE']);
    expect(keyIndexOf(cat.records).bucketsRead).toBeGreaterThan(0);
  }, 60_000);
});
