import { dirname } from 'node:path';
import type { z } from 'zod';
import { CONFIG_FILE, ConfigError } from './config-error.js';
import { configInput, readRawConfig, type ConfigOverrides } from './raw-config.js';
import { configSchema, VALUE_FIRST } from './schema.js';
import { didYouMean } from '../model/did-you-mean.js';
import { settleConfig, type ResolvedConfig } from './settle-config.js';

export { CONFIG_FILE, ConfigError } from './config-error.js';
export type { ConfigOverrides } from './raw-config.js';
export type { ResolvedConfig } from './settle-config.js';

/** Read, validate and resolve a configuration file; ConfigError says what is wrong. */
export function loadConfig(file: string, overrides: ConfigOverrides = {}): ResolvedConfig {
  const { path, raw } = readRawConfig(file);
  return Object.freeze({ ...resolveConfig(raw, dirname(path), overrides, path), file: path });
}

/** Pure: validate raw JSON and resolve it against `root`. */
export function resolveConfig(
  raw: unknown,
  root: string,
  overrides: ConfigOverrides = {},
  label = CONFIG_FILE,
): ResolvedConfig {
  const input = configInput(raw, overrides);
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) throw new ConfigError(describeIssues(parsed.error, input, label, overrides));
  return settleConfig(parsed.data, root, label);
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
      // A typo names the key it was meant for (found by an outside try: "site.titel" got only
      // "remove or correct it", where the command line answers "biuld" with a guess).
      const known = keysAt(i.path);
      const named = i.keys.map((k) => {
        const guess = didYouMean(k, known);
        const at = (name: string): string => `"${[...i.path, name].join('.')}"`;
        return guess === null ? at(k) : `${at(k)} (did you mean ${at(guess)}?)`;
      });
      return `config: ${label}: unknown key${i.keys.length > 1 ? 's' : ''} ${named.join(', ')}; remove or correct ${i.keys.length > 1 ? 'them' : 'it'} (the README lists every key).`;
    }
    const got = valueAt(raw, i.path);
    if (i.code === 'custom' && i.params?.[VALUE_FIRST] === true) {
      const flag = FLAG_OF[key];
      const source = flag !== undefined && overrides[flag] !== undefined ? FLAG_NAME[flag] : label;
      // A message that ends in a question (did you mean …?) takes no full stop after it.
      return `config: ${source}: ${key}: ${JSON.stringify(got)} ${i.message}${i.message.endsWith('?') ? '' : '.'}`;
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

/** The keys the configuration's schema knows at `path` (none where it is not an object). */
function keysAt(path: readonly PropertyKey[]): string[] {
  let s: unknown = configSchema;
  for (const segment of [...path, null]) {
    // Through .optional(), .default() and the like to the object they wrap.
    for (let i = 0; i < 8 && s !== undefined && !hasShape(s); i++)
      s = (s as { def?: { innerType?: unknown } }).def?.innerType;
    if (!hasShape(s)) return [];
    if (segment === null) return Object.keys(s.shape);
    s = s.shape[String(segment)];
  }
  return [];
}

const hasShape = (s: unknown): s is { shape: Record<string, unknown> } =>
  typeof s === 'object' && s !== null && typeof (s as { shape?: unknown }).shape === 'object';

function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = raw;
  for (const k of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}
