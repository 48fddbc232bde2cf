import {
  constants,
  ftruncateSync,
  fstatSync,
  mkdirSync,
  rmSync,
  statSync,
  openSync,
  readSync,
  closeSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { atPath, writeAllSync } from '../io/atomic-write.js';
import type { FailureFacts } from '../io/failure-facts.js';
import { openRegular, readRegular } from '../io/read-regular.js';

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
  /**
   * A run the file system stopped (a full disk, a quota): the code, the file it meant to write
   * and the staging folder its copy was in, so `status` and `check` can say what happened.
   */
  readonly failure?: FailureFacts;
  /** Set when this run took over a stale lock: which lock, who held it, why it was judged stale. */
  readonly takeover?: string;
}

export const LOGGED_FILES = 100;

export const runLogFile = (stateDir: string): string => join(stateDir, 'runs.jsonl');

export function appendRunLog(stateDir: string, line: RunLogLine): void {
  const file = runLogFile(stateDir);
  try {
    mkdirSync(dirname(file), { recursive: true });
  } catch (error) {
    throw atPath(error, file);
  }
  // One write(2) of one line with O_APPEND: concurrent writers never interleave within a line.
  // A full disk may take part of the line: it is cut off again, so the next line starts clean.
  const bytes = Buffer.from(`${JSON.stringify(line)}\n`, 'utf8');
  const fd = openLog(file);
  const before = fstatSync(fd).size;
  try {
    writeAllSync(fd, bytes, file);
  } catch (error) {
    try {
      ftruncateSync(fd, before);
    } catch {
      // Nothing more to do: lastRun() skips a line that does not parse.
    }
    throw error;
  } finally {
    closeSync(fd);
  }
}

/**
 * Open the run log for appending. Without waiting on a FIFO for a reader, and not into a
 * device: something that is not a regular file at its name (a FIFO hung every build, a link
 * to /dev/zero swallowed the log) is removed (the link itself, not what it points to) and a
 * new log is started, as when the log is missing.
 */
function openLog(file: string): number {
  const flags = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NONBLOCK;
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, flags, 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || attempt > 0)
        throw atPath(error, file);
      rmSync(file, { force: true });
      continue;
    }
    if (fstatSync(fd).isFile() || attempt > 0) return fd;
    closeSync(fd);
    rmSync(file, { force: true });
  }
}

/** appendRunLog for a run that already failed: its own error matters more than the log line. */
export function tryAppendRunLog(stateDir: string, line: RunLogLine): void {
  try {
    appendRunLog(stateDir, line);
  } catch {
    // e.g. ENOSPC: the run's error is reported by the caller.
  }
}

/**
 * The last line of the run log, reading only its tail (the log grows for months). Right after
 * a rotation (deploy/logrotate) the log is empty or gone, and the last run is the last line of
 * the rotated file, left uncompressed by `delaycompress` (found by an outside try: status said
 * "none yet", and forgot a failed last run, every week).
 */
export function lastRun(stateDir: string): RunLogLine | null {
  const file = runLogFile(stateDir);
  return lastLineOf(file) ?? lastLineOf(`${file}.1`);
}

function lastLineOf(file: string): RunLogLine | null {
  const size = statSync(file, { throwIfNoEntry: false })?.size ?? 0;
  if (size === 0) return null;
  const length = Math.min(size, 256 * 1024);
  const buf = Buffer.alloc(length);
  let fd: number;
  try {
    fd = openRegular(file, true).fd;
  } catch {
    return null; // a FIFO or a device at its name: no last run to tell
  }
  try {
    readSync(fd, buf, 0, length, size - length);
  } finally {
    closeSync(fd);
  }
  const lines = buf.toString('utf8').trimEnd().split('\n');
  // The last whole line: an append cut short (a full disk on the state's file system, a kill)
  // leaves a partial last line, and the runs before it are still known.
  for (let i = lines.length - 1; i >= 0; i--) {
    try {
      return JSON.parse(lines[i] ?? '') as RunLogLine;
    } catch {
      // A cut line (or the cut start of the window read): the one before it.
    }
  }
  return null;
}

export const readRunLog = (stateDir: string): string =>
  readRegular(runLogFile(stateDir), true).toString('utf8');
