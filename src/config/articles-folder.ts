import { statSync } from 'node:fs';
import { relative } from 'node:path';
import { shellWord } from '../model/shell-word.js';
import { ConfigError } from './config-error.js';
import type { ResolvedConfig } from './settle-config.js';

/**
 * A run needs its articles folder. Missing, it is a configuration problem (exit 2, nothing
 * touched), not a failed run: a new site that was never set up, a wrong `paths.articles`, or a
 * build started in the wrong folder. An empty folder is fine (nothing to archive yet).
 */
export function requireArticlesFolder(rc: ResolvedConfig): void {
  const dir = rc.paths.articles;
  const s = statSync(dir, { throwIfNoEntry: false });
  if (s?.isDirectory()) return;
  const shown = relative(process.cwd(), dir) || '.';
  throw new ConfigError([
    s === undefined
      ? `config: the articles folder ${shown} (paths.articles) does not exist.`
      : `config: the articles folder ${shown} (paths.articles) is a file, not a folder.`,
    `hint: run feedkeeper init to set up a new site (it creates the folder with an example article), or create it (mkdir -p ${shellWord(shown)}) and store the articles there, or fix paths.articles in ${rc.file === null ? 'the configuration' : relative(process.cwd(), rc.file) || rc.file}; nothing was read or written.`,
  ]);
}
