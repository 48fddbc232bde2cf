import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Prng } from './prng.js';

/**
 * An imported archive as issue 14 found it: articles named `YYYY-MM-DD_<slug>.txt` (dates
 * 2019–2025) whose modification times (also 2019–2025) have nothing to do with those dates.
 * Returns each file's name and its file-name date. Seeded: the same seed, the same archive.
 */
export interface DatedFile {
  readonly name: string;
  /** The file name's date, as a record must say it: midnight UTC. */
  readonly publishedAt: string;
}

const FROM = Date.UTC(2019, 0, 1);
const TO = Date.UTC(2025, 11, 31);
const DAY = 86_400_000;
const WORDS =
  'council budget river bridge school water energy market harbour railway library museum hospital garden election court festival weather tunnel airport'.split(
    ' ',
  );

export function writeDatedArchive(dir: string, n: number, seed: number): DatedFile[] {
  const rng = new Prng(seed);
  mkdirSync(dir, { recursive: true });
  const files: DatedFile[] = [];
  for (let i = 0; i < n; i++) {
    const day = new Date(FROM + rng.int(0, (TO - FROM) / DAY) * DAY).toISOString().slice(0, 10);
    const name = `${day}_report-${String(i).padStart(5, '0')}.txt`;
    const words = Array.from({ length: 60 }, () => rng.pick(WORDS)).join(' ');
    writeFileSync(
      join(dir, name),
      `Report ${i} on the ${rng.pick(WORDS)} | News\n\nThe lede of report ${i}: ${words}.\n\nA second paragraph of report ${i}, ${rng.pick(WORDS)} and ${rng.pick(WORDS)}.\n`,
    );
    const mtime = (FROM + rng.next() * (TO - FROM)) / 1000;
    utimesSync(join(dir, name), mtime, mtime);
    files.push({ name, publishedAt: `${day}T00:00:00Z` });
  }
  return files;
}
