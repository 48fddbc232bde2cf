import { readOutput } from '../io/read-output.js';
import { join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { PART_SIZE } from '../model/feed-history.js';
import { issue, type Issue } from '../model/issue.js';
import { archiveOutputs, type RenderedFile } from '../model/outputs.js';
import { expectedChain } from '../validate/expected-history.js';
import { proveArchiveDoc } from './prove-archive.js';
import { appendAll } from '../model/append-all.js';

/**
 * `feedkeeper check` on the archive chain: every archive document the catalogue calls for is
 * read from out/archive/ and proven like the subscription documents (one document at a time).
 */
export function checkArchive(
  rc: ResolvedConfig,
  cat: Catalogue,
): { issues: Issue[]; documents: number } {
  const { config, paths, root } = rc;
  const chain = expectedChain(cat.records, config.feed.size, config.site.baseUrl, PART_SIZE);
  const issues: Issue[] = [];
  for (const name of chain.names) {
    const files: RenderedFile[] = [];
    for (const row of archiveOutputs(name)) {
      try {
        files.push({ row, text: readOutput(join(paths.out, row.file)).toString('utf8') });
      } catch {
        issues.push(
          issue(
            'FEED_MISSING',
            'error',
            relative(root, join(paths.out, row.file)),
            'is missing: it is an archive document of the RFC 5005 chain.',
            'Run feedkeeper build to publish it.',
            '(file)',
          ),
        );
      }
    }
    appendAll(issues, proveArchiveDoc(rc, chain, name, null, files));
  }
  return { issues, documents: chain.names.length };
}
