#!/usr/bin/env node
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useCodeCache } from './cli/code-cache.js';
import { setInstallCache } from './io/install-cache.js';

/**
 * The command's entry (dist/bin/main.js): V8's code cache first (cli/code-cache.ts), so that
 * every file loaded after it starts compiled, then the command line itself (main.ts), loaded
 * only once the cache is in place. The install's cache folder (io/install-cache.ts) is
 * dist/code-cache/, beside the bundle.
 */
const cache = join(dirname(fileURLToPath(import.meta.url)), '..', 'code-cache');
setInstallCache(cache);
useCodeCache(cache);
void import('./main.js');
