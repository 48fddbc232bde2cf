import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeProject, REPO, RUN_LIMIT_MS, sampleBytes, type Project } from '../helpers.js';

/**
 * V8's code cache of the command (src/cli/code-cache.ts). Each case runs its own copy of the
 * bundle (inside dist/, so that the libraries are found as from dist/bin/) with its own cache
 * folder beside it: the cases damage entries, which the suite's other runs must not meet.
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
    timeout: RUN_LIMIT_MS,
  });
}

/** Each entry's name and bytes. */
const entries = (at: Install): Map<string, Buffer> =>
  new Map(
    existsSync(at.cache)
      ? readdirSync(at.cache).map((name) => [name, readFileSync(join(at.cache, name))])
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
    expectSameOutputs(at, p);
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

  it('a cache folder that cannot be made costs nothing but the cache', () => {
    const at = install();
    writeFileSync(at.cache, 'a file where the folder would be\n');
    const p = published(at);
    expect(readFileSync(at.cache, 'utf8')).toBe('a file where the folder would be\n');
    expectSameOutputs(at, p);
  });
});
