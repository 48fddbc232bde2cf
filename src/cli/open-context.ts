import { CONFIG_FILE } from '../config/config-error.js';
import { openConfig } from '../config/config-cache.js';
import type { ConfigOverrides } from '../config/raw-config.js';
import type { RunContext } from '../pipeline/context.js';
import { readVersion } from '../version.js';

/** The configuration file a command reads: --config, else $FEEDKEEPER_CONFIG, else ./feedkeeper.config.json. */
export const configFileOf = (configFlag: string | undefined): string =>
  configFlag ?? (process.env['FEEDKEEPER_CONFIG'] || CONFIG_FILE);

/**
 * cliContext() (context.ts) for `build`, through the validated-configuration cache
 * (config/config-cache.ts): a build whose configuration and feedkeeper are those of the last
 * build does not load the schema. `remember` saves a fresh validation; call it from a run that
 * writes (never from a dry run).
 */
export async function openCliContext(
  configFlag: string | undefined,
  overrides: ConfigOverrides = {},
): Promise<{ ctx: RunContext; remember: (() => void) | null }> {
  const version = readVersion();
  const { rc, remember } = await openConfig(configFileOf(configFlag), overrides, version);
  return { ctx: { config: rc, now: () => new Date(), version }, remember };
}
