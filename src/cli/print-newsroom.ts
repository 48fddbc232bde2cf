import type { RunReport, ScheduledRecord } from '../pipeline/report.js';
import { isScheduled } from '../pipeline/release.js';

/** At most SHOWN lines per kind (`--json` lists them all). */
const SHOWN = 20;

/** The report lines for drafts and embargoes (pipeline/drafts.ts, pipeline/embargo.ts). */
export function newsroomLines(r: RunReport): string[] {
  const lines = r.archive.drafts.slice(0, SHOWN).map((p) => `  draft     ${p}`);
  if (r.archive.drafts.length > SHOWN)
    lines.push(`  draft     … and ${r.archive.drafts.length - SHOWN} more`);
  return [...lines, ...scheduledLines(r.feeds?.scheduled ?? [])];
}

/**
 * `scheduled 2026-12-01T08:00:00Z 2026/12/slug.json`, the next due first. Given the clock
 * (`status`, between builds), an embargo it has passed is due, not published: only a build
 * releases it (pipeline/publish-state.ts, releasedUpTo; the rule `check` uses).
 */
export function scheduledLines(scheduled: readonly ScheduledRecord[], now?: string): string[] {
  const lines = scheduled
    .slice(0, SHOWN)
    .map((s) =>
      now !== undefined && !isScheduled(s.publishedAt, now)
        ? `  scheduled ${s.publishedAt} ${s.record} (due since then, not released yet: the next build publishes it)`
        : `  scheduled ${s.publishedAt} ${s.record} (not published until then)`,
    );
  if (scheduled.length > SHOWN) lines.push(`  scheduled … and ${scheduled.length - SHOWN} more`);
  return lines;
}
