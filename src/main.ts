import { ConfigError } from './config/config-error.js';
import { didYouMeanText, optionsIn } from './model/did-you-mean.js';
import { EXIT } from './cli/exit-codes.js';
import { fileSystemRefusal } from './cli/fs-refusal.js';
import { quietOnClosedPipe } from './cli/closed-pipe.js';
import { setVerbosity, takeGlobalFlags } from './cli/output.js';

/**
 * The bin entry: hands argv to one command module (imported on demand, so that a cron tick
 * loads only what its command needs) and sets the exit code. Each entry returns the command's
 * `run` and its `usage` (the text of `help <command>`, whose `--options` are also what
 * did-you-mean suggests from); `options`, when a command gives it, lists its options instead.
 */
const COMMANDS: Record<
  string,
  () => Promise<{
    run: (argv: string[]) => Promise<number>;
    usage: string;
    options?: readonly string[];
  }>
> = {
  build: async () => {
    const m = await import('./cli/build.js');
    return { run: m.build, usage: m.usage };
  },
  check: async () => {
    const m = await import('./cli/check.js');
    return { run: m.check, usage: m.usage };
  },
  init: async () => {
    const m = await import('./cli/init.js');
    return { run: m.init, usage: m.usage };
  },
  schedule: async () => {
    const m = await import('./cli/schedule.js');
    return { run: m.schedule, usage: m.usage };
  },
  serve: async () => {
    const m = await import('./cli/serve.js');
    return { run: m.serve, usage: m.usage };
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
  init       set up a new site: configuration, articles folder with an example, .gitignore
  build      archive stored articles, render, check and publish the feeds
  check      re-validate what is in out/ against the archive, writing nothing
  schedule   run build on a cron schedule, as a service
  serve      serve out/ over HTTP, with the headers feed readers expect
  status     the last run, the next scheduled run, what the archive holds
  archive    list, show, history (word diff) and verify the archive records

options of every command:
  -q, --quiet      print nothing when nothing changed and nothing is wrong
  -v, --verbose    say more
  -h, --help       the command's options and examples
  --version        feedkeeper's version

examples:
  feedkeeper init my-news && cd my-news && feedkeeper build
  feedkeeper help build

Run feedkeeper help <command> (or feedkeeper <command> --help) for a command's options and
examples. The README has the details.`;

/** Options main.ts itself understands, in front of or instead of a command. */
const GLOBAL_OPTIONS = ['--help', '--version', '--quiet', '--verbose'];

async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  const global = takeGlobalFlags(argv);
  setVerbosity(global.verbosity);
  const [name, ...rest] = global.argv;
  if (name === undefined) {
    console.error(HELP);
    return EXIT.usage;
  }
  if (name === '--help' || name === '-h' || (name === 'help' && rest.length === 0)) {
    console.log(HELP);
    return EXIT.ok;
  }
  if (name === '--version') {
    const { readVersion } = await import('./version.js');
    console.log(readVersion());
    return EXIT.ok;
  }
  if (name === 'help') {
    const topic = rest[0] ?? '';
    // Help about help is the general help (it answered "did you mean help?", exit 2).
    if (topic === 'help' || topic === '--help' || topic === '-h') {
      console.log(HELP);
      return EXIT.ok;
    }
    const load = COMMANDS[topic];
    if (!load) return unknownCommand(topic);
    console.log((await load()).usage);
    return EXIT.ok;
  }
  const load = COMMANDS[name];
  if (!load) return unknownCommand(name);
  const command = await load();
  const beforeDashes = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (beforeDashes.includes('--help') || beforeDashes.includes('-h')) {
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
      const more = `Run feedkeeper ${name} --help for its options and examples.`;
      const unknown =
        e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? /'([^']+)'/.exec(e.message) : null;
      if (unknown?.[1] !== undefined) {
        const known = [...(command.options ?? optionsIn(command.usage)), ...GLOBAL_OPTIONS];
        console.error(
          `feedkeeper ${name}: unknown option "${unknown[1]}"${didYouMeanText(unknown[1], known)}\n  ${more}`,
        );
      } else console.error(`feedkeeper ${name}: ${usageText(e.message)}\n  ${more}`);
      return EXIT.usage;
    }
    const refused = fileSystemRefusal(name, error);
    if (refused !== null) {
      console.error(refused);
      return EXIT.problems;
    }
    throw error;
  }
}

/** An unknown command (or option where a command should be): the closest name, if one is close. */
function unknownCommand(name: string): number {
  const known = name.startsWith('-') ? GLOBAL_OPTIONS : [...Object.keys(COMMANDS), 'help'];
  const what = name.startsWith('-') ? 'option' : 'command';
  // Never the word typed back: a name that is known but not here is not a typo.
  console.error(
    `feedkeeper: unknown ${what} "${name}"${didYouMeanText(name, known)}\n` +
      `  commands: ${Object.keys(COMMANDS).join(', ')}. Run feedkeeper help for what each does.`,
  );
  return EXIT.usage;
}

// Not a top-level await: the bundle is CommonJS (rolldown.config.js, cli/code-cache.ts). A
// run that ends with main() never settled (nothing left to wait on: a bug) still fails, with
// 13 as Node ends an unsettled top-level await, never with 0.
process.exitCode = 13;
void main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});

/**
 * Node's argument parser's text in one line of ours: "Option '--limit' argument is ambiguous…"
 * (for `--limit -1`) says what to type instead.
 */
function usageText(message: string): string {
  const dash = /^Option '(-[^']+)' argument is ambiguous/.exec(message);
  if (dash !== null)
    return `${dash[1]} takes a value, missing here (what follows it starts with "-"); write ${dash[1]}=<value>.`;
  // "Option '--since <value>' argument missing": the same words as the case above.
  const missing = /^Option '(?:-\w, )?(--[^' ]+) <value>' argument missing/.exec(message);
  return missing === null
    ? message
    : `${missing[1]} takes a value, missing here; write ${missing[1]} <value>.`;
}
