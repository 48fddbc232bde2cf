import { mkdirSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/load-config.js';
import { checkSchedule, startService } from '../schedule/service.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { formatIssues } from './print-report.js';
import { openServer, SERVE_OPTIONS, UsageError, type Serving } from './serve.js';

export const usage = `feedkeeper schedule [--cron EXPR] [--tz ZONE] [--config FILE]
                   [--serve [--host HOST] [--port PORT] [--quiet]]
  Run as a service: build once now, then on every tick of the cron expression
  (schedule.cron, default "*/5 * * * *", in schedule.timezone, default UTC).
  --serve also serves out/ from the same process (as feedkeeper serve does).
  Stops cleanly on SIGTERM or SIGINT (the run in progress finishes first, and the
  requests in flight are answered).`;

export async function schedule(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      cron: { type: 'string' },
      tz: { type: 'string' },
      config: { type: 'string' },
      serve: { type: 'boolean' },
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
  mkdirSync(first.config.paths.state, { recursive: true });

  // With --serve, stdout carries the access log, so the service's own lines go to stderr.
  const print = values.serve ? console.error : console.log;
  const say = (text: string): void => print(`${new Date().toISOString()} ${text}`);
  // out/ must exist before the server starts (the first run may not have published yet).
  // The server starts before the signal handlers and the first run: if it cannot listen,
  // nothing was started.
  let serving: Serving | null = null;
  if (values.serve) {
    mkdirSync(first.config.paths.out, { recursive: true });
    serving = await openServer(first.config, values);
    say(`feedkeeper serve: ${serving.url} (serving ${first.config.paths.out})`);
  }
  // One shutdown path for both: no new runs and no new connections, then the run in progress
  // and the requests in flight finish, then exit 0.
  // Listen before starting: the first run takes the lock inside startService(), and a signal
  // must never find the default handler (which would kill us with the lock held).
  const stopped = new Promise<void>((resolve) => {
    const onSignal = (signal: NodeJS.Signals): void => {
      say(
        `${signal}: stopping (no new runs; waiting for the current one to finish${serving ? ' and the requests in flight' : ''})`,
      );
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void Promise.all([service.stop(), serving?.running.close()]).then(() => {
        serving?.flush();
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
  const service = startService(
    {
      cron,
      timezone,
      // --cron / --tz set when this service ticks, not what a run renders: a run started here
      // and one started by `feedkeeper build` must give the same bytes (RSS <ttl> comes from
      // schedule.cron), or each would rewrite the other's feeds.
      context: () => cliContext(values.config),
      onRun: (run) => {
        if (run.kind !== 'config-error' && run.log.takeover !== undefined)
          say(`warning: ${run.log.takeover}`);
        if (run.kind === 'config-error')
          say(`run skipped: the configuration is invalid:\n${run.error.message}`);
        else if (run.kind === 'skipped') say(`run skipped: ${run.log.error ?? 'lock held'}`);
        else if (run.kind === 'failed') say(`run failed: ${run.error.stack ?? run.error.message}`);
        else {
          const c = run.log.counts;
          say(
            `run ${run.log.outcome} in ${run.log.durationMs} ms: ${c['added']} added, ${c['revised']} revised, ${c['withdrawn']} withdrawn, ${c['rejected']} rejected; ${run.log.filesWritten} files written`,
          );
          for (const line of formatIssues(run.report.issues)) print(`  ${line}`);
        }
        const next = service?.nextRun();
        if (next) say(`next run at ${next.toISOString()}`);
      },
    },
    first.config.paths.state,
  );
  say(`feedkeeper schedule: pid ${process.pid}, "${cron}" (${timezone})`);

  await stopped;
  say('stopped.');
  return EXIT.ok;
}
