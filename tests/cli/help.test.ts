import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { didYouMean, optionsIn } from '../../src/model/did-you-mean.js';
import { CLI, makeProject, RUN_LIMIT_MS } from '../helpers.js';

const run = (...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [CLI, ...args], {
    encoding: 'utf8',
    env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    timeout: RUN_LIMIT_MS,
  });

const COMMANDS = ['build', 'check', 'init', 'schedule', 'status'];

describe('help', () => {
  it.each(COMMANDS)(
    'help %s, and the command with --help or -h, print its own usage, options and examples (exit 0)',
    (name) => {
      const a = run('help', name);
      const b = run(name, '--help');
      const c = run(name, '-h');
      for (const r of [a, b, c]) {
        expect(r.status, r.stderr).toBe(0);
        expect(r.stderr).toBe('');
      }
      expect(b.stdout).toBe(a.stdout);
      expect(c.stdout).toBe(a.stdout);
      expect(a.stdout).toMatch(new RegExp(`^usage: feedkeeper ${name} `));
      expect(a.stdout).toContain('\noptions:\n');
      expect(a.stdout).toContain('\nexamples:\n');
      // init names the file it writes in DIR (its own --config line), the others the one they read.
      const config = name === 'init' ? '--config NAME' : '--config FILE';
      for (const common of [config, '-q, --quiet', '-v, --verbose'])
        expect(a.stdout).toContain(common);
      // Not the global help.
      expect(a.stdout).not.toContain('commands:');
    },
  );

  it('help, --help and -h print the global help on stdout (exit 0); nothing prints it on stderr (exit 2)', () => {
    for (const args of [['help'], ['--help'], ['-h']]) {
      const r = run(...args);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('usage: feedkeeper <command> [options]');
      for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name} `, 'm'));
    }
    const none = run();
    expect(none.status).toBe(2);
    expect(none.stdout).toBe('');
    expect(none.stderr).toContain('usage: feedkeeper <command> [options]');
  });

  it('--help after a command is honoured before its options are checked', () => {
    const r = run('build', '--no-such-option', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^usage: feedkeeper build /);
  });
});

describe('did you mean', () => {
  it.each([
    [['biuld'], 'unknown command "biuld"; did you mean "build"?'],
    [['statsu'], 'unknown command "statsu"; did you mean "status"?'],
    [['sched'], 'unknown command "sched"; did you mean "schedule"?'],
    [['help', 'chek'], 'unknown command "chek"; did you mean "check"?'],
    [['--verbos'], 'unknown option "--verbos"; did you mean "--verbose"?'],
  ])('feedkeeper %j → exit 2, %s', (args, message) => {
    const r = run(...args);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('commands: build, check, init, schedule, serve, status, archive');
  });

  it('an unknown command with nothing close is named, with the list of commands (exit 2)', () => {
    const r = run('publish-everything');
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^feedkeeper: unknown command "publish-everything"\.\n/);
  });

  it.each([
    ['build', '--jsn', '--json'],
    ['build', '--dryrun', '--dry-run'],
    ['build', '--ful', '--full'],
    ['schedule', '--crn', '--cron'],
    ['status', '--confg', '--config'],
    ['init', '--base-ulr', '--base-url'],
    ['check', '--quiet-ish', null],
  ])('feedkeeper %s %s → exit 2, suggesting %s', (command, typed, meant) => {
    const p = makeProject();
    const r = p.cli(command, typed);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      `feedkeeper ${command}: unknown option "${typed}"${meant ? `; did you mean "${meant}"?` : '.'}`,
    );
    expect(r.stderr).toContain(`Run feedkeeper ${command} --help for its options and examples.`);
  });

  it("a value that starts with a dash: says how to write it, not Node's parser text", () => {
    // Found by an outside try: `--limit -1` answered "Option '--limit' argument is ambiguous…".
    const r = run('archive', 'list', '--limit', '-1');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'feedkeeper archive: --limit takes a value, missing here (what follows it starts with "-"); write --limit=<value>.',
    );
    expect(r.stderr).not.toContain('ambiguous');
  });

  it('didYouMean: close names, swapped neighbours, unambiguous prefixes; nothing far', () => {
    const commands = ['build', 'check', 'init', 'schedule', 'status', 'help'];
    expect(didYouMean('bulid', commands)).toBe('build');
    expect(didYouMean('BUILD', commands)).toBe('build');
    expect(didYouMean('stat', commands)).toBe('status');
    expect(didYouMean('inti', commands)).toBe('init');
    expect(didYouMean('s', commands)).toBeNull();
    expect(didYouMean('st', commands)).toBe('status');
    expect(didYouMean('deploy', commands)).toBeNull();
    expect(didYouMean('xy', commands)).toBeNull();
    expect(optionsIn('  --dry-run  x\n  --wait SECONDS --json, --dry-run')).toEqual([
      '--dry-run',
      '--wait',
      '--json',
    ]);
  });
});

/** Option messages found by an outside try ("attackI", finding 16 and 17). */
describe('option messages', () => {
  it('a missing value is said in our words, as for a value that starts with "-" (not parseArgs\')', () => {
    for (const [args, flag] of [
      [['archive', 'list', '--since'], '--since'],
      [['build', '--wait'], '--wait'],
    ] as const) {
      const r = run(...args);
      expect(r.status).toBe(2);
      expect(r.stderr.split('\n')[0]).toBe(
        `feedkeeper ${args[0]}: ${flag} takes a value, missing here; write ${flag} <value>.`,
      );
      expect(r.stderr).not.toContain('argument missing');
    }
  });

  it('archive --help lists what history takes: an id, a slug, a path or a URL', () => {
    const r = run('archive', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('  history <id|slug|path|url>\n');
  });

  it('archive history --json is refused, exit 2 (it printed the text, exit 0)', () => {
    const r = run('archive', 'history', 'some-slug', '--json');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n')[0]).toBe(
      'feedkeeper archive: archive history does not take --json (archive show --json prints the record, its revisions with it).',
    );
  });

  it('archive list with --since after --until says so, exit 2 (it printed nothing, exit 0)', () => {
    const p = makeProject();
    const r = p.cli('archive', 'list', '--since', '2026-12-05', '--until', '2026-12-01');
    expect(r.status).toBe(2);
    expect(r.stderr.split('\n')[0]).toBe(
      'feedkeeper archive: --since 2026-12-05 is after --until 2026-12-01: no record can be in that range; swap them.',
    );
    // One day, given as both ends, is a range.
    expect(p.cli('archive', 'list', '--since', '2026-12-01', '--until', '2026-12-01').status).toBe(
      0,
    );
  });

  it('help help and help --help print the general help, exit 0 (it was "did you mean help?", exit 2)', () => {
    const general = run('--help');
    for (const args of [
      ['help', 'help'],
      ['help', '--help'],
    ]) {
      const r = run(...args);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stderr).toBe('');
      expect(r.stdout).toBe(general.stdout);
    }
  });
});
