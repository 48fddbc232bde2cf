import { lstatSync, type Stats } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { join, relative, sep } from 'node:path';
import type { ResolvedConfig } from '../config/load-config.js';
import { ARTICLE, walkArticles, type ListedArticle } from '../ingest/list-articles.js';
import { formatUtcSecond } from '../normalize/dates.js';
import { normalizeArticle } from '../normalize/normalize-article.js';
import { prepareArticle } from '../pipeline/examine-article.js';
import type { ScheduledRecord } from '../pipeline/publish-state.js';
import type { Peeked } from './wake.js';

/**
 * What the `schedule` service reads of the stored articles its watch saw change, between two
 * builds, to know when the next embargo ends (schedule/wake.ts): an embargo set or moved after
 * the last build would otherwise be learned only by the next cron tick's build, up to one
 * interval late. Each changed file is read and dated exactly as a build reads and dates it
 * (pipeline/examine-article.ts, prepareArticle), so the two cannot disagree on a date; nothing
 * is written, and the build that follows still scans everything. Loaded by the service only
 * when an article changes (it brings the normalizer): an idle tick never gets here.
 */

/** A stored article's name in records and reports: relative to the configuration's folder. */
export const articleNameOf = (config: ResolvedConfig, abs: string): string =>
  relative(config.root, abs).split(sep).join('/');

/** The articles at `abs` (a file, or a folder moved in) as the scan would list them; null: gone. */
export function listChanged(config: ResolvedConfig, abs: string): ListedArticle[] | null {
  let s: Stats;
  try {
    s = lstatSync(abs);
  } catch {
    return null;
  }
  if (s.isDirectory()) {
    try {
      return [...walkArticles(abs, config.root).articles()];
    } catch {
      return []; // unreadable: the build reports it
    }
  }
  const inside = relative(config.paths.articles, abs).split(sep);
  // Hidden files (an editor's swap file, our temp files) and other names are not articles; a
  // link is left to the build, which knows where it may lead.
  if (!s.isFile() || inside.some((p) => p.startsWith('.')) || !ARTICLE.test(abs)) return [];
  return [
    {
      path: articleNameOf(config, abs),
      absPath: abs,
      stat: { size: s.size, mtimeMs: s.mtimeMs, ctimeMs: s.ctimeMs, ino: s.ino },
    },
  ];
}

/** What a build run at `nowMs` would make of the listed article's publication date. */
export function peekArticle(config: ResolvedConfig, l: ListedArticle, nowMs: number): Peeked {
  const now = formatUtcSecond(nowMs);
  const p = prepareArticle(l, undefined, {
    maxBytes: config.config.limits.maxArticleBytes,
    normalize: normalizeArticle,
    normalizeOptions: { defaultLanguage: config.config.site.language },
    recheck: true,
    dates: { sources: config.config.dates.sources, now },
  });
  if (p.kind === 'prepared')
    return { kind: 'dated', publishedAt: p.arriving.article.publishedAt ?? now };
  // A draft holds no record: one it held is withdrawn, and nothing of it is released.
  if (p.kind === 'draft') return { kind: 'gone' };
  return { kind: 'unknown' };
}

/**
 * Which stored article each record under embargo was made from (its record file's
 * `input.path`), so that a change to that article can replace the record's due time. A record
 * that cannot be read keeps its due time (its wake-up may build for nothing, never too late).
 */
export function inputsOfScheduled(
  recordsDir: string,
  scheduled: readonly ScheduledRecord[],
): Map<string, string> {
  const inputs = new Map<string, string>();
  for (const s of scheduled) {
    try {
      const r = JSON.parse(readRegular(join(recordsDir, s.record), true).toString('utf8')) as {
        input?: { path?: unknown };
      };
      if (typeof r.input?.path === 'string') inputs.set(r.input.path, s.record);
    } catch {
      // unreadable or being replaced: its due time stands
    }
  }
  return inputs;
}
