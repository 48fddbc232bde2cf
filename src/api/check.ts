import type { RecordEntry } from '../archive/catalogue.js';
import { readOutput } from '../io/read-output.js';
import { join, relative } from 'node:path';
import { catalogueFiles, loadCatalogue, loadRecordIndex } from '../archive/catalogue-file.js';
import { rebuildCatalogue } from '../archive/rebuild-catalogue.js';
import { cliContext } from '../cli/context.js';
import type { RunContext } from '../pipeline/context.js';
import { checkArchive } from '../history/check-archive.js';
import { loadHistoryState, statDoc } from '../history/history-state.js';
import { hasErrors, issue, type Issue } from '../model/issue.js';
import { walkArticles } from '../ingest/list-articles.js';
import { ignoredFiles } from '../pipeline/articles-folder.js';
import { publishedProblems } from '../publish/check-published.js';
import { OUTPUTS, type RenderedFile } from '../model/outputs.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { proveOutputs } from '../pipeline/prove-outputs.js';
import {
  isPublishInterrupted,
  isPublishPending,
  loadPublishState,
  type PublishedFile,
} from '../pipeline/publish-state.js';
import { chooseEntries } from '../pipeline/choose-entries.js';
import { Unpublishable } from '../pipeline/unpublishable.js';
import { sha256Of } from '../publish/publish-files.js';
import { JSON_SCHEMA_VERSION } from './schema-version.js';
import { appendAll } from '../model/append-all.js';
import { unpublishedReason } from '../cli/last-failure.js';
import { lastRun } from '../schedule/run-log.js';
import { releaseOf, visibleRows } from '../pipeline/embargo.js';
import { embargoedAt, embargoLeak } from '../validate/embargo-leak.js';
import { clockBehind, clockBehindIssue } from '../pipeline/clock-behind.js';

export interface CheckOptions {
  /** The configuration file: default $FEEDKEEPER_CONFIG, else ./feedkeeper.config.json. */
  readonly config?: string;
}

/** The `--json` report of `feedkeeper check` (docs/reference.md, "--json"). */
export interface CheckResult {
  readonly schemaVersion: typeof JSON_SCHEMA_VERSION;
  readonly command: 'check';
  /**
   * The published files are well-formed, follow their specs and say what the archive says (a
   * warning about the articles folder among `problems`, such as ARTICLE_EXTENSION_IGNORED,
   * leaves it true).
   */
  readonly ok: boolean;
  readonly entries: number;
  /** The months (or parts of a month) of the RFC 5005 chain proven with them: three documents each. */
  readonly archiveDocuments: number;
  /** The published files checked, relative to the configuration folder. */
  readonly files: string[];
  readonly problems: Issue[];
}

/**
 * Prove the files in out/ against the archive records, as build does before it publishes,
 * writing nothing. Throws ConfigError for a bad configuration.
 */
export const check = (options: CheckOptions = {}): Promise<CheckResult> =>
  checkWith(cliContext(options.config));

