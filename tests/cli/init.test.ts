import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveConfig } from '../../src/config/load-config.js';
import { configText, exampleArticle, PLACEHOLDERS } from '../../src/cli/init-files.js';
import { CLI, jsonOf, RUN_LIMIT_MS } from '../helpers.js';

const FEEDS = ['out/rss.xml', 'out/atom.xml', 'out/feed.json'];

/** The CLI in `cwd`, stdin a pipe (not a terminal): what a script or a CI job sees. */
const cli = (cwd: string, ...args: string[]): SpawnSyncReturns<string> =>
  spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    input: '',
    env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    timeout: RUN_LIMIT_MS,
  });

const emptyDir = (): string => mkdtempSync(join(tmpdir(), 'feedkeeper-init-'));

const haveScript = spawnSync('script', ['--version']).status === 0;
const haveGit = spawnSync('git', ['--version']).status === 0;

describe('feedkeeper init', () => {
  it('in an empty folder, not on a terminal: asks nothing, writes the site; build then publishes the example', () => {
    const dir = emptyDir();
    const init = cli(dir, 'init');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stderr).toBe('');
    expect(init.stdout).not.toMatch(/\[My News\]:/);
    expect(init.stdout).toContain('created feedkeeper.config.json');
    expect(init.stdout).toContain(
      'Placeholders in feedkeeper.config.json: site.title, site.baseUrl, site.author.name',
    );
    expect(init.stdout.trimEnd().split('\n').at(-1)).toBe('next: feedkeeper build');
    expect(readdirSync(join(dir, 'archive', 'articles'))).toEqual(['welcome.md']);

    const build = cli(dir, 'build');
    expect(build.status, build.stderr + build.stdout).toBe(0);
    expect(build.stderr).toBe('');
    expect(build.stdout).toContain('1 added');
    for (const f of FEEDS)
      expect(readFileSync(join(dir, f), 'utf8')).toContain('Welcome to the archive');
    const feed = JSON.parse(readFileSync(join(dir, 'out/feed.json'), 'utf8')) as {
      items: { tags?: string[]; title: string }[];
    };
    expect(feed.items.map((i) => i.title)).toEqual(['Welcome to the archive']);
    expect(feed.items[0]?.tags).toEqual(expect.arrayContaining(['Newsroom', 'feedkeeper']));
    expect(cli(dir, 'check').status).toBe(0);
    rmSync(dir, { recursive: true });
  });

  it.skipIf(!haveGit)(
    '.gitignore keeps the articles and records in version control, not out/ or the state',
    () => {
      const dir = emptyDir();
      expect(cli(dir, 'init').status).toBe(0);
      expect(cli(dir, 'build').status).toBe(0);
      const git = (...args: string[]): string =>
        spawnSync('git', args, { cwd: dir, encoding: 'utf8' }).stdout;
      git('init', '-q');
      const added = git('add', '--dry-run', '.');
      expect(added).toMatch(/add 'archive\/records\/\d{4}\/\d{2}\/welcome-to-the-archive\.json'/);
      expect(added).toContain(`add 'archive/articles/welcome.md'`);
      expect(added).toContain(`add 'feedkeeper.config.json'`);
      expect(added).not.toMatch(/add '(out|\.feedkeeper)\//);
      rmSync(dir, { recursive: true });
    },
  );

  it('into DIR, with flags; run again it keeps every file and adds only missing .gitignore lines', () => {
    const parent = emptyDir();
    writeFileSync(join(parent, 'unrelated'), '');
    const flags = [
      '--title',
      'Știri',
      '--base-url',
      'https://stiri.example.ro',
      '--author',
      'Redacția',
      '--language',
      'ro',
    ];
    const first = cli(parent, 'init', 'site', ...flags, '--json');
    expect(first.status, first.stderr).toBe(0);
    expect(jsonOf(first)).toEqual({
      schemaVersion: 1,
      command: 'init',
      dir: join(parent, 'site'),
      created: [
        'feedkeeper.config.json',
        'archive/articles/',
        'archive/articles/welcome.md',
        'archive/README.md',
        '.gitignore',
      ],
      kept: [],
      placeholders: [],
    });
    const dir = join(parent, 'site');
    const config = JSON.parse(readFileSync(join(dir, 'feedkeeper.config.json'), 'utf8')) as {
      site: Record<string, unknown>;
    };
    expect(config.site).toMatchObject({
      title: 'Știri',
      baseUrl: 'https://stiri.example.ro',
      language: 'ro',
      author: { name: 'Redacția' },
    });

    writeFileSync(join(dir, '.gitignore'), 'node_modules/\n/out/\n');
    const before = readFileSync(join(dir, 'feedkeeper.config.json'), 'utf8');
    const again = cli(dir, 'init', '--title', 'Other');
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toContain('kept    feedkeeper.config.json (already there)');
    expect(again.stdout).toContain('kept    .gitignore (lines added)');
    expect(readFileSync(join(dir, 'feedkeeper.config.json'), 'utf8')).toBe(before);
    const ignore = readFileSync(join(dir, '.gitignore'), 'utf8');
    expect(ignore.startsWith('node_modules/\n/out/\n\n# feedkeeper')).toBe(true);
    expect(ignore.match(/^\/out\/$/gm)).toHaveLength(1);
    expect(ignore.match(/^\/\.feedkeeper\/$/gm)).toHaveLength(1);
    expect(cli(dir, 'init').stdout).toContain('kept    .gitignore (already there)');
    rmSync(parent, { recursive: true });
  });

  it('a value build would refuse is refused before anything is written (exit 2, the option named)', () => {
    const dir = emptyDir();
    const r = cli(dir, 'init', '--base-url', 'news.example.org', '--language', 'xx');
    expect(r.status).toBe(2);
    // Said of the options typed, not of keys in a file that was not written (an outside try).
    expect(r.stderr).toContain('init: --base-url (site.baseUrl): expected an absolute http(s) URL');
    expect(r.stderr).toContain('init: --language (site.language): expected a BCP 47');
    expect(r.stderr).toContain(
      'hint: run feedkeeper init again with another value; nothing was written.',
    );
    expect(r.stderr).not.toContain('configuration file');
    expect(readdirSync(dir)).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  it('--config NAME: the "next:" command carries it, and it builds (it was "cannot read feedkeeper.config.json")', () => {
    const dir = emptyDir();
    const init = cli(dir, 'init', 'site', '--config', 'site.json', '-y');
    expect(init.status, init.stderr).toBe(0);
    expect(init.stdout).toContain('created site.json');
    const next = init.stdout.trimEnd().split('\n').at(-1);
    expect(next).toBe('next: cd site && feedkeeper build --config site.json');
    const build = cli(join(dir, 'site'), 'build', '--config', 'site.json');
    expect(build.status, build.stderr + build.stdout).toBe(0);
    expect(build.stdout).toContain('1 added');
    expect(readFileSync(join(dir, 'site', 'out', 'rss.xml'), 'utf8')).toContain(
      'Welcome to the archive',
    );
    rmSync(dir, { recursive: true });
  });

  it('--config outside DIR (or in a folder below it) is refused, exit 2, nothing written: its paths would miss the folders', () => {
    const dir = emptyDir();
    for (const config of [join(dir, 'elsewhere.json'), 'conf/site.json']) {
      const r = cli(dir, 'init', 'site', '--config', config, '-y');
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `init: --config ${config}: the configuration must be in the site's folder (site), since its paths are relative to its own folder: give a file name such as --config site.json, or leave --config out; nothing was written.\n`,
      );
      expect(readdirSync(dir)).toEqual([]);
    }
    rmSync(dir, { recursive: true });
  });

  it('DIR that is a file: one line saying so, exit 2, nothing written (it blamed paths.state and paths.records)', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'afile'), '');
    for (const [arg, said] of [
      ['afile', 'afile is a file, not a folder'],
      // The file is above the folder asked for: said so, not as if afile were the one given.
      ['afile/sub', 'afile/sub cannot be made: afile, above it, is a file, not a folder'],
    ] as const) {
      const r = cli(dir, 'init', arg);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(
        `init: ${said}: give init a folder to create or an existing folder (feedkeeper init my-news); nothing was written.\n`,
      );
      expect(r.stdout).toBe('');
    }
    expect(readdirSync(dir)).toEqual(['afile']);
    rmSync(dir, { recursive: true });
  });

  it('--help says every question it asks, the language too', () => {
    const r = cli(tmpdir(), 'init', '--help');
    expect(r.status).toBe(0);
    expect(r.stdout.replace(/\s+/g, ' ')).toContain(
      "it asks for the site's title, address, publisher and language",
    );
  });

  it('a folder named .gitignore is left as it is, and said (it was EISDIR, naming no file)', () => {
    const dir = emptyDir();
    mkdirSync(join(dir, '.gitignore'));
    const r = cli(dir, 'init', '-y');
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain('.gitignore (a folder, not a file: not changed)');
    expect(readdirSync(join(dir, '.gitignore'))).toEqual([]);
    rmSync(dir, { recursive: true });
  });

  it.skipIf(!haveScript)(
    'on a terminal it asks, asks again after a wrong answer, and Ctrl+D cancels writing nothing',
    async () => {
      const dir = emptyDir();
      const init = (name: string): string =>
        `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} init ${name}`;
      const url = 'Address where out/ will be served [https://news.example.org]: ';
      const r = await converse(dir, init('site'), [
        ['Site title [My News]: ', 'Știri Test\r'],
        [url, 'ftp://x\r'],
        [url, 'https://stiri.example.ro\r'],
        ['Publisher [My Newsroom]: ', '\r'],
        ['Language [en]: ', 'ro\r'],
      ]);
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain('"ftp://x" will not do: expected an absolute http(s) URL');
      const config = JSON.parse(
        readFileSync(join(dir, 'site', 'feedkeeper.config.json'), 'utf8'),
      ) as {
        site: Record<string, unknown>;
      };
      expect(config.site).toMatchObject({
        title: 'Știri Test',
        baseUrl: 'https://stiri.example.ro',
        language: 'ro',
        author: { name: 'My Newsroom' },
      });

      const cancelled = await converse(dir, init('other'), [['Site title [My News]: ', '\x04']]);
      expect(cancelled.code).toBe(2);
      expect(cancelled.output).toContain('feedkeeper init: cancelled; nothing was written');
      expect(existsSync(join(dir, 'other'))).toBe(false);
      rmSync(dir, { recursive: true });
    },
  );
});

