import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import {
  catalogueFiles,
  loadCatalogue,
  loadRecordIndex,
  rebuildCatalogue,
} from '../archive/catalogue-file.js';
import { formatIssues } from './print-report.js';
import { issue, type Issue } from '../model/issue.js';
import { loadEntries, selectEntries } from '../pipeline/select-entries.js';
import { FEED_NAMES, ttlOf } from '../pipeline/render-feeds.js';
import { buildFeedDocument } from '../render/feed-document.js';
import { validateFeeds } from '../validate/validate-feeds.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';

export const usage = `feedkeeper check [--json] [--config FILE]
  Re-validate the feeds in out/ against the archive (well-formedness, spec rules, parsed
  round-trip), writing nothing. Exit code 0 if they are right, 1 if not.`;

export async function check(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean' }, config: { type: 'string' } },
  });
  const ctx = cliContext(values.config);
  const { paths, root, config } = ctx.config;
  const files = catalogueFiles(paths.state);
  let cat = loadCatalogue(files);
  if (cat === null || !loadRecordIndex(files, cat)) cat = rebuildCatalogue(paths.records, root);
  const { records, issues } = loadEntries(
    selectEntries(cat, config.feed.size),
    paths.records,
    root,
  );
  const doc = buildFeedDocument(records, ctx.config, {
    version: ctx.version,
    ttl: ttlOf(config.schedule.cron),
  });
  const shown = (name: string): string => relative(root, join(paths.out, name));
  const feeds: Record<string, string> = {};
  for (const name of FEED_NAMES) {
    try {
      feeds[name] = readFileSync(join(paths.out, name), 'utf8');
    } catch {
      issues.push(missing(shown(name)));
    }
  }
  if (Object.keys(feeds).length === FEED_NAMES.length) {
    issues.push(
      ...validateFeeds(
        doc,
        {
          rss: feeds['rss.xml'] ?? '',
          atom: feeds['atom.xml'] ?? '',
          json: feeds['feed.json'] ?? '',
        },
        { rss: shown('rss.xml'), atom: shown('atom.xml'), json: shown('feed.json') },
      ),
    );
  }
  if (values.json)
    console.log(
      JSON.stringify({ ok: issues.length === 0, entries: records.length, issues }, null, 2),
    );
  else if (issues.length === 0)
    console.log(
      `check: ${FEED_NAMES.map(shown).join(', ')} are well-formed, follow their specs and say exactly what the archive says (${records.length} entries).`,
    );
  else
    console.log(
      [
        `check: ${issues.length} problem${issues.length === 1 ? '' : 's'}:`,
        ...formatIssues(issues),
      ].join('\n'),
    );
  return issues.length === 0 ? EXIT.ok : EXIT.problems;
}

const missing = (file: string): Issue =>
  issue('FEED_MISSING', 'error', file, 'is missing.', 'Run feedkeeper build to publish the feeds.');