/** `check` with a context of one's own (its clock: tests). */
export function checkWith(ctx: RunContext): Promise<CheckResult> {
  const { config } = ctx;
  const { paths, root } = config;
  const shown = (file: string): string => relative(root, join(paths.out, file));
  const catFiles = catalogueFiles(paths.state, paths.records);
  let cat = loadCatalogue(catFiles);
  if (cat === null || !loadRecordIndex(catFiles, cat)) cat = rebuildCatalogue(paths.records, root);

  // What a build says of the articles folder on every run, said here too (warnings: they do
  // not make out/ wrong, so they do not fail the check); the stored articles' own problems
  // (a FIFO, a name that is not UTF-8) are errors, as in a build. Then what out/ holds beside
  // the feeds: the pages and the copies (below).
  const listing = walkArticles(paths.articles, root);
  const folder = [
    ...ignoredFiles(listing, config),
    ...listing.articles().flatMap((a) => (a.problem ? [a.problem] : [])),
  ];
  const files: RenderedFile[] = [];
  const problems: Issue[] = [];
  const published = loadPublishState(paths.state);
  const interrupted = isPublishInterrupted(paths.state);
  // The pages and every copy, against the last publication (a publication stopped between
  // its renames has files of two runs in out/: said below, and the next build completes it).
  if (!interrupted) appendAll(folder, publishedProblems(paths.out, paths.state, shown));
  for (const row of OUTPUTS) {
    let bytes: Buffer;
    try {
      bytes = readOutput(join(paths.out, row.file));
    } catch (error) {
      problems.push(missing(shown(row.file), error));
      continue;
    }
    files.push({ row, text: bytes.toString('utf8') });
    const last = published?.files[row.file];
    if (typeof last?.sha256 === 'string' && sha256Of(bytes) !== last.sha256)
      problems.push(notAsPublished(shown(row.file), bytes.length, last, interrupted));
  }
  // A run changed the archive and did not publish (a full disk, a refusal, a kill), and out/
  // holds exactly the bytes last published, which the gate proved then: they are behind the
  // archive, not wrong. Said once, with what happened, rather than as a round-trip mismatch
  // per feed that reads like a feedkeeper bug.
  const asPublished =
    published !== null &&
    files.length === OUTPUTS.length &&
    problems.length === 0 &&
    OUTPUTS.every((row) => typeof published.files[row.file]?.sha256 === 'string');
  // out/ is exactly the last publication, proven when it was made, and that is why it is
  // behind: a publication stopped between its renames (a kill, out/ made read-only; files of
  // the stopped run, archive documents and pages, may stand beside the feeds), a run that
  // changed the archive and did not publish, or embargoes that came due since (the next build
  // or the service's wake-up releases them). Said once, not as a round-trip mismatch per feed
  // that reads like a feedkeeper bug.
  const clock = formatUtcSecond(ctx.now().getTime());
  const first = shown(OUTPUTS[0]!.file);
  const lastPublication = !asPublished
    ? null
    : interrupted
      ? behind(
          first,
          'a publication was stopped between its renames, so out/ may hold files of that run (archive documents, pages) beside these',
          'Fix what stopped it (permissions, free space: the build said which file), then run feedkeeper build: it completes the publication first thing.',
        )
      : isPublishPending(paths.state)
        ? behind(first, unpublishedReason(lastRun(paths.state)))
        : embargoesDue(first, cat.records, published.clock, clock);
  // Said instead of proving out/ against an archive it is known to be behind.
  const behindOnly = (said: Issue[]): Promise<CheckResult> =>
    Promise.resolve({
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'check',
      ok: false,
      entries: published?.entries.length ?? 0,
      archiveDocuments: 0,
      files: OUTPUTS.map((o) => shown(o.file)),
      problems: [...folder, ...said],
    });
  // The archive documents are not proven then either (they too are of the last publication):
  // each must still be the file it published (history.json: size and mtime), or it is said;
  // after an interrupted publication they may be the stopped run's, which the answer says.
  if (lastPublication !== null)
    return behindOnly([
      ...(interrupted ? [] : docsNotAsPublished(paths.out, paths.state, shown)),
      lastPublication,
    ]);
  // Embargoes end by the clock; by the last publication's, when this one went back behind it
  // and would put published records back under embargo (pipeline/clock-behind.ts): out/ is
  // proven as it was published, and the clock is the one problem reported.
  const wentBack = clockBehind(cat.records, published, clock);
  if (wentBack !== null) problems.push(clockBehindIssue(wentBack, clock, shown('.'), false));
  const now = wentBack?.clock ?? clock;
  // The records build leaves out of the feeds (unreadable, or a value feeds cannot carry) are
  // left out here too, and reported: the feeds are right without them.
  const chosen = chooseEntries(
    cat,
    config.config.feed.size,
    paths.records,
    root,
    undefined,
    now,
    'report',
  );
  appendAll(problems, chosen.issues);
  // And so are the others that cannot be published (pipeline/unpublishable.ts): build leaves
  // them out of the archive documents and the pages too. Every archive document is proven
  // below, so every record is judged (as `build --full` does).
  const judge = new Unpublishable(cat, paths.records, root, undefined, chosen.leftOut, 'report');
  const listed = new Set(chosen.listed);
  for (const [p, r] of cat.records) if (r.publishedAt <= now && !listed.has(p)) judge.judge(p);
  appendAll(problems, judge.issues);
  // Records changed by hand since the last build, in what decides where they go: out/ as
  // published is behind them, not wrong, and proving it against them would call every
  // difference a feedkeeper bug. Said per record, with the build that publishes them.
  if (asPublished && problems.some((i) => i.code === 'CATALOGUE_BEHIND_RECORD'))
    return behindOnly(problems);
  // Unreadable files the catalogue indexes no record for (found by a rebuild): build reports
  // them on every run, and so does check.
  for (const [p, i] of cat.corrupt) if (!cat.records.has(p)) problems.push(i);
  const leftOut = judge.leftOut;
  const proven = proveOutputs(config, cat, chosen.listed, files, undefined, now, leftOut);
  appendAll(problems, proven.issues);
  // Nothing under embargo at the clock published with (validate/embargo-leak.ts).
  const embargoed = embargoedAt(cat.records, now);
  for (const f of embargoed.length === 0 ? [] : files) {
    const leak = embargoLeak(shown(f.row.file), f.text, embargoed);
    if (leak !== null) problems.push(leak);
  }
  // The RFC 5005 archive documents (out/archive/), without records under embargo.
  // (What build renders them from: wasPublished, so a record withdrawn before its embargo
  // ended, never published, is in none of them either.)
  const rows = visibleRows(cat.records, now, leftOut);
  const visible = rows === cat.records ? cat : { ...cat, records: new Map(rows) };
  const archive = checkArchive(config, visible);
  // A corrupt record is read by the subscription and the archive proofs: report it once.
  const seen = new Set(problems.map((i) => JSON.stringify(i)));
  appendAll(
    problems,
    archive.issues.filter((i) => !seen.has(JSON.stringify(i))),
  );
  return Promise.resolve({
    schemaVersion: JSON_SCHEMA_VERSION,
    command: 'check',
    ok: problems.length === 0 && !hasErrors(folder),
    entries: proven.entries,
    archiveDocuments: archive.documents,
    files: OUTPUTS.map((o) => shown(o.file)),
    problems: [...folder, ...problems],
  });
}

