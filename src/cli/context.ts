import { loadConfig, type ConfigOverrides } from '../config/load-config.js';
import type { RunContext } from '../pipeline/context.js';
import { readVersion } from '../version.js';
import { configFileOf } from './open-context.js';

/** The real context: configuration from `--config` (or $FEEDKEEPER_CONFIG, or ./feedkeeper.config.json), the real clock. */
export function cliContext(
  configFlag: string | undefined,
  overrides: ConfigOverrides = {},
): RunContext {
  return {
    config: loadConfig(configFileOf(configFlag), overrides),
    now: () => new Date(),
    version: readVersion(),
  };
}
