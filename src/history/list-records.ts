import type { RecordEntry, RecordMeta } from '../archive/catalogue.js';
import { byPublishedDesc } from '../model/newest-first.js';
import { releaseOf } from '../pipeline/release.js';

/** `feedkeeper archive list`: the catalogue's rows, filtered and newest first (pure). */
export interface ListFilter {
  readonly since?: string;
  readonly until?: string;
  readonly tag?: string;
  readonly section?: string;
  readonly language?: string;
  readonly status: 'published' | 'scheduled' | 'withdrawn' | 'all';
  readonly limit?: number;
  /** The clock (UTC second): a live record published after it is under embargo, 'scheduled'. */
  readonly now?: string;
  /**
   * Up to when a publication released records (publish-state.ts, releasedUpTo; default `now`):
   * a record dated after it and by `now` is due, not published yet: 'scheduled', with `due`.
   */
  readonly released?: string;
}

export interface ListedRecord {
  readonly path: string;
  readonly id: string;
  readonly slug: string;
  readonly title: string;
  readonly section: string | null;
  readonly tags: readonly string[];
  readonly language: string;
  readonly publishedAt: string;
  readonly updatedAt: string;
  readonly withdrawnAt: string | null;
  readonly status: 'published' | 'scheduled' | 'withdrawn';
  /** Only on a scheduled record whose time has come, not released by a build yet. */
  readonly due?: true;
}

/** A date alone is a whole UTC day: --until 2026-11-25 includes that day. */
const bound = (value: string, end: boolean): string =>
  /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T${end ? '23:59:59' : '00:00:00'}Z` : value;

const sameLanguage = (tag: string, wanted: string): boolean =>
  tag.toLowerCase() === wanted.toLowerCase() ||
  tag.toLowerCase().startsWith(`${wanted.toLowerCase()}-`);

export function listRecords(
  rows: Iterable<[string, RecordEntry]>,
  metaOf: (path: string, row: RecordEntry) => RecordMeta,
  f: ListFilter,
): ListedRecord[] {
  const since = f.since === undefined ? undefined : bound(f.since, false);
  const until = f.until === undefined ? undefined : bound(f.until, true);
  const out: ListedRecord[] = [];
  for (const [path, r] of rows) {
    // By the last publication, not the clock (pipeline/embargo.ts, releaseOf): a due record is
    // in no feed until the next build, so it is not listed as published.
    const release =
      r.withdrawn || f.now === undefined
        ? 'published'
        : releaseOf(r.publishedAt, f.now, f.released ?? f.now);
    const status = r.withdrawn ? 'withdrawn' : release === 'published' ? 'published' : 'scheduled';
    if (f.status !== 'all' && f.status !== status) continue;
    if (since !== undefined && r.publishedAt < since) continue;
    if (until !== undefined && r.publishedAt > until) continue;
    const m = metaOf(path, r);
    if (f.tag !== undefined && !m.tags.some((t) => t.toLowerCase() === f.tag?.toLowerCase()))
      continue;
    if (f.section !== undefined && m.section?.toLowerCase() !== f.section.toLowerCase()) continue;
    if (f.language !== undefined && !sameLanguage(m.language, f.language)) continue;
    out.push({
      path,
      id: r.id,
      slug: r.slug,
      title: m.title,
      section: m.section,
      tags: m.tags,
      language: m.language,
      publishedAt: r.publishedAt,
      updatedAt: r.updatedAt,
      withdrawnAt: r.withdrawnAt,
      status,
      ...(release === 'due' ? { due: true as const } : {}),
    });
  }
  out.sort(byPublishedDesc);
  return f.limit === undefined ? out : out.slice(0, f.limit);
}
