import { z } from 'zod';
import { SCHEMA_VERSION } from './record-version.js';

/**
 * The canonical archive record: one JSON file per article, kept forever, read by people with
 * `cat` and `jq`. Everything published is derived from it. Key order here is the key order on
 * disk (see archive/serialize-record.ts); add fields at the end and bump SCHEMA_VERSION.
 */
export { SCHEMA_VERSION } from './record-version.js';

const utcSecond = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/,
    'a UTC time in whole seconds, e.g. 2026-11-25T08:00:00Z',
  );

/**
 * Where a publication date can come from (normalize/date-sources.ts reads them in the order
 * the site configures). The first two are written by the newsroom: a *declared* date.
 */
export const DATE_SOURCES = ['frontMatter', 'fileName', 'fileMtime', 'firstSeen'] as const;
export type DateSource = (typeof DATE_SOURCES)[number];

export const blockSchema = z.object({
  type: z.enum(['paragraph', 'heading']),
  text: z.string().min(1),
});

export const sourceSchema = z.object({
  name: z.string().min(1),
  url: z.url().nullable(),
});

export const authorSchema = z.object({ name: z.string().min(1) });

export const inputSchema = z.object({
  path: z.string().min(1),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  bytes: z.number().int().nonnegative(),
});

/** The fields a revision can change: the article as readers see it. */
export const contentShape = {
  url: z.url(),
  // Not only white space: the normalizer never makes such a title (it trims), so one is a hand
  // edit, and it was published as an item with nothing to read in a reader's list.
  title: z.string().regex(/\S/, 'expected a title with something to read, not only white space'),
  section: z.string().nullable(),
  tags: z.array(z.string().min(1)),
  language: z.string().min(2),
  summary: z.string(),
  body: z.array(blockSchema),
  source: sourceSchema.nullable(),
  authors: z.array(authorSchema),
};

export const revisionSchema = z.object({
  ...contentShape,
  updatedAt: utcSecond,
  wordCount: z.number().int().nonnegative(),
  input: inputSchema,
});

export const recordSchema = z.object({
  schemaVersion: z.literal(SCHEMA_VERSION),
  id: z.string().regex(/^[\x21-\x7e]+$/, 'an ASCII URI such as a tag: URI'),
  slug: z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/),
  ...contentShape,
  publishedAt: utcSecond,
  /**
   * Which source gave publishedAt, in records minted from 2026-12 on (absent in older ones: not
   * known). The identity planner keeps a record whose date the newsroom declared apart from an
   * article declaring another date (a daily bulletin), and lets one whose date was only minted
   * (first seen, mtime) follow its text to a file name that now declares one: that is a rename,
   * not a new article (archive/plan-archive.ts). Optional, so older records keep their bytes.
   */
  publishedFrom: z.enum(DATE_SOURCES).optional(),
  updatedAt: utcSecond,
  /** Set when the stored article disappeared: the record stays, the feeds stop listing it. */
  withdrawnAt: utcSecond.nullable(),
  /**
   * When the stored article last came back after a withdrawal (absent if it never did): a
   * change of its own, later than the withdrawal, so the feed date (archive/last-change.ts)
   * never goes back when withdrawnAt is cleared. Optional, so the records written before it
   * existed keep their bytes (and an older feedkeeper, whose schema strips unknown keys, still
   * reads the record).
   */
  restoredAt: utcSecond.optional(),
  wordCount: z.number().int().nonnegative(),
  input: inputSchema,
  /** Every earlier version, oldest first, kept in full. */
  revisions: z.array(revisionSchema),
});

export type Block = z.infer<typeof blockSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type Author = z.infer<typeof authorSchema>;
export type InputRef = z.infer<typeof inputSchema>;
export type Revision = z.infer<typeof revisionSchema>;
export type ArchiveRecord = z.infer<typeof recordSchema>;

/** What normalizing one stored article yields, before identity and dates are minted. */
export interface NormalizedArticle {
  readonly title: string;
  readonly section: string | null;
  readonly tags: readonly string[];
  readonly language: string;
  readonly summary: string;
  readonly body: readonly Block[];
  readonly source: Source | null;
  readonly authors: readonly Author[];
  readonly wordCount: number;
  /** From front matter only; otherwise minted by the archive. */
  readonly url: string | null;
  readonly id: string | null;
  readonly publishedAt: string | null;
  readonly updatedAt: string | null;
  readonly slugBase: string;
  /** Hash of what readers see (title + body), to recognize the same article stored twice. */
  readonly fingerprint: string;
  /** `draft: true` in front matter: not archived as published until the flag goes. */
  readonly draft?: boolean;
}