describe('feedkeeper init on a terminal, an answer build would refuse', () => {
  it.skipIf(!haveScript)(
    "is refused at its prompt, with build's reason, and asked again: the answers are kept (it failed after the last, naming --base-url)",
    async () => {
      const dir = emptyDir();
      const url = 'Address where out/ will be served [https://news.example.org]: ';
      const r = await converse(
        dir,
        `${JSON.stringify(process.execPath)} ${JSON.stringify(CLI)} init site`,
        [
          ['Site title [My News]: ', 'Știri Test\r'],
          [url, 'https://news.example.org/x?y=1\r'],
          [url, 'https://news.example.org/x\r'],
          ['Publisher [My Newsroom]: ', '\r'],
          ['Language [en]: ', '\r'],
        ],
      );
      expect(r.code, r.output).toBe(0);
      expect(r.output).toContain(
        '"https://news.example.org/x?y=1" will not do: expected an absolute http(s) URL; it has a query (?…) or a fragment (#…)',
      );
      expect(r.output).not.toContain('--base-url');
      const config = JSON.parse(
        readFileSync(join(dir, 'site', 'feedkeeper.config.json'), 'utf8'),
      ) as { site: Record<string, unknown> };
      expect(config.site).toMatchObject({
        title: 'Știri Test',
        baseUrl: 'https://news.example.org/x',
      });
      rmSync(dir, { recursive: true });
    },
  );
});

