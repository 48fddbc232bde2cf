import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstLine, readLines } from '../../src/io/read-lines.js';

describe('readLines', () => {
  it('gives the lines of a 3 MB file of multi-byte text, characters split across 1 MB reads included', () => {
    const lines: string[] = [];
    // 3-byte and 4-byte characters, lines of odd lengths: some read boundary falls inside one.
    for (let i = 0, length = 0; length < 3_000_000; i++) {
      lines.push(`${i} ș ț „citat” 🙂 ${'ă'.repeat(i % 997)}`);
      length += lines[i]!.length + 1;
    }
    const file = join(mkdtempSync(join(tmpdir(), 'feedkeeper-lines-')), 'lines.txt');
    writeFileSync(file, `${lines.join('\n')}\n`);
    expect([...readLines(file)]).toEqual(lines);
    writeFileSync(file, 'no final newline\nlast');
    expect([...readLines(file)]).toEqual(['no final newline', 'last']);
    // A line longer than the 1 MB read (one row of a snapshot can be), then empty lines.
    const long = `ș${'x'.repeat(2_500_000)}🙂`;
    writeFileSync(file, `a\n${long}\n\n\nb\n`);
    expect([...readLines(file)]).toEqual(['a', long, '', '', 'b']);
    writeFileSync(file, '');
    expect([...readLines(file)]).toEqual([]);
    // Small files are read with a buffer of their size (the catalogue's hundreds of chunks):
    // one without a final newline, longer than the smallest buffer, fills it and grows it.
    for (const text of ['x', 'ș'.repeat(300), `a\n${'b'.repeat(1000)}`, '\n\nz']) {
      writeFileSync(file, text);
      expect([...readLines(file)]).toEqual(text.split('\n'));
    }
  });
});

describe('firstLine', () => {
  it('gives the first line, across 16 KB reads and split characters, or the whole file without one', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'feedkeeper-lines-')), 'first.txt');
    // 16,383 bytes, then a 2-byte character across the first read's end.
    const head = `${'x'.repeat(16_383)}ș${'🙂'.repeat(10_000)}`;
    writeFileSync(file, `${head}\nsecond\n`);
    expect(firstLine(file)).toBe(head);
    writeFileSync(file, 'only, no newline');
    expect(firstLine(file)).toBe('only, no newline');
    writeFileSync(file, '\nafter an empty first line');
    expect(firstLine(file)).toBe('');
    writeFileSync(file, '');
    expect(firstLine(file)).toBe('');
  });
});
