import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { CONFIG_FILE, ConfigError } from './config-error.js';
import { firstDuplicateKey } from './duplicate-keys.js';

/** Values given on the command line that take the place of the file's. */
export interface ConfigOverrides {
  readonly cron?: string | undefined;
  readonly timezone?: string | undefined;
}

/** Far above any configuration (they are under 2 KB), far below what would hurt to read. */
const MAX_CONFIG_BYTES = 1024 * 1024;

/** The configuration file as JSON, before validation; ConfigError if unreadable or not JSON. */
export function readRawConfig(file: string): { path: string; raw: unknown } {
  const path = resolve(file);
  const hint = `hint: create ${CONFIG_FILE} in the folder you run feedkeeper from (or pass --config FILE); the README lists every key, e.g. {"site": {"title": "My News", "baseUrl": "https://news.example.org", "author": {"name": "My Newsroom"}}}`;
  // Only a regular file of a sensible size is read: `--config /dev/zero` read forever, growing
  // by 100 MB a second, and a FIFO would wait for a writer.
  const s = statSync(path, { throwIfNoEntry: false });
  if (s?.isDirectory())
    throw new ConfigError([`config: ${path} is a folder, not a configuration file.`, hint]);
  if (s !== undefined && !s.isFile())
    throw new ConfigError([
      `config: ${path} is not a regular file (a device, a FIFO or a socket).`,
      hint,
    ]);
  if (s !== undefined && s.size > MAX_CONFIG_BYTES)
    throw new ConfigError([
      `config: ${path} is ${s.size} bytes, over ${MAX_CONFIG_BYTES}; a configuration is a few hundred bytes.`,
      hint,
    ]);
  let bytes: Buffer;
  try {
    bytes = readFileSync(path);
  } catch {
    throw new ConfigError([`config: cannot read ${path}.`, hint]);
  }
  // Editors on Windows save UTF-16, or UTF-8 with a byte-order mark: JSON.parse saw an
  // invisible first character and the hint spoke of quotes and commas (an outside try).
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ConfigError([
      `config: ${path} is UTF-16 text; feedkeeper reads its configuration as UTF-8.`,
      'hint: save it again as UTF-8 (in Notepad: Save as, Encoding: UTF-8).',
    ]);
  // A UTF-8 byte-order mark carries no meaning (RFC 8259 section 8.1 lets a parser ignore it).
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  let raw: unknown;
  try {
    raw = JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConfigError([
      `config: ${path} is not valid JSON (${(error as Error).message}).`,
      'hint: fix the JSON syntax (double quotes around keys and strings, no trailing commas).',
    ]);
  }
  const twice = firstDuplicateKey(text, new Set([COMMENT_KEY]));
  if (twice !== null)
    throw new ConfigError([
      `config: ${path} gives the key "${twice.path}" twice (lines ${twice.firstLine} and ${twice.secondLine}); JSON keeps only the last, so the first would be ignored without a word.`,
      `hint: keep the value you mean and remove the other "${twice.path.slice(twice.path.lastIndexOf('.') + 1)}" line.`,
    ]);
  return { path, raw };
}

/**
 * JSON has no comments, so a note in the configuration is a `"$comment"` key, in any object
 * (the JSON Schema keyword for notes to readers, draft 2019-09 section 8.3): dropped before
 * validation, so it is neither an unknown key nor part of the fingerprint (editing a note
 * renders nothing again). `feedkeeper init` writes one per section.
 */
export const COMMENT_KEY = '$comment';

/** What is validated: the file's JSON without its notes, with the command line's values. */
export const configInput = (raw: unknown, overrides: ConfigOverrides): unknown =>
  applyOverrides(withoutComments(raw), overrides);

function withoutComments(raw: unknown): unknown {
  if (Array.isArray(raw)) return raw.map(withoutComments);
  if (typeof raw !== 'object' || raw === null) return raw;
  return Object.fromEntries(
    Object.entries(raw)
      .filter(([k]) => k !== COMMENT_KEY)
      .map(([k, v]) => [k, withoutComments(v)]),
  );
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
