import { join, relative } from 'node:path';
import { readRegular, unreadableBecause } from '../io/read-regular.js';
import { issue, type Issue } from '../model/issue.js';
import { recordSchema, type ArchiveRecord } from '../model/record.js';

/**
 * Read one record and check it against the schema. A record that does not parse is reported
 * with its path and left exactly as it is: a person must look at it. A record may be a
 * symbolic link (git-annex keeps every file as one; a year moved to another disk is linked
 * back): it is read through the link. What is not a regular file once followed (a FIFO, a
 * link to /dev/zero) is never read: it is RECORD_CORRUPT, saying what stands there.
 */
export function readRecord(
  recordsDir: string,
  rel: string,
  root: string,
): { record: ArchiveRecord } | { issue: Issue } {
  const abs = join(recordsDir, rel);
  const shown = relative(root, abs);
  let text: string;
  try {
    text = readRegular(abs, true).toString('utf8');
  } catch (error) {
    return { issue: corrupt(shown, unreadableBecause(abs, error)) };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { issue: corrupt(shown, `is not valid JSON (${(error as Error).message})`) };
  }
  if (!looksLikeRecord(raw)) return { issue: foreign(shown, raw) };
  const parsed = recordSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    return {
      issue: corrupt(
        shown,
        `does not match the record schema at "${first?.path.join('.') ?? ''}": ${first?.message ?? ''}`,
      ),
    };
  }
  return { record: parsed.data };
}

const corrupt = (file: string, why: string): Issue =>
  issue(
    'RECORD_CORRUPT',
    'error',
    file,
    `${why}; it was not changed, its article is not updated until it is repaired, and it is left out of the feeds, archive documents and pages rendered meanwhile.`,
    'Restore the file from your backup or version control (git checkout / git show), or fix the JSON by hand; with neither, delete it and its stored article is archived again as a new record. Then run feedkeeper build (build --full if it is not among the newest feed.size: a run reads only the records of what it renders).',
  );

/**
 * Valid JSON that is not even shaped like a record (an array, a number, an object with neither
 * `schemaVersion` nor `id`): someone's file left in the records folder, not a damaged record.
 * Saying "restore it from your backup" of a file that never was a record sends the user looking
 * for a backup that cannot exist; a record edited by hand keeps at least one of the two keys.
 */
function looksLikeRecord(raw: unknown): boolean {
  return (
    typeof raw === 'object' &&
    raw !== null &&
    !Array.isArray(raw) &&
    ('schemaVersion' in raw || 'id' in raw)
  );
}

const foreign = (file: string, raw: unknown): Issue =>
  issue(
    'RECORD_FOREIGN',
    'error',
    file,
    `is not a feedkeeper record: it is valid JSON (${Array.isArray(raw) ? 'an array' : raw === null ? 'null' : typeof raw === 'object' ? 'an object' : `a ${typeof raw}`}) without the keys every record has (schemaVersion, id); it was not changed, and its name is kept from new records.`,
    'Every .json file in the records folder is taken for a record: move this one out of it (keep notes elsewhere). If a record of yours was at this path, restore it from your backup or version control instead. Then run feedkeeper build.',
  );

/**
 * What can still be read of a record that does not parse: its id and the stored article it was
 * made from. serialize-record.ts writes one key a line at fixed indents (2 spaces for the
 * record's own keys, 4 for those of its `input`), so a record cut short or with a broken value
 * elsewhere still names them; those of its revisions are deeper and never match. null when the
 * text does not say (or the file cannot be read at all).
 */
export function salvageOwner(
  recordsDir: string,
  rel: string,
): { id: string | null; input: string | null } {
  let text: string;
  try {
    text = readRegular(join(recordsDir, rel), true).toString('utf8');
  } catch {
    return { id: null, input: null };
  }
  return {
    id: stringAt(text, /^ {2}"id": ("(?:[^"\\\n]|\\.)*"),?$/m),
    input: stringAt(text, /^ {2}"input": \{\n {4}"path": ("(?:[^"\\\n]|\\.)*"),?$/m),
  };
}

function stringAt(text: string, pattern: RegExp): string | null {
  const literal = pattern.exec(text)?.[1];
  if (literal === undefined) return null;
  try {
    const value = JSON.parse(literal) as unknown;
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    return null;
  }
}
