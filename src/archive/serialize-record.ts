import type { ArchiveRecord, Revision } from '../model/record.js';
import { contentOf } from './content-of.js';

/**
 * A record's bytes: fixed key order (the order of model/record.ts), 2-space indent, trailing
 * newline. The same record always gives the same bytes, so an unchanged record is never
 * rewritten and diffs of the archive read well.
 */
export function serializeRecord(r: ArchiveRecord): string {
  const ordered = {
    schemaVersion: r.schemaVersion,
    id: r.id,
    slug: r.slug,
    ...contentOf(r, r.url),
    publishedAt: r.publishedAt,
    // Only in records that know it: the bytes of older records stay as they were.
    ...(r.publishedFrom !== undefined ? { publishedFrom: r.publishedFrom } : {}),
    updatedAt: r.updatedAt,
    withdrawnAt: r.withdrawnAt,
    // Only once the record was restored: the bytes of every other record stay as they were.
    ...(r.restoredAt !== undefined ? { restoredAt: r.restoredAt } : {}),
    wordCount: r.wordCount,
    input: { path: r.input.path, sha256: r.input.sha256, bytes: r.input.bytes },
    revisions: r.revisions.map(revision),
  };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

function revision(r: Revision) {
  return {
    ...contentOf(r, r.url),
    updatedAt: r.updatedAt,
    wordCount: r.wordCount,
    input: { path: r.input.path, sha256: r.input.sha256, bytes: r.input.bytes },
  };
}
