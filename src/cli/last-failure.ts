import type { RunLogLine } from '../schedule/run-log.js';
import { failureText } from './fs-refusal.js';

/**
 * Why the archive holds changes out/ does not (the publish-pending marker is there), said from
 * the run log's last line: a run the file system stopped (a full disk: what, and which file), a
 * run whose outputs the gate refused, or a run that stopped without a word (killed).
 */
export function unpublishedReason(
  last: RunLogLine | null,
  /**
   * Bytes free for us on the state folder's file system (null: not known). A run that changed
   * the archive and then met a full disk there cannot write its run log line either: the
   * failure it printed is lost, and this is the one trace of it left.
   */
  stateFree: number | null = null,
): string {
  if (last?.outcome === 'failed' && last.failure !== undefined)
    return `the last run (${last.command}, ${last.start}) failed: ${failureText(last.failure)}`;
  if (last?.outcome === 'failed' && last.problems.length > 0)
    return `the last run (${last.command}, ${last.start}) was refused by validation (${last.problems.length} problem${last.problems.length === 1 ? '' : 's'}, first ${last.problems[0]?.code ?? ''})`;
  if (last?.outcome === 'failed')
    return `the last run (${last.command}, ${last.start}) failed${last.error ? `: ${firstLine(last.error)}` : ''}`;
  if (stateFree !== null && stateFree < NEARLY_FULL)
    return `a run changed the archive and stopped before publishing, and the state folder's file system is full (${stateFree} bytes free): its run log line did not fit either, so that is most likely why; free space there, then run feedkeeper build`;
  return 'a run changed the archive and stopped before publishing (killed, or its log line did not fit on the disk)';
}

/** Less free than this, a run log line (a few KB with its problems) may not have fitted. */
export const NEARLY_FULL = 64 * 1024;

const firstLine = (text: string): string => text.split('\n')[0] ?? text;
