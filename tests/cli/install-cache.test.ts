import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { v8Options } from '../../src/cli/code-cache.js';
import {
  feedIds,
  makeProject,
  mkfifo,
  REPO,
  RUN_LIMIT_MS,
  sampleBytes,
  tracedCli,
  type Project,
} from '../helpers.js';

/**
 * What the command keeps in its install's cache folder (src/io/install-cache.ts): V8's code
 * cache (src/cli/code-cache.ts) and the page shapes html-validate accepted
 * (src/pipeline/shapes-seen.ts). Each case runs its own copy of the bundle (inside dist/, so
 * that the libraries are found as from dist/bin/) with its own cache folder beside it: the
 * cases damage entries and count what is loaded, which the suite's other runs must not change.
 */
const copies: string[] = [];
afterAll(() => {
  for (const dir of copies) rmSync(dir, { recursive: true, force: true });
});

interface Install {
  readonly main: string;
  readonly cache: string;
}

function install(): Install {
  const root = mkdtempSync(join(REPO, 'dist', 'code-cache-test-'));
  copies.push(root);
  cpSync(join(REPO, 'dist', 'bin'), join(root, 'bin'), { recursive: true });
  return { main: join(root, 'bin', 'main.js'), cache: join(root, 'code-cache') };
}

function run(
  at: Install,
  p: Project,
  args: string[],
  env: Record<string, string> = {},
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [at.main, ...args], {
    cwd: p.dir,
    encoding: 'utf8',
    env: { ...process.env, FEEDKEEPER_CONFIG: '', ...env },
    // A start that waits on a cache entry fails here, not after the suite's own limit.
    timeout: Math.min(RUN_LIMIT_MS, 30_000),
  });
}

/** Each entry's name and bytes. */
const entries = (at: Install): Map<string, Buffer> =>
  new Map(
    existsSync(at.cache)
      ? readdirSync(at.cache)
          .filter((name) => name.endsWith('.bin'))
          .map((name) => [name, readFileSync(join(at.cache, name))])
      : [],
  );

/** Whether an entry's first 32 bytes are the SHA-256 of the rest. */
const checked = (bytes: Buffer): boolean =>
  bytes.length > 32 &&
  createHash('sha256').update(bytes.subarray(32)).digest().equals(bytes.subarray(0, 32));

