import { cpSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  saveCatalogue,
} from '../../src/archive/catalogue-file.js';
import { walkFiles } from '../../src/io/walk-files.js';
import type { ArchiveRecord } from '../../src/model/record.js';
import { archiveArticles } from '../../src/pipeline/archive-articles.js';
import { runOnce } from '../../src/pipeline/run.js';
import { BASE_CONFIG, makeProject, type Project } from '../helpers.js';

/**
 * The records are the source of truth; the catalogue in the state folder is only an index of
 * them. Each case here is a way the index came to disagree with the records (reported by a
 * fault-injection run, issue 10): a restored older state folder, a second configuration with its
 * own state folder over the same records, a corrupt record while the catalogue was rebuilt, a
 * record file changed by hand. In none of them may a record be overwritten by another article,
 * lose a revision or its publishedAt, or an article end up with two live records.
 */
const T1 = new Date('2026-11-25T08:00:00Z');
const T2 = new Date('2026-11-26T09:30:00Z');
const T3 = new Date('2026-11-27T10:00:00Z');
const T4 = new Date('2026-11-28T11:00:00Z');

const story = (title: string, paragraphs: string[]): string =>
  `${title} | Lume\n\n${paragraphs.join('\n\n')}\n\nSursa: www.example.com\n`;
const RAIN = story('Ploi abundente în sudul țării', [
  'Meteorologii au emis o avertizare de ploi abundente pentru mai multe județe din sud, valabilă până mâine seară.',
  'Autoritățile locale au pregătit echipe de intervenție și recomandă prudență șoferilor.',
]);
const RAIN_EDITED = RAIN.replace('mâine seară', 'joi dimineață');
/** Another article that happens to have the same title (so the same slug base). */
const RAIN_OTHER = story('Ploi abundente în sudul țării', [
  'Un alt text, despre altă zi, cu alte detalii despre vreme și drumuri, cu totul alt articol.',
]);
const OLD = story('Alt subiect', [
  'Un paragraf cu destule cuvinte ca să fie un articol adevărat despre altceva, scris demult.',
]);
const RAIN_REL = '2026/11/ploi-abundente-in-sudul-tarii.json';

const recordsDir = (p: Project): string => join(p.dir, 'archive/records');
const record = (p: Project, rel: string): ArchiveRecord =>
  JSON.parse(readFileSync(join(recordsDir(p), rel), 'utf8')) as ArchiveRecord;
/** Every readable record (a corrupt one is nobody's record until it is repaired). */
function allRecords(p: Project): Map<string, ArchiveRecord> {
  const out = new Map<string, ArchiveRecord>();
  for (const rel of walkFiles(recordsDir(p), (n) => n.endsWith('.json') && !n.startsWith('.'))) {
    try {
      const r = record(p, rel);
      if (r.schemaVersion === 1) out.set(rel, r);
    } catch {
      // not JSON
    }
  }
  return out;
}
/** The live (not withdrawn) records of one stored article. */
const liveRecordsOf = (p: Project, name: string): string[] =>
  [...allRecords(p)]
    .filter(([, r]) => r.input.path === `archive/articles/${name}` && r.withdrawnAt === null)
    .map(([rel]) => rel);

/** A project whose RAIN record has been revised once (published T2, revised T3). */
async function revisedRain(p: Project): Promise<ArchiveRecord> {
  p.write('a.txt', RAIN, 300);
  await archiveArticles(p.context(T2), { dryRun: false });
  p.write('a.txt', RAIN_EDITED, 200);
  const r = await archiveArticles(p.context(T3), { dryRun: false });
  expect(r.summary.revised).toEqual([RAIN_REL]);
  const v = record(p, RAIN_REL);
  expect(v.publishedAt).toBe('2026-11-26T09:30:00Z');
  expect(v.revisions).toHaveLength(1);
  return v;
}

