import { defineConfig } from 'rolldown';

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
export default defineConfig({
  input: {
    main: 'dist/src/main.js',
    'write-worker': 'dist/src/io/write-worker.js',
    'copy-worker': 'dist/src/publish/copy-worker.js',
    'archive-worker': 'dist/src/history/archive-worker.js',
    'examine-worker': 'dist/src/pipeline/examine-worker.js',
  },
  platform: 'node',
  external: ['parse5', 'html-validate', 'html-validate/package.json'],
  output: {
    dir: 'dist/bin',
    cleanDir: true, // chunk names carry a content hash: a rebuild must not leave the old ones
    format: 'esm',
    entryFileNames: '[name].js',
    chunkFileNames: '[name]-[hash].js',
  },
});
