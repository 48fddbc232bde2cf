import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { issue, type Issue } from '../model/issue.js';
import { recordSchema, type ArchiveRecord } from '../model/record.js';

/**
 * Read one record and check it against the schema. A record that does not parse is reported
 * with its path and left exactly as it is: a person must look at it.
 */
export function readRecord(
  recordsDir: string,
  rel: string,
  root: string,
): { record: ArchiveRecord } | { issue: Issue } {
  const abs = join(recordsDir, rel);
  const shown = relative(root, abs);
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(abs, 'utf8'));
  } catch (error) {
    const why =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? 'is missing'
        : `is not valid JSON (${(error as Error).message})`;
    return { issue: corrupt(shown, why) };
  }
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
    `${why}; it was not changed, and its article is not updated until it is repaired.`,
    'Restore the file from your backup or version control (git checkout / git show), or fix the JSON by hand, then run build again.',
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
    text = readFileSync(join(recordsDir, rel), 'utf8');
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
