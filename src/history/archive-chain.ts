import { createHash } from 'node:crypto';
import type { RecordEntry } from '../archive/catalogue.js';
import { PART_SIZE, type FeedHistory, type FormatUrls } from '../model/feed-history.js';
import { archiveOutputs, OUTPUTS } from '../model/outputs.js';
import { monthParts } from '../model/month-parts.js';

/**
 * The RFC 5005 archive chain, planned from the catalogue's index rows alone (pure; no record
 * is read). Archive documents are grouped by the month of publishedAt (UTC), like the records
 * (archive/records/YYYY/MM/) and the pages (out/archive/YYYY/MM/index.html):
 * out/archive/YYYY/MM/{rss.xml,atom.xml,feed.json}. Every month that holds a live record has its
 * documents, the newest month too (docs/reference.md, "The archive chain": a busy month can hold more
 * entries than the subscription documents, and they must stay reachable).
 *
 * A part whose records were all withdrawn has no documents: it leaves the chain, and its
 * neighbours link each other over it (RFC 5005 section 4 asks only that prev-archive and
 * next-archive name the archive documents before and after). A document of no entries is valid
 * Atom, but readers refuse it (the JS library feed-extractor: "Unrecognized feed format"), and
 * it told them nothing: the withdrawn articles' notice pages say what happened. The part keeps
 * its place and its name (the cut counts withdrawn records), so a restore brings it back where
 * it was, and the parts after it never move.
 *
 * A month of more than PART_SIZE records is cut into parts, oldest first, so that no document
 * grows without bound (an import of 10,000 undated articles lands in one month):
 * archive/YYYY/MM/ holds the month's oldest PART_SIZE records, archive/YYYY/MM/2/ the next, …
 * Parts are cut over every record of the month, withdrawn ones included, so a withdrawal never
 * moves an entry from one document to another. The month pages are cut by the same function
 * (model/month-parts.ts), so each part's page sits beside its documents and lists their entries.
 */
export { PART_SIZE };

export interface ArchiveDoc {
  /** `YYYY/MM`, or `YYYY/MM/<part>` from the second part of a month on. */
  readonly name: string;
  /** The live records it lists (paths under the records folder), newest first. */
  readonly live: readonly string[];
  /** Its feed date: the newest updatedAt, withdrawnAt or restoredAt of any record in it. */
  readonly changedAt: string;
  /** What its bytes depend on, besides the records' content (which moves updatedAt). */
  readonly key: string;
  /**
   * The publication date of its first row (the oldest it holds, withdrawn or not): the first
   * page of a month lists each part from it (render/list-pages.ts). Kept in history.json, so
   * that a run which leaves the document as it was need not read the part to list it.
   */
  readonly from?: string;
}

export interface ArchiveChain {
  /** Oldest first. */
  readonly docs: readonly ArchiveDoc[];
  /** Every live record fits in the subscription documents (RFC 5005 section 2). */
  readonly complete: boolean;
  readonly liveCount: number;
  /** The parts whose records were all withdrawn: they have no documents (names, oldest first). */
  readonly emptied: readonly string[];
}

type Row = { path: string; r: RecordEntry };

export function archiveChain(
  rows: ReadonlyMap<string, RecordEntry>,
  feedSize: number,
  /** Configuration and feedkeeper version: a change re-renders every document. */
  fingerprint: string,
): ArchiveChain {
  let liveCount = 0;
  for (const r of rows.values()) if (!r.withdrawn) liveCount++;
  // The cutting rule the month pages share (model/month-parts.ts).
  const all = monthParts(
    [...rows].map(([path, r]): Row => ({ path, r })),
    (x) => x.r,
  );
  const parts = all.filter((p) => p.rows.some((x) => !x.r.withdrawn));
  const emptied = all.filter((p) => !p.rows.some((x) => !x.r.withdrawn)).map((p) => p.name);
  const docs = parts.map((p, i): ArchiveDoc =>
    chainDoc(
      p.name,
      p.rows.map((x) => [x.path, x.r] as const),
      parts[i - 1]?.name ?? null,
      parts[i + 1]?.name ?? null,
      fingerprint,
    ),
  );
  return { docs, complete: liveCount <= feedSize, liveCount, emptied };
}

/**
 * One document of the chain: part `name` of rows `rows` (its visible rows, oldest first) between
 * the documents `prev` and `next` (null at either end). The key the run compares with the saved
 * one (history-state.ts): shared by archiveChain and the plan from the changes
 * (pipeline/parts-plan.ts), so that both write the same history.json.
 */
export function chainDoc(
  name: string,
  rows: readonly (readonly [string, RecordEntry])[],
  prev: string | null,
  next: string | null,
  fingerprint: string,
): ArchiveDoc {
  const live = rows.filter(([, r]) => !r.withdrawn).reverse();
  let changedAt = '';
  for (const [, r] of rows) {
    if (r.updatedAt > changedAt) changedAt = r.updatedAt;
    if (r.withdrawnAt !== null && r.withdrawnAt > changedAt) changedAt = r.withdrawnAt;
    if (r.restoredAt !== undefined && r.restoredAt > changedAt) changedAt = r.restoredAt;
  }
  const key = createHash('sha256')
    .update(
      JSON.stringify([
        fingerprint,
        prev,
        next,
        changedAt,
        live.map(([path, r]) => [path, r.id, r.publishedAt, r.updatedAt]),
      ]),
    )
    .digest('hex');
  const from = rows[0]?.[1].publishedAt;
  return {
    name,
    live: live.map(([path]) => path),
    changedAt,
    key,
    ...(from === undefined ? {} : { from }),
  };
}

/** The public URLs of one archive document (null: the subscription documents). */
export function urlsOf(baseUrl: string, name: string | null): FormatUrls {
  const rows = name === null ? OUTPUTS : archiveOutputs(name);
  const url = (format: string): string =>
    `${baseUrl}/${rows.find((o) => o.format === format)?.file ?? ''}`;
  return { rss: url('rss'), atom: url('atom'), json: url('json') };
}

/** The subscription documents: complete, or a prev-archive link to the newest archive document. */
export function subscriptionHistory(chain: ArchiveChain, baseUrl: string): FeedHistory {
  const newest = chain.docs[chain.docs.length - 1];
  return {
    complete: chain.complete,
    archive: false,
    current: null,
    prevArchive: chain.complete || newest === undefined ? null : urlsOf(baseUrl, newest.name),
    nextArchive: null,
  };
}

/** Archive document `i` of the chain (section 4): fh:archive, current, prev- and next-archive. */
export function archiveHistory(chain: ArchiveChain, i: number, baseUrl: string): FeedHistory {
  const prev = chain.docs[i - 1];
  const next = chain.docs[i + 1];
  return {
    complete: false,
    archive: true,
    current: urlsOf(baseUrl, null),
    prevArchive: prev === undefined ? null : urlsOf(baseUrl, prev.name),
    nextArchive: next === undefined ? null : urlsOf(baseUrl, next.name),
  };
}
