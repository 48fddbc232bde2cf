#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCodeCache } from './cli/code-cache.js';

/**
 * The command's entry (dist/bin/main.js): V8's code cache first (cli/code-cache.ts), so that
 * every file loaded after it starts compiled, then the command line itself (main.ts), loaded
 * only once the cache is in place. Its entries are kept in dist/code-cache/, beside the bundle.
 */
useCodeCache(join(dirname(fileURLToPath(import.meta.url)), '..', 'code-cache'));
void import('./main.js');
