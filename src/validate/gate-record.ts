import { recordSchema, type ArchiveRecord } from '../model/record.js';

/**
 * A record file's text as the gate reads it: parsed here, its values taken from the file itself,
 * never from archive/read-record.ts, which the renderer reads with. Shared, a fault there (a
 * paragraph dropped on reading) was on both sides of the comparison and every output agreed
 * with it. Pure.
 *
 * It accepts exactly what the renderer accepts (the record schema, model/record.ts, a
 * declaration with no transform), so the gate never disagrees on which records are corrupt;
 * but what it compares with are the values parsed from the text, checked once more here for
 * the shape the oracles rely on.
 */
export function gateRecordOf(text: string): { record: ArchiveRecord } | { why: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { why: `is not valid JSON (${(error as Error).message})` };
  }
  const checked = recordSchema.safeParse(raw);
  if (!checked.success) {
    const first = checked.error.issues[0];
    return {
      why: `does not match the record schema at "${first?.path.join('.') ?? ''}": ${first?.message ?? ''}`,
    };
  }
  const wrong = shapeProblem(raw as Record<string, unknown>);
  return wrong === null ? { record: raw as ArchiveRecord } : { why: wrong };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** The values the oracles read, as the file holds them: null when they have the right shape. */
function shapeProblem(r: Record<string, unknown>): string | null {
  for (const key of ['id', 'url', 'title', 'language', 'summary', 'publishedAt', 'updatedAt'])
    if (!isString(r[key])) return `has no string "${key}"`;
  if (r['withdrawnAt'] !== null && !isString(r['withdrawnAt']))
    return 'has a "withdrawnAt" that is neither null nor a string';
  const body = r['body'];
  if (
    !Array.isArray(body) ||
    !body.every(
      (b: unknown) =>
        typeof b === 'object' &&
        b !== null &&
        ((b as { type?: unknown }).type === 'paragraph' ||
          (b as { type?: unknown }).type === 'heading') &&
        isString((b as { text?: unknown }).text),
    )
  )
    return 'has a "body" that is not a list of paragraphs and headings';
  for (const key of ['tags', 'authors'])
    if (!Array.isArray(r[key])) return `has a "${key}" that is not a list`;
  return null;
}
