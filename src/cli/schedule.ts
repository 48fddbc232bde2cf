import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { requireArticlesFolder } from '../config/articles-folder.js';
import { claimFolders } from '../pipeline/claim-folders.js';
import { ConfigError } from '../config/load-config.js';
import { checkSchedule, startService } from '../schedule/service.js';
import { serviceFile, serviceState } from '../schedule/running-service.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { COMMON_OPTIONS, verbosity } from './output.js';
import { formatIssues } from './print-report.js';
import { onStopSignal } from './stop-signals.js';
import { formatLogLine, isNoOp, runEntry, type LogEntry } from './schedule-log.js';
import { openServer, SERVE_OPTIONS, UsageError, type Serving } from './serve.js';

export const usage = `usage: feedkeeper schedule [options]

Run as a service: build once now, then on every tick of the cron expression (schedule.cron,
default "*/5 * * * *", in schedule.timezone, default UTC). Stops cleanly on SIGTERM, SIGINT or
SIGHUP (a closed terminal): no new runs, the run in progress finishes first, exit 0; a repeated
signal is logged and changes nothing (kill -9 stops it at once; the next run takes its lock
over). SIGHUP does not reload: the configuration is read again at every tick anyway. Logs one line per run, with a time stamp and a level:
info on stdout, warn and error on stderr; or JSON Lines on stdout with --json.

options:
  --cron EXPR      when to run, instead of schedule.cron (changes when it runs, not what it
                   renders: the RSS ttl still follows the file)
  --tz ZONE        the IANA time zone of the cron expression, instead of schedule.timezone
  --json           log JSON Lines: {"schemaVersion","time","level","event","message",…}
  --no-watch       build on every tick; without it, a tick skips the build when its watch of the
                   articles, records and out/ folders saw no change (and no embargo, no
                   configuration change, no hour without a build): for a network mount written
                   from another machine, which sends no events
  --serve          also serve out/ from this process, as feedkeeper serve does (the access
                   log then takes stdout and the service's own lines go to stderr)
  --host HOST      with --serve: the address to listen on (default serve.host, 127.0.0.1)
  --port PORT      with --serve: the port (default serve.port, 8080)
${COMMON_OPTIONS}
                   (--quiet leaves out the runs and ticks that changed nothing; --verbose adds each
                   problem of a run on its own line)

examples:
  feedkeeper schedule                          as a systemd service or in a container
  feedkeeper schedule --cron "*/1 * * * *" -q  every minute, logging only what changed
  feedkeeper schedule --json >> /var/log/feedkeeper.jsonl
  feedkeeper schedule --serve --host 0.0.0.0   one process for a small site`;

