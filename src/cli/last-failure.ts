import type { RunLogLine } from '../schedule/run-log.js';
import { failureText } from './fs-refusal.js';

/**
 * Why the archive holds changes out/ does not (the publish-pending marker is there), said from
 * the run log's last line: a run the file system stopped (a full disk: what, and which file), a
 * run whose outputs the gate refused, or a run that stopped without a word (killed).
 */
export function unpublishedReason(last: RunLogLine | null): string {
  if (last?.outcome === 'failed' && last.failure !== undefined)
    return `the last run (${last.command}, ${last.start}) failed: ${failureText(last.failure)}`;
  if (last?.outcome === 'failed' && last.problems.length > 0)
    return `the last run (${last.command}, ${last.start}) was refused by validation (${last.problems.length} problem${last.problems.length === 1 ? '' : 's'}, first ${last.problems[0]?.code ?? ''})`;
  if (last?.outcome === 'failed')
    return `the last run (${last.command}, ${last.start}) failed${last.error ? `: ${firstLine(last.error)}` : ''}`;
  return 'a run changed the archive and stopped before publishing (killed, or its log line did not fit on the disk)';
}

const firstLine = (text: string): string => text.split('\n')[0] ?? text;
