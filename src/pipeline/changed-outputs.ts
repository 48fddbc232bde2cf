import { join, relative } from 'node:path';
import type { ResolvedConfig } from '../config/load-config.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';
import { pagePlaceOf } from '../render/page-paths.js';
import type { MissingOutput } from '../validate/outputs-due.js';
import { readGateRecord } from './read-gate-record.js';

/**
 * The I/O of the guard on what the changed records need (validate/outputs-due.ts): the page
 * file of a changed record, from its URL read on the gate's path. null when it gets no page:
 * on another host, or a URL the renderer reported as unusable (PAGE_URL_UNUSABLE, among
 * `warnings`). A record that does not read gets none here: it is reported where it is read.
 */
export function pageFileOf(
  rc: ResolvedConfig,
  path: string,
  warnings: readonly Issue[],
  unwritten?: ReadonlyMap<string, ArchiveRecord>,
): string | null {
  const { paths, root, config } = rc;
  const shown = relative(root, join(paths.records, path));
  if (warnings.some((w) => w.code === 'PAGE_URL_UNUSABLE' && w.file === shown)) return null;
  const pending = unwritten?.get(path);
  const read = pending ? { record: pending } : readGateRecord(paths.records, path, root);
  if (!('record' in read)) return null;
  const place = pagePlaceOf(read.record.url, config.site.baseUrl);
  return place.kind === 'page' ? place.file : null;
}

/** An output a record changed this run needs, that the run did not render. */
export const notRenderedIssue = (file: string, m: MissingOutput, rc: ResolvedConfig): Issue =>
  issue(
    'OUTPUT_NOT_RENDERED',
    'error',
    file,
    `was not rendered, though ${relative(rc.root, join(rc.paths.records, m.record))} was ${m.what} this run: the published file would stay as it was, unproven and stale.`,
    'This is a bug in feedkeeper (its planner, src/pipeline/render-pages.ts or src/history/render-archive.ts): report it with this message. Nothing was published; feedkeeper build --full renders and proves every output.',
    '(not rendered)',
  );

/** An archive document a record changed this run took out of the chain, that the run left in out/. */
export const notRemovedIssue = (file: string, m: MissingOutput, rc: ResolvedConfig): Issue =>
  issue(
    'OUTPUT_NOT_REMOVED',
    'error',
    file,
    `would stay published, though ${relative(rc.root, join(rc.paths.records, m.record))} was ${m.what} this run and its part has no live record left: a document of no entries that readers refuse, and that no other document links.`,
    'This is a bug in feedkeeper (its planner, src/history/render-archive.ts): report it with this message. Nothing was published; feedkeeper build --full renders and proves every output.',
    '(not removed)',
  );
