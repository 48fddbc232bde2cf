import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../src/archive/read-record.js';
import { rebuildCatalogue } from '../../src/archive/rebuild-catalogue.js';

/**
 * A .json file in the records folder that is not a record (someone's notes, another tool's
 * output) is told apart from a damaged record: it is RECORD_FOREIGN, "not a feedkeeper record",
 * with the advice to move it out, not RECORD_CORRUPT's "restore it from your backup" (found by
 * an outside try, 2026-11-30: `{"hello":1}` was reported as a corrupt record).
 */
function folder(files: Record<string, string>): { root: string; records: string } {
  const root = mkdtempSync(join(tmpdir(), 'feedkeeper-foreign-'));
  const records = join(root, 'archive/records');
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(join(records, rel, '..'), { recursive: true });
    writeFileSync(join(records, rel), text);
  }
  return { root, records };
}

describe('a file in the records folder that is not a record', () => {
  it.each([
    ['an object without the record keys', '{"hello":1}\n', 'an object'],
    ['an array', '[1, 2]\n', 'an array'],
    ['a number', '42\n', 'a number'],
    ['null', 'null\n', 'null'],
  ])('%s: RECORD_FOREIGN, move it out', (_what, text, kind) => {
    const { root, records } = folder({ '2026/11/notes.json': text });
    const read = readRecord(records, '2026/11/notes.json', root);
    expect('issue' in read && read.issue).toMatchObject({
      code: 'RECORD_FOREIGN',
      severity: 'error',
      file: 'archive/records/2026/11/notes.json',
    });
    if (!('issue' in read)) return;
    expect(read.issue.message).toMatch(/^is not a feedkeeper record/);
    expect(read.issue.message).toContain(kind);
    expect(read.issue.hint).toMatch(/move this one out of it/);
    // The rebuild reports it with that code too, and indexes no record for it.
    const cat = rebuildCatalogue(records, root);
    expect(cat.records.size).toBe(0);
    expect(cat.corrupt.get('2026/11/notes.json')?.code).toBe('RECORD_FOREIGN');
  });

  it.each([
    ['not JSON (a record cut short)', '{\n  "schemaVersion": 1,\n  "id": "tag:x'],
    ['JSON with the record keys, a value broken', '{"schemaVersion": 1, "id": 7}\n'],
    ['JSON with only an id', '{"id": "tag:news.example.org,2026-11-20:a"}\n'],
  ])('%s: still RECORD_CORRUPT, restore it', (_what, text) => {
    const { root, records } = folder({ '2026/11/a.json': text });
    const read = readRecord(records, '2026/11/a.json', root);
    expect('issue' in read && read.issue.code).toBe('RECORD_CORRUPT');
    if ('issue' in read) expect(read.issue.hint).toMatch(/^Restore the file/);
  });
});
