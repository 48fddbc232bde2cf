import { lstatSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { failureFacts, type FailureFacts } from '../io/failure-facts.js';
import { shellWord } from '../model/shell-word.js';

/**
 * What happened, in one line: "no space left on the device (ENOSPC) while writing out/rss.xml
 * (its staged copy, in .feedkeeper/staging)". The path is the file the run meant to write
 * (io/atomic-write.ts `atPath`), never a temp file; the staging folder, when the staged copy is
 * what did not fit, because its file system may not be out/'s.
 */
export function failureText(f: FailureFacts): string {
  const where = f.path === undefined ? 'the file it names' : f.path;
  const staged = f.stagedIn === undefined ? '' : ` (its staged copy, in ${f.stagedIn})`;
  const what = NO_SPACE.get(f.code) ?? 'the file system refused';
  return `${what} (${f.code}) while writing ${where}${staged}`;
}

/** Whether the file system ran out of room (space, quota, file size): not a bug, not a kill. */
export const isNoSpace = (code: string): boolean => NO_SPACE.has(code);

/**
 * The message for an error the file system raised (a full disk, a quota, a file-size limit,
 * permissions, a file where a folder should be): the operator's to fix, not a bug, so no stack
 * trace. Every write is atomic and checked (io/atomic-write.ts), so what was written is whole.
 * The error may come from a worker as a copy, with its code, path and staging folder but not
 * its class.
 */
export function fileSystemRefusal(command: string, error: unknown): string | null {
  const f = failureFacts(error);
  if (f === null) return null;
  // The folder whose file system refused: the staged copy's, or the file's own.
  const disk =
    f.stagedIn !== undefined ? f.stagedIn : f.path === undefined ? null : dirname(f.path);
  const stopped =
    command === 'init'
      ? `  init stopped. Every file written so far is whole; nothing was built or published.`
      : READS_ONLY.has(command)
        ? `  Nothing was written: ${command} only reads.`
        : (error as { duringRenames?: unknown }).duringRenames === true
          ? `  The run stopped between the renames of its publication: every file is whole, but out/ may hold files of this run beside those of the last one until the next run, which completes the publication first thing.`
          : `  The run stopped. Every file written so far is whole (the one being written keeps its previous bytes), ` +
            `out/ holds the last complete publication, and the next run picks up from here.`;
  if (isNoSpace(f.code))
    return (
      `feedkeeper ${command}: ${failureText(f)}\n${stopped}\n` +
      `  hint: free space on the file system that holds ${disk ?? 'that file'} (df -h${disk === null ? '' : ` ${shellWord(disk)}`}), or raise the quota or ` +
      `the file size limit (ulimit -f), then run feedkeeper ${command} again.`
    );
  // A file where a folder should be: a mkdir meets it (EEXIST), or a path through it (ENOTDIR).
  const blocker =
    f.path === undefined
      ? null
      : f.code === 'ENOTDIR'
        ? fileInTheWay(f.path)
        : f.code === 'EEXIST' && notAFolder(f.path)
          ? f.path
          : null;
  if (blocker !== null)
    return (
      `feedkeeper ${command}: ${blocker} is a file where a folder should be (${f.code}${f.path === blocker ? '' : `, reaching ${f.path}`})\n${stopped}\n` +
      `  hint: move it away (mv ${shellWord(blocker)} ${shellWord(`${blocker}.moved`)}); the folder is made again by the next build (a state folder is rebuilt from the records), then run again.`
    );
  // Node's text names the hidden temp file an atomic write opened (.x.json.tmp-4953): the
  // file the run meant to write is what the user knows (found by an outside try).
  const message = (error as Error).message.replace(TEMP_IN_TEXT, '/$1');
  return (
    `feedkeeper ${command}: the file system refused: ${message}\n${stopped}\n` +
    `  hint: check that ${f.path === undefined ? 'the file it names' : f.path} can be written (a folder, not a file; permissions; free space), then run again.`
  );
}

/** A temp file of io/atomic-write.ts inside a path (`/.<name>.tmp-<digits>`), `<name>` kept. */
const TEMP_IN_TEXT = /\/\.([^/'"\s]+)\.tmp-\d+(?=['"\s,)]|$)/g;

/** The codes of a disk that cannot take the bytes (write(2), errno(3)). */
const NO_SPACE = new Map([
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'the disk quota is exhausted'],
  ['EFBIG', 'the file size limit was reached'],
]);

/** Commands that write nothing: a refusal they meet stopped no write. */
const READS_ONLY = new Set(['status', 'check', 'archive', 'serve']);

/** The nearest ancestor of `path` that exists and is not a folder (what ENOTDIR tripped on). */
function fileInTheWay(path: string): string | null {
  for (let p = dirname(path); p !== dirname(p); p = dirname(p)) {
    const folder = isFolder(p);
    if (folder !== null) return folder ? null : p;
  }
  return null;
}

const notAFolder = (path: string): boolean => isFolder(path) === false;

/** Whether `path` is a folder (a link to one counts); null when nothing is there. */
function isFolder(path: string): boolean | null {
  try {
    return statSync(path).isDirectory();
  } catch {
    try {
      lstatSync(path);
      return false; // a dangling link
    } catch {
      return null;
    }
  }
}
