import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installCache } from '../io/install-cache.js';

/**
 * The page shapes html-validate accepted on this install, whichever site it was building
 * (validate/page-proof.ts keys a shape by its text and html-validate's version, nothing of a
 * site's): a site's first build, or a shape new to it that another site's build already had
 * judged, then does not load html-validate (0.4 s of CPU and more a process here). One empty
 * file a shape, named by its key, in the install's cache folder (io/install-cache.ts): a mark is
 * made whole or not at all, and two runs that make the same one agree. Only shapes
 * html-validate judged in this process are marked, never those a site's page state lists (a
 * site's state is its own to edit; the install's marks are for every site). None without the
 * folder (a library use), and any failure to read or write a mark is ignored: it is a cache.
 */
export interface ShapesSeen {
  has(key: string): boolean;
  mark(keys: Iterable<string>): void;
}

const KEY = /^[0-9a-f]{64}$/;

export function shapesSeen(): ShapesSeen | undefined {
  const cache = installCache();
  if (cache === undefined || process.env['FEEDKEEPER_CODE_CACHE'] === '0') return undefined;
  const dir = join(cache, 'page-shapes');
  return {
    has: (key) => KEY.test(key) && existsSync(join(dir, key)),
    mark(keys) {
      for (const key of keys) {
        if (!KEY.test(key)) continue;
        try {
          mkdirSync(dir, { recursive: true });
          writeFileSync(join(dir, key), '');
        } catch {
          return; // a read-only install, a full disk: the next run judges the shape again
        }
      }
    },
  };
}