/**
 * Run `command` on a pseudo-terminal (script(1)) and answer each prompt when it appears, in
 * order: typing ahead would race the terminal's switch to raw mode, which may drop the input.
 */
function converse(
  cwd: string,
  command: string,
  steps: readonly (readonly [string, string])[],
): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qec', command, '/dev/null'], {
      cwd,
      env: { ...process.env, FEEDKEEPER_CONFIG: '' },
    });
    let output = '';
    let from = 0;
    let step = 0;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`no answer after 60 s; output so far:\n${output}`));
    }, 60_000);
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      output += d;
      for (;;) {
        const next = steps[step];
        if (next === undefined) break;
        const at = output.indexOf(next[0], from);
        if (at < 0) break;
        from = at + next[0].length;
        step++;
        child.stdin.write(next[1]);
      }
    });
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('a site without its articles folder', () => {
  it('build is a configuration error (exit 2) that says to run init or create the folder; nothing is written', () => {
    const dir = emptyDir();
    writeFileSync(join(dir, 'feedkeeper.config.json'), configText(PLACEHOLDERS));
    const r = cli(dir, 'build');
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(
      'config: the articles folder archive/articles (paths.articles) does not exist.',
    );
    expect(r.stderr).toContain('run feedkeeper init');
    expect(r.stderr).toContain('mkdir -p archive/articles');
    expect(readdirSync(dir)).toEqual(['feedkeeper.config.json']);

    // init there creates what is missing and keeps the configuration.
    const init = cli(dir, 'init');
    expect(init.stdout).toContain('kept    feedkeeper.config.json');
    expect(init.stdout).toContain('created archive/articles/welcome.md');
    expect(cli(dir, 'build').status).toBe(0);
    rmSync(dir, { recursive: true });
  });
});

