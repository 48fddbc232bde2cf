import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import { foldersThatAreFiles } from './folder-kinds.js';
import { pathOverlaps } from './path-overlaps.js';
import type { Config } from './schema.js';

/** paths.state when the configuration leaves it out (schema.ts; config-cache.ts reads it first). */
export const DEFAULT_STATE = '.feedkeeper';

/** The configuration as every stage sees it: validated, paths absolute, frozen. */
export interface ResolvedConfig {
  readonly config: Config;
  /** Folder of the configuration file; every relative path is taken from here. */
  readonly root: string;
  readonly paths: {
    readonly articles: string;
    readonly records: string;
    readonly out: string;
    readonly state: string;
  };
  /** sha256 of the validated configuration: a changed value means the feeds must be rendered again. */
  readonly fingerprint: string;
  /** The configuration file, when it came from one. */
  readonly file: string | null;
}

/**
 * A validated configuration (schema.ts's output, or the same read back from the cache:
 * config-cache.ts) resolved against `root`: its folders made absolute and checked against each
 * other, its fingerprint taken, all of it frozen. ConfigError if the folders overlap, or if
 * the state or records folder is a file (folder-kinds.ts).
 */
export function settleConfig(validated: Config, root: string, label: string): ResolvedConfig {
  const config = deepFreeze(validated);
  const p = config.paths;
  const paths = Object.freeze({
    articles: resolve(root, p.articles),
    records: resolve(root, p.records),
    out: resolve(root, p.out),
    state: resolve(root, p.state),
  });
  // Folders that overlap would have feedkeeper clean or overwrite files it never wrote.
  const overlaps = [
    ...pathOverlaps(p, paths, resolve(root), label),
    ...foldersThatAreFiles(p, paths, label),
  ];
  if (overlaps.length > 0)
    throw new ConfigError([
      ...overlaps,
      `hint: fix the key${overlaps.length > 1 ? 's' : ''} above in the configuration file; nothing was read or written.`,
    ]);
  return Object.freeze({
    config,
    root,
    paths,
    fingerprint: createHash('sha256')
      .update(JSON.stringify(rendered(config)))
      .digest('hex'),
    file: null,
  });
}

/** What the feeds' bytes depend on: all of it but where `serve` listens. */
function rendered(config: Config): Omit<Config, 'serve'> {
  const { serve, ...rest } = config;
  void serve;
  return rest;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
