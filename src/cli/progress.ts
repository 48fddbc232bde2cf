/**
 * A progress line on stderr for a long run at a terminal: a 5,000-article import is 11 s of
 * silence otherwise. Shown only when stderr is a terminal (never in a log file or a pipe), not
 * with --json or --quiet, and only once the run has taken more than a second (a no-op run
 * stays silent). The line is redrawn in place (`\r`, erase to end of line) and erased when the
 * run ends, so the report that follows is the same as without it.
 *
 * FEEDKEEPER_PROGRESS_AFTER_MS changes the one-second delay (tests set 0, to see the line
 * without a slow run).
 */
export interface Progress {
  /** Stored articles read so far out of those to read this run. */
  articles(done: number, total: number): void;
  stop(): void;
}

const REDRAW_MS = 200;

export function startProgress(
  command: string,
  enabled: boolean,
  stream: NodeJS.WriteStream = process.stderr,
): Progress {
  if (!enabled || !stream.isTTY) return { articles: () => undefined, stop: () => undefined };
  const delay = Number(process.env['FEEDKEEPER_PROGRESS_AFTER_MS'] ?? '1000');
  const started = Date.now();
  let drawn = false;
  let lastDraw = 0;
  let text = 'reading the archive';
  const draw = (force = false): void => {
    const now = Date.now();
    if (now - started < (Number.isFinite(delay) ? delay : 1000)) return;
    if (!force && now - lastDraw < REDRAW_MS) return;
    lastDraw = now;
    drawn = true;
    const seconds = Math.floor((now - started) / 1000);
    stream.write(`\r\x1b[Kfeedkeeper ${command}: ${text} (${seconds} s)`);
  };
  // The archive stage calls articles() as it goes; the timer redraws while the feeds are
  // rendered and proven (and keeps nothing alive: unref).
  const timer = setInterval(() => draw(true), REDRAW_MS);
  timer.unref();
  return {
    articles(done, total) {
      text =
        done < total
          ? `reading stored articles ${done}/${total} (${Math.floor((100 * done) / total)} %)`
          : `read ${total} stored articles; rendering and proving the feeds`;
      draw();
    },
    stop() {
      clearInterval(timer);
      if (drawn) stream.write('\r\x1b[K');
    },
  };
}
