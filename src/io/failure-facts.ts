import type { FsFailure } from './atomic-write.js';

/** What the run log keeps of a run stopped by the file system (schedule/run-log.ts). */
export interface FailureFacts {
  readonly code: string;
  readonly path?: string;
  readonly stagedIn?: string;
}

/** The facts of an error the file system raised, or null for any other error. */
export function failureFacts(error: unknown): FailureFacts | null {
  const fs = error as FsFailure | null;
  if (typeof fs?.code !== 'string' || !/^E[A-Z]+$/.test(fs.code)) return null;
  return {
    code: fs.code,
    ...(fs.path !== undefined ? { path: fs.path } : {}),
    ...(fs.stagedIn !== undefined ? { stagedIn: fs.stagedIn } : {}),
  };
}