/**
 * The archive documents in out/ that are not the files the last publication left there (their
 * size or mtime differs from history.json's, or they are gone): a check that answers "out/ is
 * the last publication" without proving them must still find one changed by hand (found by an
 * outside try: a forged archive document was answered "Nothing is wrong with out/").
 */
function docsNotAsPublished(
  outDir: string,
  stateDir: string,
  shown: (file: string) => string,
): Issue[] {
  const out: Issue[] = [];
  for (const [name, doc] of Object.entries(loadHistoryState(stateDir)?.docs ?? {})) {
    const now = statDoc(outDir, name);
    for (const [file, was] of Object.entries(doc.files)) {
      const is = now[file];
      if (is !== undefined && is.size === was.size && is.mtimeMs === was.mtimeMs) continue;
      out.push(
        issue(
          'FEED_NOT_AS_PUBLISHED',
          'error',
          shown(file),
          is === undefined
            ? 'is missing: the last publication left an archive document here.'
            : `is not the archive document build last published (${is.size} bytes here, ${was.size} published, modified ${new Date(is.mtimeMs).toISOString()}): it was changed after publishing.`,
          'Run feedkeeper build: it renders the archive document again and proves it.',
          '(file)',
        ),
      );
    }
  }
  return out;
}

/** out/ holds the last publication, whole; the archive has changed since (see check()). */
const behind = (
  file: string,
  why: string,
  hint = 'Fix what stopped it (for a full disk: free space on the file system named, df -h), then run feedkeeper build: it publishes the archive as it is now.',
): Issue =>
  issue(
    'FEEDS_NOT_UP_TO_DATE',
    'error',
    file,
    `is, with the other subscription documents, the last publication, unchanged (proven when it was published), but the archive changed since: ${why}.${hint.startsWith('Fix') ? ' Nothing of that run was published: subscribers still get the last good feeds.' : ''}`,
    hint,
  );

/**
 * Live records whose embargo ended after `since` (the last publication's clock) and by `now`:
 * out/ is right as published, and the next build releases them. null when none (or no clock).
 */
function embargoesDue(
  file: string,
  records: ReadonlyMap<string, RecordEntry>,
  since: string | undefined,
  now: string,
): Issue | null {
  if (since === undefined) return null;
  let count = 0;
  let first: { path: string; publishedAt: string } | null = null;
  for (const [path, r] of records)
    if (!r.withdrawn && releaseOf(r.publishedAt, now, since) === 'due') {
      count++;
      if (first === null || r.publishedAt < first.publishedAt)
        first = { path, publishedAt: r.publishedAt };
    }
  if (first === null) return null;
  return behind(
    file,
    `${count === 1 ? 'an embargo' : `${count} embargoes`} came due after it was published (${since}): ${first.path} at ${first.publishedAt}`,
    `Run feedkeeper build (or let feedkeeper schedule wake up): it releases ${count === 1 ? 'it' : 'them'}. The subscription documents are as published.`,
  );
}

const missing = (file: string, error: unknown): Issue =>
  issue(
    'FEED_MISSING',
    'error',
    file,
    (error as NodeJS.ErrnoException).code === 'EINVAL' ||
      (error as NodeJS.ErrnoException).code === 'ELOOP'
      ? 'is not a regular file (a FIFO, a device, a folder or a symbolic link put there): it was not read.'
      : 'is missing.',
    'Run feedkeeper build to publish the feeds (it replaces what stands at that name).',
    '(file)',
  );

/**
 * out/ holds bytes build never published (a file cut short, edited, or left by a publication a
 * kill interrupted): the published sha256 is in `<state>/published.json`.
 */
const notAsPublished = (
  file: string,
  size: number,
  last: PublishedFile,
  interrupted: boolean,
): Issue =>
  issue(
    'FEED_NOT_AS_PUBLISHED',
    'error',
    file,
    interrupted
      ? `is not the file build last published: a publication was interrupted between its renames (a kill), so out/ may hold files of two runs.`
      : `is not the file build last published (${size} bytes here, ${last.size} published, sha256 ${last.sha256.slice(0, 12)}…): it was cut short or changed after publishing.`,
    'Run feedkeeper build: it completes or repeats the publication and puts the proven bytes back.',
    '(file)',
  );
