import { instantProblem } from './feed-values.js';

/** Dates in records are RFC 3339 UTC with whole seconds: 2026-11-25T08:00:00Z. */

const DATE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i;

/**
 * Parse a front matter date. A date without time is midnight UTC; a time without offset is UTC
 * (the README says so: write an offset when you mean local time). Null if not a real date, or
 * one feeds cannot carry (before 1970 or after 9999 in UTC: normalize/feed-values.ts).
 */
export function toUtcSecond(value: string): string | null {
  const ms = toUtcMs(value);
  return ms === null || instantProblem(ms) !== null ? null : formatUtcSecond(ms);
}

/** Why `toUtcSecond` refuses a value: in words for the report. */
export function dateProblem(value: string): string {
  const ms = toUtcMs(value);
  if (ms === null) return 'expected a date such as 2026-11-25 or 2026-11-25T08:30:00+02:00';
  return `${value.trim()} is not a date feeds can carry: ${instantProblem(ms) ?? ''}`;
}

/** The instant a front matter date names (ms), before any range check; null if not a date. */
function toUtcMs(value: string): number | null {
  const m = DATE.exec(value.trim());
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}${offset}`);
  if (Number.isNaN(ms)) return null;
  // Date.parse rolls 2026-02-30 over to March: refuse dates that are not on the calendar.
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  return ms;
}

export const formatUtcSecond = (ms: number): string =>
  new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
