import { join, relative } from 'node:path';
import type { ResolvedConfig } from '../config/load-config.js';
import { readOutput } from '../io/read-output.js';
import { issue, type Issue } from '../model/issue.js';
import { archiveOutputs, pageRow, type RenderedFile } from '../model/outputs.js';
import type { ArchiveRecord } from '../model/record.js';
import { pagePlaceOf } from '../render/page-paths.js';
import type { OutputAround } from '../validate/outputs-around.js';
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

/**
 * The outputs beside what changed (validate/outputs-around.ts) that this run did not render:
 * each one's published files are read from out/ and proven as a rendered one would be, on the
 * records read again. A planner may rightly skip one whose bytes did not move (a neighbour's
 * link that stayed the same); one that is missing or no longer what the records say was left
 * stale, and the run is refused.
 */
export function staleAround(
  rc: ResolvedConfig,
  around: readonly OutputAround[],
  rendered: { readonly pages: ReadonlyMap<string, unknown>; readonly docs: ReadonlySet<string> },
  prove: {
    /** A month page's issues (file under out/). */
    readonly page: (file: string, text: string) => Issue[];
    /** An archive document's issues, its three files. */
    readonly documents: (part: string, files: readonly RenderedFile[]) => Issue[];
  },
): Issue[] {
  const shown = (file: string): string => relative(rc.root, join(rc.paths.out, file));
  const issues: Issue[] = [];
  for (const o of around) {
    const rows =
      o.kind === 'page' ? [pageRow(`archive/${o.part}/index.html`)] : archiveOutputs(o.part);
    if (
      o.kind === 'page' ? rows.some((r) => rendered.pages.has(r.file)) : rendered.docs.has(o.part)
    )
      continue;
    const files: RenderedFile[] = [];
    let missing: string | null = null;
    for (const row of rows)
      try {
        files.push({ row, text: readOutput(join(rc.paths.out, row.file)).toString('utf8') });
      } catch {
        missing ??= row.file;
      }
    const first = files[0];
    const wrong =
      missing !== null || first === undefined
        ? { file: shown(missing ?? rows[0]?.file ?? ''), message: 'it is not in out/' }
        : (o.kind === 'page'
            ? prove.page(first.row.file, first.text)
            : prove.documents(o.part, files))[0];
    if (wrong !== undefined) issues.push(staleIssue(wrong.file, o, rc, wrong.message));
  }
  return issues;
}

/** An output beside what changed, not rendered, whose published file is not what it should be. */
const staleIssue = (file: string, o: OutputAround, rc: ResolvedConfig, wrong: string): Issue =>
  issue(
    'OUTPUT_STALE',
    'error',
    file,
    `was not rendered, though ${relative(rc.root, join(rc.paths.records, o.record))} changed this run and ${o.why}; the published file is stale: ${wrong.replace(/\.$/, '')}.`,
    'This is a bug in feedkeeper (its planner, src/pipeline/render-pages.ts or src/history/render-archive.ts), unless the file was edited in out/: report it with this message. Nothing was published; feedkeeper build --full renders and proves every output.',
    '(not rendered)',
  );
