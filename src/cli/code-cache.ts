import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, Module } from 'node:module';
import { dirname, join } from 'node:path';
import { constants, Script } from 'node:vm';

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
 * functions that run compiled, not only the top level. V8 checks each entry against the
 * source, its own version and its flags, and compiles afresh when any differs (the entry is
 * then saved again); so an entry can make a start slower, never different. Entries live in
 * the install's own folder (`dir`, next to dist/bin), where only whoever may change the code
 * may write: a cache another user could write would let them run code in ours. Every failure
 * to read or write one is ignored: it is a cache. `FEEDKEEPER_CODE_CACHE=0` turns it off.
 */
interface CommonJsModule {
  exports: unknown;
  _compile(content: string, filename: string): unknown;
}

interface Fresh {
  readonly script: Script;
  readonly path: string;
}

const proto = Module.prototype as unknown as CommonJsModule;

/** Node's CommonJS wrapper, as Module.wrap writes it (its parameters are the module's names). */
const wrap = (source: string): string =>
  `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;

/** A file's cache entry: named by its path, so that two installs never share one. */
const entryPath = (dir: string, filename: string): string =>
  join(dir, `${createHash('sha256').update(filename).digest('hex').slice(0, 32)}.bin`);

export function useCodeCache(dir: string): void {
  if (process.env['FEEDKEEPER_CODE_CACHE'] === '0') return;
  const fresh: Fresh[] = [];
  const compile = proto._compile;
  proto._compile = function (this: CommonJsModule, content: string, filename: string) {
    // Node leaves a first `#!` line to its own compiler; the wrapper puts it inside a function.
    const source = content.startsWith('#!') ? `//${content}` : content;
    const path = entryPath(dir, filename);
    let cachedData: Buffer | undefined;
    try {
      cachedData = readFileSync(path);
    } catch {
      cachedData = undefined; // none yet, or unreadable: compile
    }
    let script: Script;
    try {
      script = new Script(wrap(source), {
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
      writeFileSync(tmp, script.createCachedData());
      renameSync(tmp, path);
    } catch {
      rmSync(tmp, { force: true });
    }
  }
}
