import { statSync } from 'node:fs';
import type { ResolvedConfig } from '../config/load-config.js';
import { formatUtcSecond } from '../normalize/dates.js';

/**
 * The date of a feed with nothing in it yet (an archive with no record): when the site was
 * configured, the configuration file's modification time, in whole seconds. Never 1970, which
 * readers show as a feed abandoned half a century ago; null only without a configuration file.
 */
export function siteSince(rc: ResolvedConfig): string | null {
  if (rc.file === null) return null;
  const s = statSync(rc.file, { throwIfNoEntry: false });
  return s ? formatUtcSecond(s.mtimeMs) : null;
}
