import { resolve } from 'node:path';
import type { ResolvedConfig } from '../config/load-config.js';
import { extensionIgnored } from '../ingest/list-articles.js';
import type { Listing } from '../ingest/listing.js';
import type { Issue } from '../model/issue.js';

/**
 * What the listing of the articles folder says by itself, on every run (a quiet one too): each
 * file not read for its name (ARTICLE_EXTENSION_IGNORED), but the configuration file when the
 * articles folder is its folder. `build` and `check` report the same (check did not: a `.text`
 * story went unnoticed by an operator who checks rather than builds).
 */
export const ignoredFiles = (listing: Listing, rc: ResolvedConfig): Issue[] =>
  listing.ignored.filter((f) => resolve(rc.root, f) !== rc.file).map(extensionIgnored);