const published = (at: Install): Project => {
  const p = makeProject();
  p.write('a.txt', sampleBytes());
  const r = run(at, p, ['build', '-q']);
  expect(r.status, r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  return p;
};

/** A build of everything again, compared with what is published: nothing may differ. */
function expectSameOutputs(at: Install, p: Project, env: Record<string, string> = {}): void {
  const r = run(at, p, ['build', '--full'], env);
  expect(r.status, r.stdout + r.stderr).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toContain('every file already up to date');
}

describe("V8's code cache of the command", () => {
  it('the first run saves an entry per file it compiled; later runs use them and give the same files', () => {
    const at = install();
    const p = published(at);
    const first = entries(at);
    // Its own chunks and the libraries it required (html-validate proved the first pages).
    expect(first.size).toBeGreaterThan(20);
    for (const [name, bytes] of first) expect(checked(bytes), name).toBe(true);
    // The same files, whether compiled afresh or from the cache.
    expectSameOutputs(at, p, { FEEDKEEPER_CODE_CACHE: '0' });
    expectSameOutputs(at, p);
    // Entries are saved once: a run that found them all writes none.
    const again = entries(at);
    for (const [name, bytes] of first) expect(again.get(name)?.equals(bytes), name).toBe(true);
  });

  it('FEEDKEEPER_CODE_CACHE=0 keeps none', () => {
    const at = install();
    const p = makeProject();
    p.write('a.txt', sampleBytes());
    const r = run(at, p, ['build', '-q'], { FEEDKEEPER_CODE_CACHE: '0' });
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(at.cache)).toBe(false);
  });

  it('damaged, cut, foreign and swapped entries are compiled afresh and saved again', () => {
    const at = install();
    const p = published(at);
    const before = entries(at);
    const names = [...before.keys()].sort((a, b) => before.get(b)!.length - before.get(a)!.length);
    const damage: [string, (bytes: Buffer) => Buffer][] = [
      // Bytes flipped past the check hash and V8's header: V8 alone took this one (a trap,
      // exit 133, when the check hash was not there).
      [
        names[0]!,
        (b) => {
          const d = Buffer.from(b);
          for (let i = 200; i < d.length; i += 97) d[i]! ^= 0xff;
          return d;
        },
      ],
      [names[1]!, (b) => b.subarray(0, 100)],
      [names[2]!, () => Buffer.alloc(0)],
      [names[3]!, () => Buffer.from('not a cache entry\n'.repeat(1000))],
      // Another file's entry, with its own right check hash, under this file's name.
      [names[4]!, () => before.get(names[5]!)!],
    ];
    for (const [name, make] of damage) writeFileSync(join(at.cache, name), make(before.get(name)!));
    // Not regular files: never opened waiting on a writer, never read without end.
    const odd = [names[6]!, names[7]!];
    rmSync(join(at.cache, odd[0]!));
    mkfifo(join(at.cache, odd[0]!));
    rmSync(join(at.cache, odd[1]!));
    symlinkSync('/dev/zero', join(at.cache, odd[1]!));
    expectSameOutputs(at, p);
    for (const name of odd) expect(lstatSync(join(at.cache, name)).isFile(), name).toBe(true);
    const after = entries(at);
    for (const [name] of damage) {
      expect(checked(after.get(name)!), name).toBe(true);
      expect(after.get(name)!.equals(before.get(names[5]!)!), name).toBe(false);
    }
    expectSameOutputs(at, p);
  });

  it('a file changed in place, at the same length, is compiled from its new text', () => {
    // V8 knows a source by its length only: an entry named by the path alone would run the
    // old code of a library updated in place, or of a bundle rebuilt to the same length.
    const at = install();
    const p = makeProject();
    const help = (): string => run(at, p, ['help']).stdout;
    expect(help()).toContain('publishes and archives news feeds.');
    expect(entries(at).size).toBeGreaterThan(0);
    const bin = join(at.main, '..');
    const chunk = readdirSync(bin)
      .map((name) => join(bin, name))
      .find((file) => readFileSync(file, 'utf8').includes('publishes and archives news feeds.'))!;
    const text = readFileSync(chunk, 'utf8');
    writeFileSync(chunk, text.replace('publishes and archives', 'PUBLISHES AND ARCHIVES'));
    expect(help()).toContain('PUBLISHES AND ARCHIVES news feeds.');
  });

  it("a profiled run uses a plain run's entries; a run under other V8 flags keeps its own", () => {
    const at = install();
    const p = makeProject();
    const status = (...flags: string[]): number =>
      spawnSync(process.execPath, [...flags, at.main, 'status'], {
        cwd: p.dir,
        env: { ...process.env, FEEDKEEPER_CONFIG: '' },
        timeout: 30_000,
      }).status ?? -1;
    expect(status()).toBe(0);
    const plain = entries(at).size;
    expect(plain).toBeGreaterThan(0);
    // Node's profiler is not a V8 flag: V8 takes the plain run's entries, none are added.
    const prof = join(p.dir, 'profile');
    expect(status('--cpu-prof', `--cpu-prof-dir=${prof}`, '--cpu-prof-interval', '500')).toBe(0);
    expect(readdirSync(prof).length).toBe(1);
    expect(entries(at).size).toBe(plain);
    // --expose-gc is one: V8 would refuse the plain entries, so these runs keep their own.
    expect(status('--expose-gc')).toBe(0);
    expect(entries(at).size).toBeGreaterThan(plain);
  });

  it('the options that name entries are those that may reach V8', () => {
    expect(
      v8Options([
        '--cpu-prof',
        '--cpu-prof-dir=/tmp/a',
        '--cpu-prof-interval',
        '200',
        '--import',
        'file:///x.mjs',
        '-r',
        './y.cjs',
        '--require=./z.cjs',
        '--heap-prof-dir',
        '/tmp/b',
        '--expose-gc',
        '--max-old-space-size=512',
        '--stack-size',
        '900',
      ]),
    ).toEqual(['--expose-gc', '--max-old-space-size=512', '--stack-size', '900']);
  });

  it('a cache folder that cannot be made costs nothing but the cache', () => {
    const at = install();
    writeFileSync(at.cache, 'a file where the folder would be\n');
    const p = published(at);
    expect(readFileSync(at.cache, 'utf8')).toBe('a file where the folder would be\n');
    expectSameOutputs(at, p);
  });
});

