import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/**
 * The lines of a file (without their `\n`), read 1 MB at a time: a 40 MB file is never one
 * string in memory, and each line can be parsed and dropped before the next is read.
 */
export function* readLines(path: string): Generator<string> {
  const fd = openSync(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(1 << 20);
    const decoder = new StringDecoder('utf8'); // keeps a character split between two reads
    let rest = '';
    for (let n; (n = readSync(fd, buffer, 0, buffer.length, null)) > 0;) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop() ?? '';
      yield* lines;
    }
    rest += decoder.end();
    if (rest !== '') yield rest;
  } finally {
    closeSync(fd);
  }
}
