import { JSON_SCHEMA_VERSION } from '../api/schema-version.js';
import { escapeControls } from '../model/escape-controls.js';
import { ConfigError } from '../config/config-error.js';
import type { LockedRun } from '../schedule/locked-run.js';
import type { IdleTick } from '../schedule/service.js';

/**
 * The log of `feedkeeper schedule`: one line per event (start, each run, stop), each with a
 * time stamp and a level; as text (info on stdout, warn and error on stderr, so that a
 * service manager or a `2>` tells them apart) or, with --json, as JSON Lines on stdout, one
 * object per line. The run log (.feedkeeper/runs.jsonl) keeps every detail of every run;
 * this log says what an operator watching it needs.
 */
export type Level = 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly level: Level;
  /** start, run, tick (a tick that skipped the build), stop. */
  readonly event: string;
  readonly message: string;
  /** More, for the JSON Lines form (the text form has the message only). */
  readonly fields?: Readonly<Record<string, unknown>>;
}

/** At most this many problems are named in a run's text line; --json and runs.jsonl have all. */
const NAMED = 3;

export type ScheduledRun = LockedRun | { kind: 'config-error'; error: ConfigError } | IdleTick;

/** The line for one run: its outcome, counts, problems (the first few named) and the next run. */
export function runEntry(run: ScheduledRun, next: Date | null, why?: string): LogEntry {
  const nextText = next ? `; next run at ${next.toISOString()}` : '';
  // Why the tick built (schedule/tick-decision.ts): in the JSON Lines form only.
  const nextField = { nextRun: next?.toISOString() ?? null, ...(why ? { reason: why } : {}) };
  if (run.kind === 'config-error')
    return {
      level: 'error',
      event: 'run',
      message: `run skipped: the configuration is invalid: ${run.error.lines.join(' ')}${nextText}`,
      fields: { outcome: 'config-error', error: run.error.lines, ...nextField },
    };
  if (run.kind === 'idle')
    return {
      level: 'info',
      event: 'tick',
      message: `tick: build skipped, ${run.why}${nextText}`,
      fields: { outcome: 'idle', reason: run.why, ...nextField },
    };
  const takeover =
    run.log.takeover === undefined ? '' : `; took over a stale lock: ${run.log.takeover}`;
  const takeoverField = run.log.takeover === undefined ? {} : { takeover: run.log.takeover };
  if (run.kind === 'skipped')
    return {
      level: 'warn',
      event: 'run',
      message: `run skipped: ${run.log.error ?? 'the lock is held'}${nextText}`,
      fields: { outcome: 'skipped', reason: run.log.error ?? 'the lock is held', ...nextField },
    };
  // A run that refused to change anything (an emptied articles folder): said as the build says
  // it, hint included, with no stack, since none was taken.
  if (run.kind === 'failed' && run.error instanceof ConfigError)
    return {
      level: 'error',
      event: 'run',
      message: `run refused: ${run.error.lines.join(' ')}${takeover}${nextText}`,
      fields: { outcome: 'failed', error: run.error.lines, ...takeoverField, ...nextField },
    };
  if (run.kind === 'failed')
    return {
      level: 'error',
      event: 'run',
      message: `run failed: ${firstLine(run.error.message)} (the stack is in the run log, .feedkeeper/runs.jsonl)${takeover}${nextText}`,
      fields: {
        outcome: 'failed',
        error: run.error.stack ?? run.error.message,
        ...takeoverField,
        ...nextField,
      },
    };
  const c = run.log.counts;
  const problems = run.report.issues;
  const errors = problems.filter((p) => p.severity === 'error').length;
  const named = problems
    .slice(0, NAMED)
    .map((p) => `${p.severity} ${p.code} ${p.file}`)
    .join(', ');
  const problemText =
    problems.length === 0
      ? ''
      : `; ${problems.length} problem${problems.length === 1 ? '' : 's'}: ${named}${problems.length > NAMED ? `, … (feedkeeper status --json or the run log has them all)` : ''}`;
  return {
    level:
      run.log.outcome === 'failed' || errors > 0
        ? 'error'
        : problems.length > 0 || takeover
          ? 'warn'
          : 'info',
    event: 'run',
    message: `run ${run.log.outcome} in ${run.log.durationMs} ms: ${c['added'] ?? 0} added, ${c['revised'] ?? 0} revised, ${c['withdrawn'] ?? 0} withdrawn, ${rareCounts(c)}${c['rejected'] ?? 0} rejected; ${run.log.filesWritten} file${run.log.filesWritten === 1 ? '' : 's'} written${problemText}${takeover}${nextText}`,
    fields: {
      outcome: run.log.outcome,
      durationMs: run.log.durationMs,
      counts: c,
      filesWritten: run.log.filesWritten,
      problems,
      ...takeoverField,
      ...nextField,
    },
  };
}

/**
 * "N restored, ", "N rescheduled, ", "N amended, ", "N released, " (embargoes whose time came):
 * only those that happened (rare).
 */
const rareCounts = (c: Readonly<Record<string, number>>): string =>
  ['restored', 'rescheduled', 'amended', 'released']
    .filter((k) => (c[k] ?? 0) > 0)
    .map((k) => `${c[k]} ${k}, `)
    .join('');

/** A run that changed nothing and found nothing: what --quiet leaves out. */
export function isNoOp(run: ScheduledRun): boolean {
  if (run.kind === 'idle') return true;
  if (run.kind !== 'ran' || run.report.issues.length > 0 || run.log.takeover !== undefined)
    return false;
  const a = run.report.archive;
  const f = run.report.feeds;
  return (
    a.added.length +
      a.revised.length +
      a.withdrawn.length +
      a.restored.length +
      a.rescheduled.length +
      a.amended.length ===
      0 &&
    (f === null || f.written.length === 0)
  );
}

export function formatLogLine(time: Date, e: LogEntry, json: boolean): string {
  if (json)
    return JSON.stringify({
      schemaVersion: JSON_SCHEMA_VERSION,
      time: time.toISOString(),
      level: e.level,
      event: e.event,
      message: e.message,
      ...e.fields,
    });
  // One line per event (what log readers and logrotate count on): a file name holding a new
  // line or a carriage return, named among a run's problems, must not forge a line.
  return `${time.toISOString()} ${e.level.padEnd(5)} ${escapeControls(e.message)}`;
}

const firstLine = (text: string): string => text.split('\n', 1)[0] ?? '';
