import type { FeedDocument } from '../model/feed.js';
import { issue, type Issue } from '../model/issue.js';
import { OUTPUTS, type FeedRow, type Format, type RenderedFile } from '../model/outputs.js';
import { renderAtom, renderJson, renderRss } from './feed-adapter.js';

/** The renderer of each format in the outputs table (model/outputs.ts). */
const RENDERERS: Readonly<Record<Format, (doc: FeedDocument) => string>> = {
  rss: renderRss,
  atom: renderAtom,
  json: renderJson,
};

/**
 * Every output of the table, rendered (pure). A renderer that throws (the adapter refuses
 * output it cannot vouch for) is a problem for that file, reported like a failed check: the run
 * then publishes nothing and the previous files stay.
 */
export function renderOutputs(
  doc: FeedDocument,
  shown: (file: string) => string,
  /** The subscription documents, or one archive document's rows (archiveOutputs). */
  rows: readonly FeedRow[] = OUTPUTS,
): { files: RenderedFile[]; issues: Issue[] } {
  const files: RenderedFile[] = [];
  const issues: Issue[] = [];
  for (const row of rows) {
    try {
      files.push({ row, text: RENDERERS[row.format](doc) });
    } catch (error) {
      issues.push(
        issue(
          'RENDER_FAILED',
          'error',
          shown(row.file),
          `could not be rendered: ${(error as Error).message}.`,
          'A feedkeeper bug: report it with this message. Nothing was published; the previous files stay.',
          '(document)',
        ),
      );
    }
  }
  return { files, issues };
}