describe('what init writes', () => {
  it('the configuration is valid JSON, explained in "$comment" keys that validation ignores', () => {
    const text = configText(PLACEHOLDERS);
    const raw = JSON.parse(text) as Record<string, Record<string, unknown>>;
    for (const section of ['site', 'paths', 'feed', 'limits', 'schedule'])
      expect(typeof raw[section]?.['$comment']).toBe('string');
    const rc = resolveConfig(raw, '/srv/news');
    expect(rc.config.site.title).toBe('My News');
    // A note is not configuration: editing one changes no fingerprint (nothing rendered again).
    raw['feed']!['$comment'] = 'another note';
    expect(resolveConfig(raw, '/srv/news').fingerprint).toBe(rc.fingerprint);
  });

  it('an empty archive (the example deleted) publishes feeds dated when the site was set up, not 1970', () => {
    const dir = emptyDir();
    expect(cli(dir, 'init').status).toBe(0);
    rmSync(join(dir, 'archive', 'articles', 'welcome.md'));
    const r = cli(dir, 'build');
    expect(r.status, r.stderr).toBe(0);
    const since = new Date(
      Math.floor(statSync(join(dir, 'feedkeeper.config.json')).mtimeMs / 1000) * 1000,
    )
      .toISOString()
      .replace('.000Z', 'Z');
    expect(readFileSync(join(dir, 'out/atom.xml'), 'utf8')).toContain(
      `<updated>${since}</updated>`,
    );
    for (const f of FEEDS) expect(readFileSync(join(dir, f), 'utf8')).not.toContain('1970');
    rmSync(dir, { recursive: true });
  });

  it('the example is dated in whole UTC seconds, never ahead of the clock', () => {
    const now = new Date('2026-11-29T20:38:12.999Z');
    expect(exampleArticle(now)).toMatch(/^---\ndate: 2026-11-29T20:38:12Z\n/);
  });
});
