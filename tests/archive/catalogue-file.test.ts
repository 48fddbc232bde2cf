import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emptyCatalogue, type Catalogue } from '../../src/archive/catalogue.js';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  newGeneration,
  openCatalogue,
  saveCatalogue,
  type CatalogueFiles,
} from '../../src/archive/catalogue-file.js';
import { issue } from '../../src/model/issue.js';

function sample(): Catalogue {
  const c = emptyCatalogue();
  c.scannedAt = 1_764_000_000_000;
  const bad = issue(
    'ARTICLE_EMPTY',
    'error',
    'archive/articles/empty.txt',
    'is empty.',
    'Write it.',
  );
  c.inputs.set('archive/articles/empty.txt', {
    stat: { size: 0, mtimeMs: 1.5, ctimeMs: 2.25, ino: 7 },
    sha256: 'e'.repeat(64),
    record: null,
    normalizer: 1,
    issues: [bad],
  });
  for (let i = 0; i < 300; i++) {
    const path = `archive/articles/știre-${i}.txt`;
    const rel = `2026/11/stire-${i}.json`;
    c.inputs.set(path, {
      stat: {
        size: 1000 + i,
        mtimeMs: 1_700_000_000_123.456 + i,
        ctimeMs: 1_700_000_000_999 + i,
        ino: 100 + i,
      },
      sha256: i.toString(16).padStart(64, '0'),
      normalizer: 2,
      record: rel,
      issues: [],
    });
    c.records.set(rel, {
      id: `tag:news.example.org,2026-11-25:stire-${i}`,
      slug: `stire-${i}`,
      publishedAt: '2026-11-25T08:00:00Z',
      updatedAt: '2026-11-25T09:00:00Z',
      withdrawn: i % 7 === 0,
      withdrawnAt: i % 7 === 0 ? '2026-11-26T10:00:00Z' : null,
      fingerprint: i.toString(16).padStart(64, 'f'),
      input: path,
    });
  }
  c.corrupt.set(
    '2026/11/broken.json',
    issue(
      'RECORD_CORRUPT',
      'error',
      'archive/records/2026/11/broken.json',
      'is not JSON.',
      'Restore it.',
    ),
  );
  return c;
}

const stateDir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-catalogue-'));

/** Saved as a run that wrote records saves it: with the records folder's generation. */
function saved(files: CatalogueFiles): Catalogue {
  const c = sample();
  c.generation = newGeneration(files);
  saveCatalogue(files, c, true);
  return c;
}

describe('catalogue files', () => {
  it('load back exactly what was saved: inputs with their issues, records, corrupt records', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    const c = saved(files);
    const loaded = loadCatalogue(files);
    expect(loaded).not.toBeNull();
    expect(loadRecordIndex(files, loaded!)).toBe(true);
    expect(loaded).toEqual(c);
    // Still one JSON document, for jq.
    expect(JSON.parse(readFileSync(files.records, 'utf8')).rows).toHaveLength(300);
  });

  it.each([
    ['truncated', (t: string) => t.slice(0, Math.floor(t.length / 2))],
    ['cut before its end', (t: string) => t.replace(/\n\]\}\n$/, '\n')],
    ['reformatted', (t: string) => JSON.stringify(JSON.parse(t), null, 2)],
    ['with text after its end', (t: string) => `${t}[1]\n`],
    ['empty', () => ''],
  ])('%s: not trusted (the caller rebuilds it from the records)', (_, change) => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    writeFileSync(files.inputs, change(readFileSync(files.inputs, 'utf8')));
    writeFileSync(files.records, change(readFileSync(files.records, 'utf8')));
    expect(loadCatalogue(files)).toBeNull();
    const c = emptyCatalogue();
    expect(loadRecordIndex(files, c)).toBe(false);
    expect(c.records.size).toBe(0);
  });
});

describe('a catalogue is believed only for the records it indexes', () => {
  it('the records folder got a new generation since (another state folder wrote it): stale', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    newGeneration(files);
    const opened = openCatalogue(files);
    expect(opened.catalogue).toBeNull();
    expect(opened.stale).toContain('another state of the records');
  });

  it('the records folder lost its marker: stale', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    rmSync(files.generation);
    expect(openCatalogue(files).stale).toContain('no generation marker');
  });

  it('saved without a generation (before generations, or while another run wrote): rebuilt, silently', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saveCatalogue(files, sample(), true);
    expect(openCatalogue(files)).toEqual({ catalogue: null, stale: null });
  });

  it('records.json of another generation than inputs.json: not loaded (the caller rebuilds)', () => {
    const files = catalogueFiles(stateDir(), stateDir());
    saved(files);
    const old = readFileSync(files.records, 'utf8');
    saved(files);
    writeFileSync(files.records, old);
    const c = loadCatalogue(files);
    expect(c).not.toBeNull();
    expect(loadRecordIndex(files, c!)).toBe(false);
  });
});
