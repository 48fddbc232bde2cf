import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';

/** One JSON line per run, appended to `<state>/runs.jsonl` (documented in the README). */
export interface RunLogLine {
  readonly start: string;
  readonly end: string;
  readonly durationMs: number;
  readonly command: string;
  readonly outcome: 'ok' | 'problems' | 'failed' | 'skipped';
  readonly counts: Record<string, number>;
  /** How many files the run wrote, and the first LOGGED_FILES of them (a cold build writes thousands). */
  readonly filesWritten: number;
  readonly written: readonly string[];
  readonly problems: readonly { code: string; file: string; message: string }[];
  readonly error?: string;
  /** Set when this run took over a stale lock: which lock, who held it, why it was judged stale. */
  readonly takeover?: string;
}

export const LOGGED_FILES = 100;

export const runLogFile = (stateDir: string): string => join(stateDir, 'runs.jsonl');

export function appendRunLog(stateDir: string, line: RunLogLine): void {
  const file = runLogFile(stateDir);
  mkdirSync(dirname(file), { recursive: true });
  // One write(2) of one line with O_APPEND: concurrent writers never interleave within a line.
  appendFileSync(file, `${JSON.stringify(line)}\n`);
}

/** The last line of the run log, reading only its tail (the log grows for months). */
export function lastRun(stateDir: string): RunLogLine | null {
  const file = runLogFile(stateDir);
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return null;
  const length = Math.min(size, 256 * 1024);
  const buf = Buffer.alloc(length);
  const fd = openSync(file, 'r');
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString('utf8').trimEnd().split('\n');
  try {
    return JSON.parse(lines[lines.length - 1] ?? '') as RunLogLine;
  } catch {
    return null;
  }
}

export const readRunLog = (stateDir: string): string => readFileSync(runLogFile(stateDir), 'utf8');
