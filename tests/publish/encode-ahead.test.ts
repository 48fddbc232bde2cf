import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { makeAllCopies } from '../../src/publish/copy-pool.js';
import { AHEAD_MAX, EncodeAhead } from '../../src/publish/encode-ahead.js';
import {
  brotliAhead,
  encodeSync,
  MIN_COMPRESS_BYTES,
  SIBLING,
} from '../../src/publish/make-copies.js';
import { makeProvenCopies } from '../../src/publish/prove-copies.js';

/**
 * The Brotli copies a run begins before its files are staged (publish/encode-ahead.ts): made
 * on the thread pool while the gate proves the outputs, they must be the bytes the synchronous
 * path makes, taken only for a file that still holds the bytes they were begun from, and proven
 * like every other copy.
 */
const dir = mkdtempSync(join(tmpdir(), 'fk-encode-ahead-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Feed-like text of about `n` bytes, varied enough that both encodings work at it. */
const textOf = (n: number, seed: string): Buffer => {
  let text = '';
  for (let i = 0; text.length < n; i++)
    text += `<item><title>${seed} ${i} ${(i * 7919) % 1013}</title><p>șțăîâ ${i}</p></item>\n`;
  return Buffer.from(text.slice(0, n), 'utf8');
};

const tempOf = (
  path: string,
  coding: 'gzip' | 'br',
  made: { gzip: string | null; br: string | null },
): Buffer => {
  const tmp = made[coding];
  expect(tmp, `${path}${SIBLING[coding]} made`).not.toBeNull();
  return readFileSync(tmp!);
};

describe('copies encoded ahead', () => {
  it('are the bytes of the synchronous encodings, at every size a run writes', async () => {
    for (const n of [0, MIN_COMPRESS_BYTES - 1, MIN_COMPRESS_BYTES, 1_000, 40_000, 300_000]) {
      const bytes = textOf(n, `s${n}`);
      expect(encodeSync(bytes, await brotliAhead(bytes)), `${n} bytes`).toEqual(encodeSync(bytes));
    }
  });

  it('are taken for the file staged with the bytes they were begun from', async () => {
    const path = join(dir, 'same.xml');
    const bytes = textOf(50_000, 'same');
    writeFileSync(path, bytes);
    const ahead = new EncodeAhead();
    ahead.begin(path, bytes);
    const [made] = await makeAllCopies([path], ahead);
    expect(made!.mismatch).toBeNull();
    const want = encodeSync(bytes);
    expect(tempOf(path, 'gzip', made!).equals(want.gzip!)).toBe(true);
    expect(tempOf(path, 'br', made!).equals(want.br!)).toBe(true);
  });

  it('are not taken for a file whose bytes are not those they were begun from', async () => {
    // Same length, one byte apart: the copies must be those of the file as it is.
    const path = join(dir, 'changed.xml');
    const begun = textOf(20_000, 'changed');
    const staged = Buffer.from(begun);
    staged[staged.length >> 1] = staged[staged.length >> 1] === 0x41 ? 0x42 : 0x41;
    writeFileSync(path, staged);
    const ahead = new EncodeAhead();
    ahead.begin(path, begun);
    ahead.begin(join(dir, 'other-name.xml'), staged);
    const [made] = await makeAllCopies([path], ahead);
    expect(made!.mismatch).toBeNull();
    expect(gunzipSync(tempOf(path, 'gzip', made!)).equals(staged)).toBe(true);
    expect(brotliDecompressSync(tempOf(path, 'br', made!)).equals(staged)).toBe(true);
  });

  it('are proven: copies that do not decode to their file are refused', () => {
    const path = join(dir, 'wrong.xml');
    const bytes = textOf(10_000, 'wrong');
    writeFileSync(path, bytes);
    const made = makeProvenCopies(path, {
      bytes,
      br: encodeSync(textOf(10_000, 'another file')).br!,
    });
    expect(made.mismatch).toMatch(/br copy decodes to \d+ bytes that are not the file's/);
  });

  it('begins no more than AHEAD_MAX files, and the rest are made on the spot', async () => {
    const ahead = new EncodeAhead();
    const paths: string[] = [];
    for (let i = 0; i < AHEAD_MAX + 3; i++) {
      const path = join(dir, `many-${i}.html`);
      const bytes = textOf(2_000, `many ${i}`);
      writeFileSync(path, bytes);
      ahead.begin(path, bytes);
      paths.push(path);
    }
    expect(ahead.size).toBe(AHEAD_MAX);
    const made = await makeAllCopies(paths, ahead);
    made.forEach((m, i) => {
      expect(m.mismatch).toBeNull();
      const want = encodeSync(readFileSync(paths[i]!));
      expect(tempOf(paths[i]!, 'br', m).equals(want.br!)).toBe(true);
    });
  });
});
