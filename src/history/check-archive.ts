import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Catalogue } from '../archive/catalogue.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { PART_SIZE } from '../model/feed-history.js';
import { issue, type Issue } from '../model/issue.js';
import { archiveOutputs, type RenderedFile } from '../model/outputs.js';
import { expectedChain } from '../validate/expected-history.js';
import { proveArchiveDoc } from './prove-archive.js';

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
        files.push({ row, text: readFileSync(join(paths.out, row.file), 'utf8') });
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
    issues.push(...proveArchiveDoc(rc, chain, name, null, files));
  }
  return { issues, documents: chain.names.length };
}
