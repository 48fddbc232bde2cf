import { CONFIG_FILE, loadConfig, type ConfigOverrides } from '../config/load-config.js';
import type { RunContext } from '../pipeline/context.js';
import { readVersion } from '../version.js';

/** The real context: configuration from `--config` (or $FEEDKEEPER_CONFIG, or ./feedkeeper.config.json), the real clock. */
export function cliContext(
  configFlag: string | undefined,
  overrides: ConfigOverrides = {},
): RunContext {
  const file = configFlag ?? (process.env['FEEDKEEPER_CONFIG'] || CONFIG_FILE);
  return { config: loadConfig(file, overrides), now: () => new Date(), version: readVersion() };
}
