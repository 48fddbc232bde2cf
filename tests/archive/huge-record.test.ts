import { mkdirSync, mkdtempSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecord } from '../../src/archive/read-record.js';
import { MAX_READ_BYTES } from '../../src/io/read-regular.js';

/**
 * A record replaced by something huge (a disk image, a dump: found by an outside try with a
 * 3 GB file) is refused by its size before a byte is read. Before, the read failed after
 * allocating, with `The value of "length" is out of range` as the only explanation. The files
 * are sparse: they take no disk space.
 */
describe('a record file too large to be a record', () => {
  const place = (): { root: string; records: string; abs: string } => {
    const root = mkdtempSync(join(tmpdir(), 'feedkeeper-huge-'));
    const records = join(root, 'archive/records');
    mkdirSync(join(records, '2026/11'), { recursive: true });
    return { root, records, abs: join(records, '2026/11/a.json') };
  };

  it.each([
    ['just over the limit', MAX_READ_BYTES + 1, `${MAX_READ_BYTES / 1024 ** 2} MiB`],
    ['3 GB', 3 * 1024 ** 3, '3072 MiB'],
  ])('%s: RECORD_CORRUPT saying its size and the limit', (_what, size, shown) => {
    const { root, records, abs } = place();
    writeFileSync(abs, '{"schemaVersion": 1');
    truncateSync(abs, size);
    const read = readRecord(records, '2026/11/a.json', root);
    expect('issue' in read && read.issue.code).toBe('RECORD_CORRUPT');
    if (!('issue' in read)) return;
    expect(read.issue.file).toBe('archive/records/2026/11/a.json');
    expect(read.issue.message).toMatch(/^is \d+ MiB, more than any file feedkeeper writes can be/);
    expect(read.issue.message).toContain(shown);
    expect(read.issue.message).not.toMatch(/out of range|length/);
  });

  it('a file at the limit is read (and judged as JSON)', () => {
    const { root, records, abs } = place();
    writeFileSync(abs, '{');
    truncateSync(abs, 1024 ** 2);
    const read = readRecord(records, '2026/11/a.json', root);
    expect('issue' in read && read.issue.message).toMatch(/^is not valid JSON/);
  });

  it('a folder where a record was: "is a folder"', () => {
    const { root, records, abs } = place();
    mkdirSync(abs);
    const read = readRecord(records, '2026/11/a.json', root);
    expect('issue' in read && read.issue.message).toMatch(/^is a folder, not a regular file/);
  });
});
