import type { ArchiveRecord, NormalizedArticle, Revision } from '../model/record.js';

/**
 * What readers see of an article, as a fresh object in the record's key order: compared to
 * decide whether an edit is a revision (merge-record.ts), and written as is (serialize-record.ts).
 */
export function contentOf(a: NormalizedArticle | ArchiveRecord | Revision, url: string) {
  return {
    url,
    title: a.title,
    section: a.section,
    tags: [...a.tags],
    language: a.language,
    summary: a.summary,
    body: a.body.map((b) => ({ type: b.type, text: b.text })),
    source: a.source === null ? null : { name: a.source.name, url: a.source.url },
    authors: a.authors.map((x) => ({ name: x.name })),
  };
}