describe('a stale catalogue is never believed over the records', () => {
  it('an older .feedkeeper/ restored: no record overwritten, no revision lost, no id taken over', async () => {
    const p = makeProject();
    p.write('z.txt', OLD, 400);
    await archiveArticles(p.context(T1), { dryRun: false });
    const backup = join(p.dir, 'state-backup');
    cpSync(join(p.dir, '.feedkeeper'), backup, { recursive: true });
    const before = await revisedRain(p);

    // The state folder of T1 comes back (a backup restore); another article with the same title
    // arrives.
    rmSync(join(p.dir, '.feedkeeper'), { recursive: true });
    cpSync(backup, join(p.dir, '.feedkeeper'), { recursive: true });
    p.write('b.txt', RAIN_OTHER, 100);
    const r = await archiveArticles(p.context(T4), { dryRun: false });

    expect(record(p, RAIN_REL)).toEqual(before);
    expect(r.summary.added).toEqual(['2026/11/ploi-abundente-in-sudul-tarii-2.json']);
    expect(record(p, '2026/11/ploi-abundente-in-sudul-tarii-2.json').input.path).toBe(
      'archive/articles/b.txt',
    );
    expect(r.summary.revised).toEqual([]);
    expect(r.issues.map((i) => i.code)).toContain('CATALOGUE_STALE');
    // Rebuilt and saved: the next run trusts it again and has nothing to do.
    const next = await archiveArticles(p.context(T4), { dryRun: false });
    expect(next.issues).toEqual([]);
    expect(next.written).toEqual([]);
  });

  it('a second configuration with its own state folder over the same records: same guarantees', async () => {
    const p = makeProject();
    const A = { ...BASE_CONFIG, paths: { state: '.state-a' } };
    const B = { ...BASE_CONFIG, paths: { state: '.state-b' } };
    p.write('z.txt', OLD, 400);
    await archiveArticles(p.context(T1, A), { dryRun: false });
    await archiveArticles(p.context(T1, B), { dryRun: false });

    p.write('a.txt', RAIN, 300);
    await archiveArticles(p.context(T2, A), { dryRun: false });
    p.write('a.txt', RAIN_EDITED, 200);
    await archiveArticles(p.context(T3, A), { dryRun: false });
    const before = record(p, RAIN_REL);
    expect(before.revisions).toHaveLength(1);

    const b = await archiveArticles(p.context(T4, B), { dryRun: false });
    expect(record(p, RAIN_REL)).toEqual(before);
    expect(b.summary.added).toEqual([]);
    expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    // And back to A: its catalogue is now the stale one.
    p.write('b.txt', RAIN_OTHER, 100);
    const a = await archiveArticles(p.context(T4, A), { dryRun: false });
    expect(record(p, RAIN_REL)).toEqual(before);
    expect(a.summary.added).toEqual(['2026/11/ploi-abundente-in-sudul-tarii-2.json']);
  });

  it('a catalogue that lost a row (same generation): the unknown record at a path is never overwritten', async () => {
    const p = makeProject();
    p.write('z.txt', OLD, 400);
    const before = await revisedRain(p);
    // Drop the RAIN rows from both catalogue tables, keeping everything else as it was: saved
    // as a save writes them (the records' chunks count their rows, so a row cut out of a
    // chunk's file by hand is a chunk not trusted: archive/catalogue-file.ts).
    const files = catalogueFiles(join(p.dir, '.feedkeeper'), join(p.dir, 'archive', 'records'));
    const c = loadCatalogue(files);
    if (c === null || !loadRecordIndex(files, c)) throw new Error('no catalogue');
    const drop = (s: string | null): boolean => s !== null && /ploi-abundente|a\.txt/.test(s);
    for (const [path, e] of [...c.inputs]) if (drop(path) || drop(e.record)) c.inputs.delete(path);
    for (const [path, r] of [...c.records]) if (drop(path) || drop(r.input)) c.records.delete(path);
    saveCatalogue(files, c, true);
    p.write('b.txt', RAIN_OTHER, 100);
    const r = await archiveArticles(p.context(T4), { dryRun: false });
    expect(record(p, RAIN_REL)).toEqual(before);
    expect(r.summary.added).toEqual(['2026/11/ploi-abundente-in-sudul-tarii-2.json']);
    expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    expect(r.issues.map((i) => i.code)).toContain('CATALOGUE_STALE');
  });

  it('two record files swapped by hand: each article keeps its own id, nothing is overwritten', async () => {
    const p = makeProject();
    p.write('z.txt', OLD, 400);
    await revisedRain(p);
    const z = '2026/11/alt-subiect.json';
    const rain = record(p, RAIN_REL);
    const old = record(p, z);
    const rainBytes = readFileSync(join(recordsDir(p), RAIN_REL));
    writeFileSync(join(recordsDir(p), RAIN_REL), readFileSync(join(recordsDir(p), z)));
    writeFileSync(join(recordsDir(p), z), rainBytes);

    p.write('a.txt', `${RAIN_EDITED}\nO actualizare de ultim moment.\n`, 100);
    const r = await archiveArticles(p.context(T4), { dryRun: false });
    expect(r.summary.added).toEqual([]);
    const now = allRecords(p);
    const ofA = [...now.values()].filter((x) => x.input.path === 'archive/articles/a.txt');
    expect(ofA.map((x) => x.id)).toEqual([rain.id]);
    expect(ofA[0]?.revisions).toHaveLength(2);
    expect(ofA[0]?.publishedAt).toBe(rain.publishedAt);
    const ofZ = [...now.values()].filter((x) => x.input.path === 'archive/articles/z.txt');
    expect(ofZ).toEqual([old]);
  });
});

