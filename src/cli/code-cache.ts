import { createHash } from 'node:crypto';
import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';
import { readRegular } from '../io/read-regular.js';

interface CommonJsModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

interface Fresh {
  readonly script: Script;
  readonly path: string;
}

const proto = Module.prototype as unknown as CommonJsModule;

const sha256 = (...parts: (string | Uint8Array)[]): Buffer => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest();
};

/**
 * What else names an entry: the Node that made it, and the flags it was started with. V8 refuses
 * an entry made under other V8 flags (`--expose-gc`, `--max-old-space-size`), and the refusing
 * process saves its own: a run under other flags and a plain run, alternating, would each undo
 * the other's entries and both compile every time. Node's own options that V8 never sees
 * (NODE_ONLY: its profilers, `--import`, `--require`; each tried, its entries taken) are left
 * out, so that a profiled run (`npm run bench`'s "Why") starts from the same entries as a plain
 * one, whatever folder its profile goes to.
 */
const NODE_ONLY = /^--(cpu-prof|heap-prof|import|require|experimental-loader|loader)/;
const NODE_ONLY_VALUED = new Set([
  '--cpu-prof-dir',
  '--cpu-prof-name',
  '--cpu-prof-interval',
  '--heap-prof-dir',
  '--heap-prof-name',
  '--heap-prof-interval',
  '--import',
  '--require',
  '-r',
  '--experimental-loader',
  '--loader',
]);

/** The options that may reach V8, in order (`--opt value` or `--opt=value`; NODE_ONLY left out). */
export function v8Options(args: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (NODE_ONLY_VALUED.has(arg))
      i++; // its value is the next argument
    else if (!NODE_ONLY.test(arg) && arg !== '-r') kept.push(arg);
  }
  return kept;
}

const MAKER = [
  process.version,
  process.arch,
  v8Options(process.execArgv).join(' '),
  v8Options((process.env['NODE_OPTIONS'] ?? '').split(/\s+/).filter(Boolean)).join(' '),
].join('\0');

/** A file's entry: named by its path and text, and by the Node and flags that made it. */
const entryPath = (dir: string, filename: string, content: string): string =>
  join(dir, `${sha256(MAKER, '\0', filename, '\0', content).toString('hex').slice(0, 40)}.bin`);

/** The entry's cached data, or undefined when there is none or its check hash is wrong. */
function readEntry(path: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    // Never a FIFO or a device (io/read-regular.ts): a start must not wait on a writer.
    bytes = readRegular(path, false);
  } catch {
    return undefined; // none yet, unreadable, or not a regular file: compile
  }
  const data = bytes.subarray(CHECK_BYTES);
  return bytes.length > CHECK_BYTES && sha256(data).equals(bytes.subarray(0, CHECK_BYTES))
    ? data
    : undefined;
}

const CHECK_BYTES = 32;

/**
 * V8's code cache for the command's CommonJS files (the bundle in dist/bin/ and the libraries
 * it requires): each file's compiled code is saved once, when the process that first loaded it
 * exits, and later processes start from it instead of parsing and compiling the source again.
 * Node 22 does this itself (module.enableCompileCache); Node 20 has no such switch, so the
 * bundle is CommonJS (rolldown.config.js) and its entry puts this in front of Node's own
 * compile step. A cron tick is a new process every time: a build with one new article spent
 * about 15 % less CPU with it, a build with nothing to do about 20 % (docs/development.md).
 *
 * The cache is saved after the code ran (Script#createCachedData), so it also holds the
 * functions that run compiled, not only the top level. V8 refuses an entry made by another
 * version or with other flags, but it knows a source only by its length, and it trusts the
 * bytes of an entry whose header is right: one damaged byte further on stopped Node with a
 * trap (exit 133) here. So an entry is named by a hash of its file's path and text (a library
 * updated in place, a rebuilt bundle: another name), and starts with a hash of the rest, checked
 * before V8 sees it. A damaged or refused entry is compiled afresh and saved again: an entry can
 * make a start slower, never different. Entries live in the install's own folder (`dir`, next
 * to dist/bin), where only whoever may change the code may write: a cache another user could
 * write would let them run code in ours. Every failure to read or write one is ignored: it is
 * a cache. `FEEDKEEPER_CODE_CACHE=0` turns it off.
 */
export function useCodeCache(dir: string): void {
  if (process.env['FEEDKEEPER_CODE_CACHE'] === '0') return;
  const fresh: Fresh[] = [];
  const compile = proto._compile;
  proto._compile = function (this: CommonJsModule, content: string, filename: string) {
    // Node leaves a first `#!` line to its own compiler; the wrapper puts it inside a function.
    const source = content.startsWith('#!') ? `//${content}` : content;
    const path = entryPath(dir, filename, content);
    const cachedData = readEntry(path);
    let script: Script;
    try {
      script = new Script(Module.wrap(source), {
        filename,
        ...(cachedData === undefined ? {} : { cachedData }),
        importModuleDynamically: constants.USE_MAIN_CONTEXT_DEFAULT_LOADER,
      });
    } catch {
      // A syntax error: Node's own compiler reports it as it always does.
      return compile.call(this, content, filename);
    }
    if (cachedData === undefined || script.cachedDataRejected === true)
      fresh.push({ script, path });
    const run = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return run.call(
      this.exports,
      this.exports,
      createRequire(filename),
      this,
      filename,
      dirname(filename),
    );
  };
  process.once('exit', () => save(dir, fresh));
}

/** Each new entry beside its file's others, written whole then renamed (a reader sees all or none). */
function save(dir: string, fresh: readonly Fresh[]): void {
  if (fresh.length === 0) return;
  try {
    mkdirSync(dir, { recursive: true });
  } catch {
    return;
  }
  for (const { script, path } of fresh) {
    const tmp = `${path}.${process.pid}.tmp`;
    try {
      const data = script.createCachedData();
      writeFileSync(tmp, Buffer.concat([sha256(data), data]));
      renameSync(tmp, path);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
