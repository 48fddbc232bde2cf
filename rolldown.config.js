import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { defineConfig } from 'rolldown';
import { lazyLocalesPlugin } from './rolldown-lazy-locales.js';

/**
 * The build id: a hash of the compiled code (tsc's dist/src, in path order) and of the
 * libraries' versions (package-lock.json). The bundle carries it as globalThis.FEEDKEEPER_BUILD
 * (src/config/config-cache.ts keys the validated configuration by it: a new feedkeeper
 * validates again).
 */
function buildId() {
  const hash = createHash('sha256');
  const files = readdirSync('dist/src', { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.js'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
  for (const file of [...files, 'package-lock.json'])
    hash.update(`${file}\n`).update(readFileSync(file));
  return hash.digest('hex').slice(0, 32);
}

/**
 * The command line as a few bundled files (dist/bin/), built from tsc's output. A cron tick
 * starts a new process every time, and Node spent more time finding, reading and compiling the
 * ~200 ES modules of dist/src and node_modules than a no-change run spends working: bundled, a
 * no-change build of the sample costs about 40 % less CPU. Commands stay lazily loaded (one chunk
 * each). The write worker is an entry of its own: WritePool starts it by its URL next to the
 * chunk that holds the pool; so do the copy worker (publish/copy-pool.ts) and the archive
 * documents' and the examine workers (history/render-archive.ts, pipeline/examine-pool.ts,
 * through io/worker-pool.ts). parse5 and
 * html-validate stay outside: they are loaded on demand with require().
 */
/**
 * CommonJS, not ES modules: Node 20 keeps V8's code cache only for what it compiles through
 * its CommonJS loader (src/cli/code-cache.ts). The folder's own package.json says so, so that
 * the files keep their .js names (package.json "bin", the worker files' URLs in src/); the
 * entries of a code cache made by an earlier build are removed with the build they belong to.
 */
function commonJsFolder() {
  return {
    name: 'feedkeeper-commonjs-folder',
    buildStart() {
      rmSync('dist/code-cache', { recursive: true, force: true });
    },
    generateBundle() {
      this.emitFile({
        type: 'asset',
        fileName: 'package.json',
        source: `${JSON.stringify({ type: 'commonjs' }, null, 2)}\n`,
      });
    },
  };
}

export default defineConfig({
  input: {
    main: 'dist/src/bin.js',
    'write-worker': 'dist/src/io/write-worker.js',
    'copy-worker': 'dist/src/publish/copy-worker.js',
    'archive-worker': 'dist/src/history/archive-worker.js',
    'examine-worker': 'dist/src/pipeline/examine-worker.js',
  },
  platform: 'node',
  transform: { define: { 'globalThis.FEEDKEEPER_BUILD': JSON.stringify(buildId()) } },
  external: ['parse5', 'html-validate', 'html-validate/package.json'],
  plugins: [lazyLocalesPlugin(), commonJsFolder()],
  output: {
    dir: 'dist/bin',
    cleanDir: true, // chunk names carry a content hash: a rebuild must not leave the old ones
    format: 'cjs',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
});
