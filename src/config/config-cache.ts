import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { configInput, readRawConfig, type ConfigOverrides } from './raw-config.js';
import type { Config } from './schema.js';
import { DEFAULT_STATE, settleConfig, type ResolvedConfig } from './settle-config.js';

/**
 * Validated configurations, remembered. Loading the schema's libraries (zod, node-cron) and
 * building the schema cost more CPU than the rest of a no-change build at 10,000 articles
 * does besides listing the articles (the speed issue: a cron tick's run is mostly its start).
 * So a build remembers what the schema made of the file, keyed by the file's content and by
 * the code that validated it, and the next build with the same file and the same feedkeeper
 * takes it from there without loading the schema at all.
 *
 * The key covers the configuration as validated (without its notes, with the command line's
 * values: raw-config.ts) and the bundle's build id, a hash of the compiled code set by the
 * bundler (rolldown.config.js): a changed default or rule in a new feedkeeper validates
 * again. The unbundled sources (the tests in-process) have no build id and no cache. A cache
 * that is unreadable, hand-edited (its check sum) or of another key is ignored and replaced.
 * The folders are resolved and checked against each other on every run all the same
 * (settle-config.ts): they depend on the file system, not only on the file.
 */
const BUILD: unknown = (globalThis as { FEEDKEEPER_BUILD?: unknown }).FEEDKEEPER_BUILD;

export const CONFIG_CACHE = 'config-cache.json';

export interface OpenedConfig {
  readonly rc: ResolvedConfig;
  /** Saves the validation for the next run (a run that may write calls it); null: nothing to save. */
  readonly remember: (() => void) | null;
}

/** loadConfig() (load-config.ts), through the cache: the schema is loaded only on a miss. */
export async function openConfig(
  file: string,
  overrides: ConfigOverrides,
  version: string,
): Promise<OpenedConfig> {
  const { path, raw } = readRawConfig(file);
  const root = dirname(path);
  const input = configInput(raw, overrides);
  const cache = typeof BUILD === 'string' ? cachePlace(root, input, BUILD, version) : null;
  const hit = cache === null ? null : readCache(cache);
  if (hit !== null)
    return { rc: Object.freeze({ ...settleConfig(hit, root, path), file: path }), remember: null };
  const { resolveConfig } = await import('./load-config.js');
  const rc = Object.freeze({ ...resolveConfig(raw, root, overrides, path), file: path });
  return { rc, remember: cache === null ? null : () => writeCache(cache, rc.config) };
}

interface CachePlace {
  readonly file: string;
  readonly key: string;
}

/**
 * In the state folder the configuration names (before validation: a value the schema would
 * refuse names no cache, and the schema says why), under a key of everything validation reads.
 */
function cachePlace(
  root: string,
  input: unknown,
  build: string,
  version: string,
): CachePlace | null {
  const paths = (input as { paths?: { state?: unknown } } | null)?.paths;
  const state = paths?.state ?? DEFAULT_STATE;
  if (typeof state !== 'string' || state === '') return null;
  const key = sha256(JSON.stringify([build, version, input]));
  return { file: join(resolve(root, state), CONFIG_CACHE), key };
}

const checkOf = (key: string, config: unknown): string =>
  sha256(`${key}\n${JSON.stringify(config)}`);

function readCache(place: CachePlace): Config | null {
  try {
    const saved = JSON.parse(readRegular(place.file, true).toString('utf8')) as {
      key?: unknown;
      check?: unknown;
      config?: unknown;
    };
    if (saved.key !== place.key || typeof saved.config !== 'object' || saved.config === null)
      return null;
    return saved.check === checkOf(place.key, saved.config) ? (saved.config as Config) : null;
  } catch {
    return null;
  }
}

/** Best effort: a cache that cannot be written is validated again next time. */
function writeCache(place: CachePlace, config: Config): void {
  if (!existsSync(dirname(place.file))) return;
  try {
    const check = checkOf(place.key, config);
    writeFileAtomic(place.file, `${JSON.stringify({ key: place.key, check, config })}\n`);
  } catch {
    // a full disk or a read-only state folder: the next run validates again
  }
}

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');
