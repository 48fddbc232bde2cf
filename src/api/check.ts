import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  rebuildCatalogue,
} from '../archive/catalogue-file.js';
import { cliContext } from '../cli/context.js';
import { issue, type Issue } from '../model/issue.js';
import { OUTPUTS, type RenderedFile } from '../model/outputs.js';
import { proveOutputs } from '../pipeline/prove-outputs.js';
import { selectEntries } from '../pipeline/select-entries.js';
import { JSON_SCHEMA_VERSION } from './schema-version.js';

export interface CheckOptions {
  /** The configuration file: default $FEEDKEEPER_CONFIG, else ./feedkeeper.config.json. */
  readonly config?: string;
}

/** The `--json` report of `feedkeeper check` (README, "--json"). */
export interface CheckResult {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly command: 'check';
  /** The published files are well-formed, follow their specs and say what the archive says. */
  readonly ok: boolean;
  readonly entries: number;
  /** The published files checked, relative to the configuration folder. */
  readonly files: string[];
  readonly problems: Issue[];
}

/**
 * Prove the files in out/ against the archive records, as build does before it publishes,
 * writing nothing. Throws ConfigError for a bad configuration.
 */
export function check(options: CheckOptions = {}): Promise<CheckResult> {
  const { config } = cliContext(options.config);
  const { paths, root } = config;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const catFiles = catalogueFiles(paths.state);
  let cat = loadCatalogue(catFiles);
  if (cat === null || !loadRecordIndex(catFiles, cat)) cat = rebuildCatalogue(paths.records, root);

  const files: RenderedFile[] = [];
  const problems: Issue[] = [];
  for (const row of OUTPUTS) {
    try {
      files.push({ row, text: readFileSync(join(paths.out, row.file), 'utf8') });
    } catch {
      problems.push(missing(shown(row.file)));
    }
  }
  const proven = proveOutputs(config, cat, selectEntries(cat, config.config.feed.size), files);
  problems.push(...proven.issues);
  return Promise.resolve({
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'check',
    ok: problems.length === 0,
    entries: proven.entries,
    files: OUTPUTS.map((o) => shown(o.file)),
    problems,
  });
}

const missing = (file: string): Issue =>
  issue(
    'FEED_MISSING',
    'error',
    file,
    'is missing.',
    'Run feedkeeper build to publish the feeds.',
    '(file)',
  );
