import type { Catalogue, RecordEntry } from '../archive/catalogue.js';
import { issue, type Issue } from '../model/issue.js';
import type { ArchiveRecord } from '../model/record.js';

/**
 * What a record says and its catalogue row does not: the record was edited by hand (or
 * restored from a backup) after the catalogue was saved. The row's id, slug and dates decide
 * where the record goes (its month, its place in the feeds, whether it is under embargo or
 * withdrawn) and the renderer and the gate read the record itself: a row left behind made them
 * disagree, and every publication was refused with round-trip errors that called it a
 * feedkeeper bug, until `build --full`. The records are the truth and the catalogue is derived
 * from them: a run that finds a row behind sets it from the record and renders again
 * (pipeline/run.ts), at the cost of one row, not a rebuild.
 */
export interface Behind {
  readonly field: string;
  readonly record: string;
  readonly catalogue: string;
}

export function rowBehind(row: RecordEntry, r: ArchiveRecord): Behind | null {
  const differ = (field: string, record: string, catalogue: string): Behind | null =>
    record === catalogue ? null : { field, record, catalogue };
  return (
    differ('id', r.id, row.id) ??
    differ('slug', r.slug, row.slug) ??
    differ('publishedAt', r.publishedAt, row.publishedAt) ??
    differ('updatedAt', r.updatedAt, row.updatedAt) ??
    differ('withdrawn', String(r.withdrawnAt !== null), String(row.withdrawn)) ??
    // A row of catalogue version 1 does not know when (null): only whether.
    (row.withdrawnAt === null ? null : differ('withdrawnAt', r.withdrawnAt ?? '', row.withdrawnAt))
  );
}

/**
 * Thrown by the judge of a run (pipeline/unpublishable.ts) once it has set the record's row
 * from the record (what a rebuild from the records would set it to): the run saves the
 * catalogue and renders again from it (pipeline/run.ts).
 */
export class CatalogueBehindError extends Error {
  constructor(
    readonly file: string,
    readonly behind: Behind,
    readonly catalogue: Catalogue,
  ) {
    super(`${file}: ${said(behind)}`);
  }
}

const said = (b: Behind): string =>
  `its ${b.field} is ${b.record}, the catalogue said ${b.catalogue}`;

/** Reported by the run that rebuilt the catalogue for it. */
export const rebuiltIssue = (e: CatalogueBehindError): Issue =>
  issue(
    'CATALOGUE_BEHIND_RECORD',
    'warning',
    e.file,
    `was changed outside feedkeeper after the catalogue was saved (${said(e.behind)}): the catalogue now says what the record says, and this run renders from it.`,
    'Nothing to do if the change was yours (a correction, a restored backup). Records are the archive: a date or id changed by hand changes what subscribers see, so change them only to correct them.',
  );

/** Reported by `check`, which writes nothing: out/ does not show the record as it is. */
export const behindIssue = (file: string, b: Behind): Issue =>
  issue(
    'CATALOGUE_BEHIND_RECORD',
    'error',
    file,
    `was changed outside feedkeeper after the last build (${said(b)}): the published files do not show it yet; nothing was written.`,
    'Run feedkeeper build: it takes the record as it is now into the catalogue and publishes it.',
  );
