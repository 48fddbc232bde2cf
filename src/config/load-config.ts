import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { z } from 'zod';
import { pathOverlaps } from './path-overlaps.js';
import { configSchema, VALUE_FIRST, type Config } from './schema.js';

export const CONFIG_FILE = 'feedkeeper.config.json';

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

/** A configuration problem: printed as is, exit code 2, nothing touched. */
export class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface ConfigOverrides {
  readonly cron?: string | undefined;
  readonly timezone?: string | undefined;
}

export function loadConfig(file: string, overrides: ConfigOverrides = {}): ResolvedConfig {
  const path = resolve(file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    throw new ConfigError([
      `config: cannot read ${path}.`,
      `hint: create ${CONFIG_FILE} in the folder you run feedkeeper from (or pass --config FILE); the README lists every key, e.g. {"site": {"title": "My News", "baseUrl": "https://news.example.org", "author": {"name": "My Newsroom"}}}`,
    ]);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new ConfigError([
      `config: ${path} is not valid JSON (${(error as Error).message}).`,
      'hint: fix the JSON syntax (double quotes around keys and strings, no trailing commas).',
    ]);
  }
  return Object.freeze({ ...resolveConfig(raw, dirname(path), overrides, path), file: path });
}

/** Pure: validate raw JSON and resolve it against `root`. */
export function resolveConfig(
  raw: unknown,
  root: string,
  overrides: ConfigOverrides = {},
  label = CONFIG_FILE,
): ResolvedConfig {
  const withOverrides = applyOverrides(withoutComments(raw), overrides);
  const parsed = configSchema.safeParse(withOverrides);
  if (!parsed.success)
    throw new ConfigError(describeIssues(parsed.error, withOverrides, label, overrides));
  const config = deepFreeze(parsed.data);
  const p = config.paths;
  const paths = Object.freeze({
    articles: resolve(root, p.articles),
    records: resolve(root, p.records),
    out: resolve(root, p.out),
    state: resolve(root, p.state),
  });
  // Folders that overlap would have feedkeeper clean or overwrite files it never wrote.
  const overlaps = pathOverlaps(p, paths, resolve(root), label);
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

/**
 * JSON has no comments, so a note in the configuration is a `"$comment"` key, in any object
 * (the JSON Schema keyword for notes to readers, draft 2019-09 section 8.3): dropped before
 * validation, so it is neither an unknown key nor part of the fingerprint (editing a note
 * renders nothing again). `feedkeeper init` writes one per section.
 */
export const COMMENT_KEY = '$comment';

function withoutComments(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(withoutComments);
  if (typeof raw !== 'object' || raw === null) return raw;
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => k !== COMMENT_KEY)
      .map(([k, v]) => [k, withoutComments(v)]),
  );
}

/** What the feeds' bytes depend on: all of it but where `serve` listens. */
function rendered(config: Config): Omit<Config, 'serve'> {
  const { serve, ...rest } = config;
  void serve;
  return rest;
}

function applyOverrides(raw: unknown, o: ConfigOverrides): unknown {
  if (o.cron === undefined && o.timezone === undefined) return raw;
  if (typeof raw !== 'object' || raw === null) return raw;
  const r = raw as Record<string, unknown>;
  const schedule = { ...((r['schedule'] as object | undefined) ?? {}) } as Record<string, unknown>;
  if (o.cron !== undefined) schedule['cron'] = o.cron;
  if (o.timezone !== undefined) schedule['timezone'] = o.timezone;
  return { ...r, schedule };
}

/** The command-line flag a value came from, if it did not come from the file. */
const FLAG_OF: Readonly<Record<string, keyof ConfigOverrides>> = {
  'schedule.cron': 'cron',
  'schedule.timezone': 'timezone',
};
const FLAG_NAME: Readonly<Record<keyof ConfigOverrides, string>> = {
  cron: '--cron',
  timezone: '--tz',
};

function describeIssues(
  error: z.ZodError,
  raw: unknown,
  label: string,
  overrides: ConfigOverrides,
): string[] {
  const lines = error.issues.map((i) => {
    const key = i.path.join('.') || '(top level)';
    if (i.code === 'unrecognized_keys') {
      return `config: ${label}: unknown key${i.keys.length > 1 ? 's' : ''} ${i.keys.map((k) => `"${[...i.path, k].join('.')}"`).join(', ')}; remove or correct ${i.keys.length > 1 ? 'them' : 'it'} (the README lists every key).`;
    }
    const got = valueAt(raw, i.path);
    if (i.code === 'custom' && i.params?.[VALUE_FIRST] === true) {
      const flag = FLAG_OF[key];
      const source = flag !== undefined && overrides[flag] !== undefined ? FLAG_NAME[flag] : label;
      return `config: ${source}: ${key}: ${JSON.stringify(got)} ${i.message}.`;
    }
    const gotText = got === undefined ? 'it is missing' : `got ${JSON.stringify(got)}`;
    return `config: ${label}: "${key}": ${i.message}; ${gotText}.`;
  });
  const fromFlags = overrides.cron !== undefined || overrides.timezone !== undefined;
  return [
    ...lines,
    fromFlags
      ? 'hint: fix it in the configuration file or on the command line (--cron, --tz); nothing was started, read or written.'
      : `hint: fix the key${lines.length > 1 ? 's' : ''} above in the configuration file; nothing was read or written.`,
  ];
}

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