describe('a corrupt record keeps its article', () => {
  async function corruptRain(p: Project, damage: (text: string) => string): Promise<Buffer> {
    p.write('z.txt', OLD, 400);
    p.write('a.txt', RAIN, 300);
    await runOnce(p.context(T1), { dryRun: false });
    const abs = join(recordsDir(p), RAIN_REL);
    const original = readFileSync(abs);
    writeFileSync(abs, damage(original.toString('utf8')));
    return original;
  }

  it.each([
    ['a rebuilt catalogue (build --full)', false],
    ['a deleted state folder', true],
  ])(
    'corrupt record (schema) and %s: no second record; restored, it is the one live record',
    async (_, deleteState) => {
      const p = makeProject();
      const original = await corruptRain(p, (t) =>
        t.replace('"schemaVersion": 1', '"schemaVersion": 7'),
      );
      if (deleteState) rmSync(join(p.dir, '.feedkeeper'), { recursive: true });
      const r = await runOnce(p.context(T2), { dryRun: false, full: !deleteState });
      expect(r.archive.added).toEqual([]);
      expect(r.issues.map((i) => `${i.code} ${i.file}`)).toContain(
        `RECORD_CORRUPT archive/records/${RAIN_REL}`,
      );
      expect(liveRecordsOf(p, 'a.txt')).toEqual([]);

      writeFileSync(join(recordsDir(p), RAIN_REL), original);
      p.write('a.txt', RAIN_EDITED, 100);
      const back = await runOnce(p.context(T3), { dryRun: false });
      expect(back.issues).toEqual([]);
      expect(back.archive.revised).toEqual([RAIN_REL]);
      expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    },
  );

  it('cut short (nothing of it readable) with the state folder gone: restoring it leaves one live record, the original', async () => {
    const p = makeProject();
    const original = await corruptRain(p, (t) => t.slice(0, 30));
    const id = record(p, '2026/11/alt-subiect.json').id.replace('alt-subiect', 'x');
    expect(id).toContain('tag:');
    rmSync(join(p.dir, '.feedkeeper'), { recursive: true });
    // Nothing tells which article the cut record was: the article gets a record of its own
    // (never the corrupt record's slug or path).
    const r = await runOnce(p.context(T2), { dryRun: false });
    expect(r.archive.added).toEqual(['2026/11/ploi-abundente-in-sudul-tarii-2.json']);
    expect(readFileSync(join(recordsDir(p), RAIN_REL), 'utf8')).toBe(
      original.toString('utf8').slice(0, 30),
    );

    // The hint says: restore the file. The original takes its article back; the stand-in is
    // withdrawn (kept, never deleted), so one article has one live record.
    writeFileSync(join(recordsDir(p), RAIN_REL), original);
    const back = await runOnce(p.context(T3), { dryRun: false });
    expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    expect(back.archive.withdrawn).toEqual(['2026/11/ploi-abundente-in-sudul-tarii-2.json']);
    expect(back.issues.map((i) => i.code)).toEqual(['RECORD_SUPERSEDED']);
    const feed = JSON.parse(p.read('out/feed.json')) as { items: { id: string }[] };
    expect(feed.items.map((i) => i.id).sort()).toEqual(
      [record(p, RAIN_REL).id, record(p, '2026/11/alt-subiect.json').id].sort(),
    );
    // And it stays that way: nothing to do on the next runs, even a full one.
    const full = await runOnce(p.context(T4), { dryRun: false, full: true });
    expect(full.archive).toMatchObject({ added: [], revised: [], withdrawn: [] });
    expect(full.issues).toEqual([]);
    expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    const quiet = await runOnce(p.context(T4), { dryRun: false });
    expect(quiet.written).toEqual([]);
  });

  it('a corrupt record deleted by hand frees its article, which gets a new record', async () => {
    const p = makeProject();
    await corruptRain(p, (t) => t.slice(0, 30));
    // Edited, the article is read and its record found corrupt: the article waits for it.
    p.write('a.txt', RAIN_EDITED, 150);
    const r = await archiveArticles(p.context(T2), { dryRun: false });
    expect(r.summary.added).toEqual([]);
    expect(r.issues.map((i) => i.code)).toEqual(['RECORD_CORRUPT']);
    const still = await archiveArticles(p.context(T2), { dryRun: false });
    expect(still.issues.map((i) => i.code)).toEqual(['RECORD_CORRUPT']);
    rmSync(join(recordsDir(p), RAIN_REL));
    const after = await runOnce(p.context(T3), { dryRun: false });
    expect(after.issues).toEqual([]);
    expect(after.archive.added).toEqual(['2026/11/ploi-abundente-in-sudul-tarii.json']);
    expect(liveRecordsOf(p, 'a.txt')).toEqual([RAIN_REL]);
    expect(existsSync(join(recordsDir(p), RAIN_REL))).toBe(true);
    expect(readdirSync(join(recordsDir(p), '2026/11'))).toHaveLength(2);
  });
});
