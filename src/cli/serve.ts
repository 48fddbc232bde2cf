import { existsSync, writeSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError, type ResolvedConfig } from '../config/load-config.js';
import { startServer, type RunningServer } from '../serve/server.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { verbosity } from './output.js';
import { listenHost } from '../model/listen-host.js';
import { onStopSignal } from './stop-signals.js';

export const usage = `feedkeeper serve [--host HOST] [--port PORT] [--quiet] [--config FILE]
  Serve out/ over HTTP (default http://127.0.0.1:8080/, or serve.host / serve.port in the
  configuration): feed media types, ETag and Last-Modified with 304s, gzip and brotli,
  Cache-Control. One access log line per request on stdout (Common Log Format), none with
  --quiet. --port 0 takes a free port (printed). Stops on SIGTERM, SIGINT or SIGHUP once the
  requests in flight are answered, exit 0 (a repeated signal is logged and changes nothing).`;

/** The flags `serve` and `schedule --serve` share. */
export const SERVE_OPTIONS = {
  host: { type: 'string' },
  port: { type: 'string' },
  quiet: { type: 'boolean' },
} as const;

export class UsageError extends Error {
  override name = 'UsageError';
}

/** --port as a number, or a UsageError saying what to write. */
export function portOf(text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535)
    throw new UsageError(
      `--port "${text}" is not a port; write a number from 0 to 65535 (0: any free port).`,
    );
  return Number(text);
}

/**
 * The --host flag, held to the rule of serve.host (model/listen-host.ts): an empty value (an unset
 * `--host "$HOST"`) listened on every interface, where the same value in the configuration is
 * refused.
 */
export function hostOf(text: string | undefined, fallback: string): string {
  if (text === undefined) return fallback;
  const h = listenHost(text);
  if ('why' in h)
    throw new UsageError(
      `--host ${JSON.stringify(text)} is not a host: ${h.why}; write a host name or an IP address (127.0.0.1 for this machine only, 0.0.0.0 for every interface).`,
    );
  return h.host;
}

/**
 * Access log lines go out in batches (one write per event-loop turn, or per 64 KB), not one
 * write(2) per request; `flush()` writes what is left (at exit).
 */
export function lineWriter(fd: number): { write: (line: string) => void; flush: () => void } {
  let pending: string[] = [];
  let size = 0;
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    if (pending.length === 0) return;
    const text = pending.join('');
    pending = [];
    size = 0;
    try {
      writeSync(fd, text);
    } catch {
      // stdout closed (a pipe whose reader went away): the log is lost, the server goes on.
    }
  };
  return {
    write: (line) => {
      pending.push(line);
      size += line.length;
      if (size >= 65_536) flush();
      else if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
    },
    flush,
  };
}

export interface Serving {
  readonly running: RunningServer;
  readonly url: string;
  flush(): void;
}

/** Start the server of `config` with the command line's flags (for `serve` and `schedule --serve`). */
export async function openServer(
  config: ResolvedConfig,
  flags: { host?: string | undefined; port?: string | undefined; quiet?: boolean | undefined },
): Promise<Serving> {
  const host = hostOf(flags.host, config.config.serve?.host ?? '127.0.0.1');
  const port = portOf(flags.port, config.config.serve?.port ?? 8080);
  const out = config.paths.out;
  if (!existsSync(out))
    throw new ConfigError([
      `serve: ${out} does not exist: there is nothing to serve yet.`,
      'hint: run feedkeeper build first (npm start in a clone), then serve.',
    ]);
  // -q/--quiet is taken out of argv by main.ts for every command (cli/output.ts): either says it.
  const log = flags.quiet === true || verbosity() === 'quiet' ? null : lineWriter(1);
  let running: RunningServer;
  try {
    running = await startServer({
      outDir: out,
      stateDir: config.paths.state,
      host,
      port,
      log: log ? log.write : null,
    });
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    // A name the resolver does not know (getaddrinfo's ENOTFOUND, or an EAI error) is no
    // address of this machine either: it was reported as a file system refusal.
    const code = e.code ?? '';
    if (
      ['EADDRINUSE', 'EACCES', 'EADDRNOTAVAIL', 'ENOTFOUND'].includes(code) ||
      code.startsWith('EAI')
    )
      throw new ConfigError([
        `serve: cannot listen on ${host}:${port}: ${e.code === 'EADDRINUSE' ? 'the port is in use (another server, or another feedkeeper serve)' : e.code === 'EACCES' ? 'permission denied (ports below 1024 need privileges)' : e.code === 'EADDRNOTAVAIL' ? 'no such address on this machine' : 'no such host name (the resolver does not know it)'}.`,
        'hint: choose another with --port / --host, or serve.port / serve.host in the configuration.',
      ]);
    throw error;
  }
  const a = running.address;
  const url = `http://${a.family === 'IPv6' ? `[${a.address}]` : a.address}:${a.port}/`;
  return { running, url, flush: () => log?.flush() };
}

export async function serve(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...SERVE_OPTIONS, config: { type: 'string' } },
  });
  const { config } = cliContext(values.config);
  const say = (text: string): void => console.error(`${new Date().toISOString()} ${text}`);
  const serving = await openServer(config, values);
  say(`feedkeeper serve: ${serving.url} (pid ${process.pid}, serving ${config.paths.out})`);
  await new Promise<void>((resolve) => {
    onStopSignal(
      (signal) => {
        say(`${signal}: stopping (answering the requests in flight first)`);
        void serving.running.close().then(resolve);
      },
      (signal) => say(`${signal}: already stopping: the requests in flight are answered first`),
    );
  });
  serving.flush();
  say('stopped.');
  return EXIT.ok;
}
