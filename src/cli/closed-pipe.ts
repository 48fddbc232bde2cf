/**
 * A reader that stops reading (`feedkeeper archive list | head`) closes the pipe: Node then
 * emits EPIPE on stdout, which, unhandled, crashed the command with a stack trace. Like
 * `git log | head`, the command now stops printing without a word and finishes what it was
 * doing (a build keeps building: only its report is lost), with its own exit code.
 */
let closed = false;

export function quietOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE' && error.code !== 'ERR_STREAM_DESTROYED') throw error;
    closed = true;
  });
}

/** Whether the reader of stdout has gone away. */
export const stdoutClosed = (): boolean => closed;

/**
 * Print `lines` a thousand at a time, waiting while the reader is behind, and stop when it
 * has gone: 100,000 lines are never one string (at 100,000 records `archive list --json`
 * held 540 MB building it).
 */
export async function printLines(lines: Iterable<string>): Promise<void> {
  let chunk: string[] = [];
  const flush = async (): Promise<void> => {
    const text = `${chunk.join('\n')}\n`;
    chunk = [];
    if (!process.stdout.write(text) && !closed) await drainedOrClosed();
  };
  for (const line of lines) {
    if (closed) return;
    chunk.push(line);
    if (chunk.length === 1000) await flush();
  }
  if (chunk.length > 0 && !closed) await flush();
}

function drainedOrClosed(): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      process.stdout.off('drain', done);
      process.stdout.off('error', done);
      resolve();
    };
    process.stdout.on('drain', done);
    process.stdout.on('error', done);
  });
}