export async function schedule(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cron: { type: 'string' },
      tz: { type: 'string' },
      json: { type: 'boolean' },
      config: { type: 'string' },
      serve: { type: 'boolean' },
      'no-watch': { type: 'boolean' },
      ...SERVE_OPTIONS,
    },
  });
  if (!values.serve && (values.host !== undefined || values.port !== undefined || values.quiet))
    throw new UsageError('--host, --port and --quiet go with --serve.');
  const overrides = { cron: values.cron, timezone: values.tz };
  const first = cliContext(values.config, overrides);
  const { cron, timezone } = first.config.config.schedule;
  const bad = checkSchedule(cron, timezone);
  if (bad)
    throw new ConfigError([
      ...bad.map((l) => `config: ${l}`),
      'hint: fix it in feedkeeper.config.json or on the command line; nothing was started.',
    ]);
  requireArticlesFolder(first.config);
  claimFolders(first.config, { mark: false });
  mkdirSync(first.config.paths.state, { recursive: true });
  // One service per state folder: a second one built on every tick beside the first (one of
  // the two skipping each time, "another run holds the lock"), and status lost track of both.
  const other = serviceState(first.config.paths.state);
  if (other.kind === 'running' && other.service.pid !== process.pid)
    throw new ConfigError([
      `schedule: another feedkeeper schedule already runs for this project (pid ${other.service.pid}, "${other.service.cron}" ${other.service.timezone}): nothing was started.`,
      `hint: use that one (feedkeeper status shows it), or stop it first (kill ${other.service.pid}; under systemd, systemctl stop the unit).`,
    ]);

  const json = values.json === true;
  const level = verbosity();
  const log = (e: LogEntry): void => {
    const line = `${formatLogLine(new Date(), e, json)}\n`;
    // With --serve, stdout carries the access log, so the service's own lines go to stderr.
    if (!values.serve && (json || e.level === 'info')) process.stdout.write(line);
    else process.stderr.write(line);
  };
  const info = (event: string, message: string, fields?: Record<string, unknown>): void =>
    log({ level: 'info', event, message, ...(fields ? { fields } : {}) });
  // out/ must exist before the server starts (the first run may not have published yet).
  // The server starts before the signal handlers and the first run: if it cannot listen,
  // nothing was started.
  let serving: Serving | null = null;
  if (values.serve) {
    mkdirSync(first.config.paths.out, { recursive: true });
    serving = await openServer(first.config, {
      ...values,
      quiet: values.quiet === true || level === 'quiet',
    });
    info('serve', `feedkeeper serve: ${serving.url} (serving ${first.config.paths.out})`);
  }
  // One shutdown path for both: no new runs and no new connections, then the run in progress
  // and the requests in flight finish, then exit 0.
  // Listen before starting: the first run takes the lock inside startService(), and a signal
  // must never find the default handler (which would kill us with the lock held).
  const stopped = new Promise<void>((resolve) => {
    onStopSignal(
      (signal) => {
        info(
          'stop',
          `${signal}: stopping (no new runs; waiting for the current one to finish${serving ? ' and the requests in flight' : ''})`,
          { signal },
        );
        void Promise.all([service.stop(), serving?.running.close()]).then(() => {
          serving?.flush();
          resolve();
        });
      },
      (signal) =>
        info(
          'stop',
          `${signal}: already stopping: the run in progress finishes first${serving ? ', and the requests in flight' : ''} (kill -9 stops it now; the next run takes its lock over)`,
          { signal },
        ),
    );
  });
  const service = startService(
    {
      cron,
      timezone,
      watch: values['no-watch'] !== true,
      // --cron / --tz set when this service ticks, not what a run renders: a run started here
      // and one started by `feedkeeper build` must give the same bytes (RSS <ttl> comes from
      // schedule.cron), or each would rewrite the other's feeds.
      context: () => {
        const ctx = cliContext(values.config);
        if (serving !== null) refuseMovedOut(first.config.paths, ctx.config.paths);
        requireArticlesFolder(ctx.config);
        claimFolders(ctx.config, { mark: false });
        return ctx;
      },
      onRun: (run, why) => {
        if (level === 'quiet' && isNoOp(run)) return;
        log(runEntry(run, service?.nextRun() ?? null, why));
        if (level === 'verbose' && run.kind === 'ran' && !json)
          for (const line of formatIssues(run.report.issues)) process.stderr.write(`  ${line}\n`);
      },
    },
    first.config.paths.state,
  );
  info('start', `feedkeeper schedule: pid ${process.pid}, "${cron}" (${timezone})`, {
    pid: process.pid,
    cron,
    timezone,
  });
  // A service killed without cleanup left its schedule.json; startService() wrote ours over it.
  if (other.kind === 'stale')
    log({
      level: 'warn',
      event: 'stale-service',
      message: `replaced ${serviceFile(first.config.paths.state)} left by a service that no longer runs: ${other.reason}`,
      fields: { pid: other.pid },
    });

  await stopped;
  info('stop', 'stopped.');
  return EXIT.ok;
}

/**
 * With --serve, the server answers from the out/ (and reads the state folder) it started with:
 * a run publishing elsewhere would leave readers with a frozen feed and no word said (found by
 * an outside try). So such a configuration is refused, each tick, as loudly as an invalid one,
 * until it is put back or the service restarted (which serves the new folder).
 */
function refuseMovedOut(
  served: { readonly out: string; readonly state: string },
  now: { readonly out: string; readonly state: string },
): void {
  const moved = (['out', 'state'] as const).filter((k) => served[k] !== now[k]);
  if (moved.length === 0) return;
  throw new ConfigError([
    `${moved.map((k) => `paths.${k} is now ${now[k]}`).join(', ')}, while this schedule --serve serves ${served.out} (with ${served.state}): nothing was built, so what it serves stays what it publishes.`,
    `hint: restart the service to serve the new folder, or put ${moved.map((k) => `paths.${k}`).join(' and ')} back in feedkeeper.config.json.`,
  ]);
}
