#!/usr/bin/env node
import { ConfigError } from './config/load-config.js';
import { EXIT } from './cli/exit-codes.js';

/**
 * The bin entry: hands argv to one command module (imported on demand, so that a cron tick
 * loads only what its command needs) and sets the exit code.
 */
const COMMANDS: Record<
  string,
  () => Promise<{ run: (argv: string[]) => Promise<number>; usage: string }>
> = {
  build: async () => {
    const m = await import('./cli/build.js');
    return { run: m.build, usage: m.usage };
  },
  check: async () => {
    const m = await import('./cli/check.js');
    return { run: m.check, usage: m.usage };
  },
  schedule: async () => {
    const m = await import('./cli/schedule.js');
    return { run: m.schedule, usage: m.usage };
  },
  status: async () => {
    const m = await import('./cli/status.js');
    return { run: m.status, usage: m.usage };
  },
  archive: async () => {
    const m = await import('./cli/archive.js');
    return { run: m.archive, usage: m.usage };
  },
};

const HELP = `feedkeeper: publishes and archives news feeds.

usage: feedkeeper <command> [options]

commands:
  build      archive stored articles, render, check and publish the feeds
  check      re-validate what is in out/ against the archive, writing nothing
  schedule   run build on a cron schedule, as a service
  status     the last run, the next scheduled run, what the archive holds
  archive    list, show, history (word diff) and verify the archive records

Run feedkeeper <command> --help for a command's options. The README has the details.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(HELP);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  if (name === '--version') {
    const { readVersion } = await import('./version.js');
    console.log(readVersion());
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) {
    console.error(`feedkeeper: unknown command "${name}".\n\n${HELP}`);
    return EXIT.usage;
  }
  const command = await load();
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.usage);
    return EXIT.ok;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      return EXIT.usage;
    }
    const e = error as Error & { code?: string };
    if (e.name === 'UsageError' || e.code?.startsWith('ERR_PARSE_ARGS')) {
      console.error(`feedkeeper ${name}: ${e.message}\n\n${command.usage}`);
      return EXIT.usage;
    }
    const fs = error as NodeJS.ErrnoException;
    if (fs.code !== undefined && /^E[A-Z]+$/.test(fs.code) && fs.path !== undefined) {
      // The file system refused (permissions, a file where a folder should be, a full disk):
      // the operator's to fix, not a bug. Every write is atomic, so nothing is half-written.
      console.error(
        `feedkeeper ${name}: the file system refused: ${fs.message}\n` +
          `  The run stopped. Files written so far are whole, the published feeds are unchanged, and the next run picks up from here.\n` +
          `  hint: check that ${fs.path} can be written (a folder, not a file; permissions; free space), then run again.`,
      );
      return EXIT.problems;
    }
    throw error;
  }
}

process.exitCode = await main(process.argv.slice(2));
