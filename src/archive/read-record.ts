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
