/**
 * How much the CLI says, set once by main.ts from the global `-q/--quiet` and `-v/--verbose`
 * flags (taken out of argv before a command parses its own options, so every command, and any
 * added later, accepts them).
 *   quiet:   a run that wrote nothing and found no problem prints nothing (a cron job's no-op);
 *            otherwise one summary line, and problems on stderr.
 *   normal:  the report, with at most 20 paths of each kind; problems on stderr.
 *   verbose: every path, the configuration file used and the run's duration.
 */
export type Verbosity = 'quiet' | 'normal' | 'verbose';

let current: Verbosity = 'normal';

export const verbosity = (): Verbosity => current;

export function setVerbosity(v: Verbosity): void {
  current = v;
}

const GLOBAL: Readonly<Record<string, Verbosity>> = {
  '-q': 'quiet',
  '--quiet': 'quiet',
  '-v': 'verbose',
  '--verbose': 'verbose',
};

/** argv without the global flags (those before a `--`), and the verbosity they ask for (the last wins). */
export function takeGlobalFlags(argv: readonly string[]): { argv: string[]; verbosity: Verbosity } {
  let v: Verbosity = 'normal';
  const rest: string[] = [];
  let literal = false;
  for (const a of argv) {
    if (a === '--') literal = true;
    const flag = literal ? undefined : GLOBAL[a];
    if (flag === undefined) rest.push(a);
    else v = flag;
  }
  return { argv: rest, verbosity: v };
}

/** Problems, warnings and failures: always on stderr, whatever the verbosity. */
export const warn = (text: string): void => void process.stderr.write(`${text}\n`);

/** The options every command takes, for the commands' help texts. */
export const COMMON_OPTIONS = `  --config FILE    the configuration file (default ./feedkeeper.config.json, or
                   $FEEDKEEPER_CONFIG)
  -q, --quiet      print nothing when nothing changed and nothing is wrong
  -v, --verbose    say more: every path, the configuration file used, how long it took
  -h, --help       this help`;
