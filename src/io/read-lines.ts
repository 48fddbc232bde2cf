import { closeSync, readSync } from 'node:fs';
import { openRegular } from './read-regular.js';

const CHUNK = 1 << 20;
const MIN_BUFFER = 256;

/**
 * The lines of a file (without their `\n`), read 1 MB at a time: a 40 MB file is never one
 * string in memory, and each line can be parsed and dropped before the next is read.
 *
 * Lines are found in the bytes (a `\n` byte is never part of a multi-byte UTF-8 character) and
 * each is decoded on its own. Decoding 1 MB chunks with a StringDecoder and splitting the
 * string was 3 to 10 times slower on Romanian text (two-byte strings): half of reading the
 * catalogue, which every run and `archive list` do.
 *
 * Only a regular file is read (io/read-regular.ts: a FIFO or a link to /dev/zero among the
 * state files throws, and the table is rebuilt as when it is corrupt), and never past the size
 * it had when opened.
 */
export function* readLines(path: string): Generator<string> {
  const { fd, size } = openRegular(path, true);
  let left = size;
  try {
    // No bigger than the file: the catalogue's tables are read as hundreds of small files (the
    // inputs' buckets, the records' chunks), and a 1 MB buffer for each was most of the
    // time of reading them (allocation and the garbage collections it set off).
    let buffer = Buffer.allocUnsafe(Math.max(MIN_BUFFER, Math.min(CHUNK, size)));
    let length = 0; // bytes in buffer not yet given out as lines
    for (;;) {
      // A line longer than the buffer: make room for it (a snapshot line is one row).
      if (length === buffer.length) {
        const bigger = Buffer.allocUnsafe(buffer.length * 2);
        buffer.copy(bigger, 0, 0, length);
        buffer = bigger;
      }
      const n = readSync(fd, buffer, length, Math.min(buffer.length - length, left), null);
      left -= n;
      length += n;
      let start = 0;
      for (let nl = buffer.indexOf(10, start); nl >= 0 && nl < length;) {
        yield buffer.toString('utf8', start, nl);
        start = nl + 1;
        nl = buffer.indexOf(10, start);
      }
      if (n === 0) {
        if (start < length) yield buffer.toString('utf8', start, length);
        return;
      }
      buffer.copy(buffer, 0, start, length);
      length -= start;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * The first line of a file (without its `\n`; the whole file when it has none), read 16 KB at
 * a time: a table's header (io/journaled-table.ts, tableHead()) is read by every run, and
 * readLines()' first 1 MB chunk, three tables a run, cost a no-change run at 10,000 articles
 * 20 ms of reading and the garbage collections its buffers set off.
 */
export function firstLine(path: string): string {
  const { fd, size } = openRegular(path, true);
  let left = size;
  try {
    const chunks: Buffer[] = [];
    for (;;) {
      const chunk = Buffer.allocUnsafe(FIRST_LINE_CHUNK);
      const n = readSync(fd, chunk, 0, Math.min(chunk.length, left), null);
      left -= n;
      const nl = chunk.subarray(0, n).indexOf(10);
      chunks.push(chunk.subarray(0, nl >= 0 ? nl : n));
      if (nl >= 0 || n === 0) return Buffer.concat(chunks).toString('utf8');
    }
  } finally {
    closeSync(fd);
  }
}

const FIRST_LINE_CHUNK = 16 * 1024;
