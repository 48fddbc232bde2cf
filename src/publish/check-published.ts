import { statSync } from 'node:fs';
import { join } from 'node:path';
import { docUntouched, loadHistoryState } from '../history/history-state.js';
import { readOutput } from '../io/read-output.js';
import { issue, type Issue } from '../model/issue.js';
import { archiveOutputs, OUTPUTS } from '../model/outputs.js';
import { loadPageState } from '../pipeline/page-state.js';
import { loadPublishState } from '../pipeline/publish-state.js';
import { FRONT_PAGE, monthFile } from '../render/page-paths.js';
import { loadHashes } from './precompress.js';
import { copiesWrong } from './prove-copies.js';
import { sha256Of } from './publish-files.js';

/**
 * `check` on what the gate's proofs of the feeds and archive documents do not read: each page
 * the last publication left (the page state: every record's page, the month pages, the front
 * page) must be in out/ with the bytes it published (their sha256, recorded for `serve`'s
 * ETags), and every published file's `.gz` and `.br` copies must be there and decode to its
 * bytes: most readers get the copy, not the file (found by an outside try: a copy deleted by
 * hand under out/archive/<month>/ went unnoticed by check and by every build). Reads every
 * page and copy once: `check` is the audit, never a run with nothing to do.
 */
export function publishedProblems(
  outDir: string,
  stateDir: string,
  shown: (file: string) => string,
): Issue[] {
  const problems: Issue[] = [];
  const pages = loadPageState(stateDir);
  const pageFiles = new Set<string>();
  if (pages !== null) {
    pageFiles.add(FRONT_PAGE);
    for (const [, file] of pages.records.all().values()) if (file !== '') pageFiles.add(file);
    for (const name of pages.parts.keys()) pageFiles.add(monthFile(name));
  }
  const hashes = pageFiles.size === 0 ? null : loadHashes(stateDir).rows;
  /**
   * The files whose copies are looked at: those that are as published. A file changed or cut
   * is said of itself (here, or by the feeds' and documents' proofs); its copies, made of the
   * published bytes, would only repeat it.
   */
  const asPublished: string[] = [];
  for (const file of [...pageFiles].sort()) {
    let bytes: Buffer;
    try {
      bytes = readOutput(join(outDir, file));
    } catch {
      problems.push(pageMissing(shown(file)));
      continue;
    }
    // A recorded hash is evidence while the file keeps the size and mtime recorded with it, as
    // `serve` trusts it for ETags: a page put in place by a publication that was then stopped
    // (and completed by the next build) is the proven page of that run, not yet in the table.
    const known = hashes?.get(file);
    const s = known === undefined ? undefined : statSync(join(outDir, file));
    if (
      known !== undefined &&
      s?.size === known.size &&
      s.mtimeMs === known.mtimeMs &&
      sha256Of(bytes) !== known.sha256
    )
      problems.push(pageChanged(shown(file), bytes.length, known.size));
    else asPublished.push(file);
  }
  const feeds = loadPublishState(stateDir)?.files ?? {};
  for (const { file } of OUTPUTS) {
    const sha = feeds[file]?.sha256;
    try {
      if (sha !== undefined && sha256Of(readOutput(join(outDir, file))) === sha)
        asPublished.push(file);
    } catch {
      // Missing or not a regular file: said by check's proofs (FEED_MISSING).
    }
  }
  const history = loadHistoryState(stateDir);
  for (const name of Object.keys(history?.docs ?? {}).sort())
    if (docUntouched(history, outDir, name))
      for (const row of archiveOutputs(name)) asPublished.push(row.file);
  for (const file of asPublished) {
    const wrong = copiesWrong(outDir, file);
    if (wrong !== null) problems.push(copyWrong(shown(file), wrong));
  }
  return problems;
}

const pageMissing = (file: string): Issue =>
  issue(
    'PAGE_MISSING',
    'error',
    file,
    'is missing: the last publication left a page here.',
    'Run feedkeeper build: it renders the page again and proves it.',
    '(file)',
  );

const pageChanged = (file: string, size: number, published: number): Issue =>
  issue(
    'PAGE_NOT_AS_PUBLISHED',
    'error',
    file,
    `is not the page build last published (${size} bytes here, ${published} published; its sha256 differs, its time stamp the same): it was changed after publishing, its time stamp set back.`,
    'Run feedkeeper build --full: it renders every page again and puts the proven bytes back.',
    '(file)',
  );

const copyWrong = (file: string, why: string): Issue =>
  issue(
    'COPY_NOT_AS_PUBLISHED',
    'error',
    file,
    `is published, but ${why}: readers whose client asks for that encoding (most do) get what is there.`,
    'Run feedkeeper build: a copy deleted is made again; one cut or edited in place (its folder unchanged) is made again by feedkeeper build --full.',
    '(copy)',
  );
