import { brotliAhead, type BrotliOf } from './make-copies.js';

/** At most this many files are encoded ahead: a run that publishes more uses the copy workers. */
export const AHEAD_MAX = 32;

/**
 * The Brotli copies of the few files a run publishes, begun as soon as their bytes are rendered,
 * on libuv's thread pool (make-copies.ts brotliAhead), so that they are made on the other core
 * while this thread proves the outputs, not after it (in a run with one new article, making
 * the copies of its nine to twelve files on this thread, after the gate, cost some 80 ms of the
 * run, three fifths of it Brotli's). One at a time: all at once, the nine files' encodings
 * cost 1.5 to 3 times the CPU on two cores under load; one at a time, what encodeSync() costs,
 * a tenth of it on this thread. Each is keyed by the path its file is staged at, and taken by
 * makeCopies() only for a file that holds exactly the bytes it was begun from; the copy is
 * then written and proven like any other (prove-copies.ts: decoded from its temp file and
 * compared with the file). One that failed is made again there, synchronously.
 */
export class EncodeAhead {
  readonly #begun = new Map<string, Promise<BrotliOf | null>>();
  /** The last encoding begun: the next one starts when it is made. */
  #last: Promise<unknown> = Promise.resolve();

  /** Begin the Brotli encoding of `bytes`, to be staged at `path` (past AHEAD_MAX: ignored). */
  begin(path: string, bytes: Uint8Array): void {
    if (this.#begun.size >= AHEAD_MAX || this.#begun.has(path)) return;
    const made = this.#last.then(() =>
      brotliAhead(bytes).then(
        (br) => ({ bytes, br }),
        () => null,
      ),
    );
    this.#last = made;
    this.#begun.set(path, made);
  }

  /** How many files' encodings were begun. */
  get size(): number {
    return this.#begun.size;
  }

  /** Every encoding begun, once made, by the path it was begun for. */
  async settled(): Promise<Map<string, BrotliOf>> {
    const made = new Map<string, BrotliOf>();
    for (const [path, encoded] of this.#begun) {
      const e = await encoded;
      if (e !== null) made.set(path, e);
    }
    return made;
  }
}
