/** The configuration file a command reads when no --config or $FEEDKEEPER_CONFIG names one. */
export const CONFIG_FILE = 'feedkeeper.config.json';

/**
 * A configuration problem: printed as is, exit code 2, nothing touched. In a module of its own
 * so that the command line can tell it apart without loading the configuration's schema.
 */
export class ConfigError extends Error {
  constructor(readonly lines: readonly string[]) {
    super(lines.join('\n'));
    this.name = 'ConfigError';
  }
}