/** A build, and whether it loaded html-validate (its code, not its package.json). */
function traced(
  at: Install,
  p: Project,
  args: string[],
  env: Record<string, string> = {},
): { r: SpawnSyncReturns<string>; htmlValidate: boolean } {
  const { r, loads } = tracedCli(at.main, p, args, env);
  return {
    r,
    htmlValidate: loads.some((url) => url.includes('/node_modules/html-validate/dist/')),
  };
}

const marks = (at: Install): string[] => {
  const dir = join(at.cache, 'page-shapes');
  return existsSync(dir) ? readdirSync(dir).sort() : [];
};

const site = (): Project => {
  const p = makeProject();
  p.write('a.txt', sampleBytes());
  return p;
};

describe('page shapes html-validate accepted on this install', () => {
  it("one site's first build marks them; another's first build then proves its pages without loading html-validate", () => {
    const at = install();
    const first = traced(at, site(), ['build', '-q']);
    expect(first.r.status, first.r.stderr).toBe(0);
    expect(first.htmlValidate).toBe(true);
    const judged = marks(at);
    expect(judged.length).toBeGreaterThan(0);
    for (const m of judged) expect(m).toMatch(/^[0-9a-f]{64}$/);

    const other = site();
    const second = traced(at, other, ['build', '-q']);
    expect(second.r.status, second.r.stderr).toBe(0);
    expect(second.htmlValidate).toBe(false);
    expect(feedIds(other)).toHaveLength(1);
    // The shapes are the site's own too now (its page state), as if it had judged them.
    const state = JSON.parse(
      readFileSync(join(other.dir, '.feedkeeper', 'pages.json'), 'utf8'),
    ) as {
      shapes?: string[];
    };
    expect(state.shapes?.sort()).toEqual(judged);
    expect(marks(at)).toEqual(judged);

    // `--full` trusts nothing kept: every shape is judged again.
    const full = traced(at, other, ['build', '--full', '-q']);
    expect(full.r.status, full.r.stderr).toBe(0);
    expect(full.htmlValidate).toBe(true);
  });

  it("a site's page state is never taken for the install's marks, and FEEDKEEPER_CODE_CACHE=0 keeps none", () => {
    const at = install();
    const p = site();
    const off = traced(at, p, ['build', '-q'], { FEEDKEEPER_CODE_CACHE: '0' });
    expect(off.r.status, off.r.stderr).toBe(0);
    expect(off.htmlValidate).toBe(true);
    expect(marks(at)).toEqual([]);
    // Shapes the site's state says were accepted (its own to edit, or a copy of another
    // site's) are trusted for that site alone: not marked for the install.
    const statePath = join(p.dir, '.feedkeeper', 'pages.json');
    const state = JSON.parse(readFileSync(statePath, 'utf8')) as { shapes: string[] };
    const forged = 'ab'.repeat(32);
    writeFileSync(statePath, JSON.stringify({ ...state, shapes: [...state.shapes, forged] }));
    p.write(
      'b.txt',
      'Alt titlu | Lume\n\nUn paragraf nou, cu destule cuvinte pentru un articol.\n',
    );
    const next = traced(at, p, ['build', '-q']);
    expect(next.r.status, next.r.stderr).toBe(0);
    expect(marks(at)).not.toContain(forged);
  });
});
