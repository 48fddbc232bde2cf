import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { catalogueFiles, loadRecordIndex, rebuildCatalogue } from '../archive/catalogue-file.js';
import type { Catalogue } from '../archive/catalogue.js';
import { lastChange } from '../archive/last-change.js';
import { siteSince } from './site-since.js';
import type { Issue } from '../model/issue.js';
import { outputFiles } from '../model/outputs.js';
import { folderStamps, pageStateFile, savePageState } from './page-state.js';
import type { ArchiveRecord } from '../model/record.js';
import { loadEntries, selectEntries } from './select-entries.js';
import { publishFiles } from '../publish/publish-files.js';
import type { RunContext } from './context.js';
import {
  clearPublishPending,
  isPublishPending,
  loadPublishState,
  renderReason,
  savePublishState,
  statFiles,
} from './publish-state.js';
import type { FeedSummary } from './report.js';

export interface RenderResult {
  readonly summary: FeedSummary;
  readonly issues: Issue[];
  readonly written: string[];
}

/**
 * Records → every output of the table (model/outputs.ts), proven → out/. Reads only the records
 * the feeds list (the newest N; the gate reads them once more, on its own path); publishes only
 * if every check passes; writes only files whose bytes changed.
 */
export async function renderFeeds(
  ctx: RunContext,
  catalogue: Catalogue,
  recordsLoaded: boolean,
  opts: {
    dryRun: boolean;
    full: boolean;
    recordsChanged: boolean;
    fresh?: ReadonlyMap<string, ArchiveRecord>;
  },
): Promise<RenderResult> {
  const { config, paths, root } = ctx.config;
  const fingerprint = createHash('sha256')
    .update(`${ctx.config.fingerprint}\n${ctx.version}`)
    .digest('hex');
  const state = loadPublishState(paths.state);
  const reason =
    (opts.full ? 'a full build was asked for (--full)' : null) ??
    renderReason(
      state,
      fingerprint,
      opts.recordsChanged,
      statFiles(paths.out, outputFiles()),
      statFiles(paths.records, state?.entries ?? []),
    ) ??
    (isPublishPending(paths.state)
      ? 'an earlier run changed the archive but did not publish'
      : null) ??
    (existsSync(pageStateFile(paths.state)) ? null : 'the pages were never published');
  if (reason === null) {
    return {
      summary: {
        rendered: false,
        reason: 'nothing changed',
        entries: state?.entries.length ?? 0,
        written: [],
        unchanged: outputFiles(),
        published: true,
      },
      issues: [],
      written: [],
    };
  }

  let cat = catalogue;
  if (!recordsLoaded && !loadRecordIndex(catalogueFiles(paths.state), cat))
    cat = rebuildCatalogue(paths.records, root);
  const selected = selectEntries(cat, config.feed.size);
  const { records, issues } = loadEntries(selected, paths.records, root, opts.fresh);
  const failed = (why: string): RenderResult => ({
    summary: {
      rendered: true,
      reason: `${reason}; ${why}`,
      entries: selected.length,
      written: [],
      unchanged: [],
      published: false,
    },
    issues,
    written: [],
  });
  if (issues.length > 0) return failed('a listed record is unreadable, so nothing was published');

  const [{ buildFeedDocument }, { renderOutputs }, { proveOutputs }, { renderPages }] =
    await Promise.all([
      import('../render/feed-document.js'),
      import('../render/render-outputs.js'),
      import('./prove-outputs.js'),
      import('./render-pages.js'),
    ]);
  const doc = buildFeedDocument(records, ctx.config, {
    version: ctx.version,
    ttl: ttlOf(config.schedule.cron),
    changedAt: lastChange(cat.records.values()) ?? siteSince(ctx.config),
  });
  const out = (name: string): string => relative(root, join(paths.out, name));
  const rendered = renderOutputs(doc, out);
  issues.push(...rendered.issues);
  // The pages this run must write (README "Pages"), proven and published with the feeds.
  const pages = renderPages(ctx.config, cat, records, {
    full: opts.full,
    fingerprint,
    ...(opts.fresh ? { fresh: opts.fresh } : {}),
  });
  issues.push(...pages.errors);
  const files = [...rendered.files, ...pages.files];
  if (issues.length === 0)
    issues.push(
      ...proveOutputs(
        ctx.config,
        cat,
        selected,
        files,
        opts.dryRun ? opts.fresh : undefined,
        pages.plan,
      ).issues,
    );
  if (issues.length > 0)
    return failed('validation failed, so nothing was published and the previous feeds stay');
  if (opts.dryRun) {
    return {
      summary: {
        rendered: true,
        reason: `${reason} (dry run: not published)`,
        entries: records.length,
        written: [],
        unchanged: [],
        published: false,
      },
      issues,
      written: [],
    };
  }

  const result = publishFiles(
    paths.out,
    join(paths.state, 'staging'),
    new Map(files.map((f) => [f.row.file, f.text])),
  );
  const written = result.written.map(out);
  if (savePageState(paths.state, { ...pages.next, folders: folderStamps(paths.out) }))
    written.push(relative(root, pageStateFile(paths.state)));
  if (
    savePublishState(paths.state, {
      fingerprint,
      entries: selected,
      files: statFiles(paths.out, outputFiles()),
      records: statFiles(paths.records, selected),
    })
  ) {
    written.push(relative(root, join(paths.state, 'published.json')));
  }
  clearPublishPending(paths.state);
  return {
    summary: {
      rendered: true,
      reason,
      entries: records.length,
      written: result.written,
      unchanged: result.unchanged,
      published: true,
    },
    issues: [...issues, ...pages.warnings],
    written,
  };
}

/** RSS <ttl> in minutes, from a `*\/N * * * *` or `M * * * *` schedule; null otherwise. */
export function ttlOf(cron: string): number | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || f.slice(1).some((x) => x !== '*')) return null;
  const m = /^\*\/(\d+)$/.exec(f[0] ?? '');
  if (m) return Number(m[1]);
  return /^\d+$/.test(f[0] ?? '') ? 60 : null;
}
