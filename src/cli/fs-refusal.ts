/**
 * The message for an error the file system raised (a full disk, a quota, a file-size limit,
 * permissions, a file where a folder should be): the operator's to fix, not a bug, so no stack
 * trace. Every write is atomic and checked (io/atomic-write.ts), so what was written is whole.
 * The error may come from the write worker as a copy, with its code and path but not its class.
 */
export function fileSystemRefusal(command: string, error: unknown): string | null {
  const fs = error as NodeJS.ErrnoException | null;
  if (typeof fs?.code !== 'string' || !/^E[A-Z]+$/.test(fs.code)) return null;
  const where = fs.path ?? 'the file it names';
  const stopped =
    `  The run stopped. Every file written so far is whole (the one being written keeps its previous bytes), ` +
    `out/ holds the last complete publication, and the next run picks up from here.`;
  if (NO_SPACE.has(fs.code))
    return (
      `feedkeeper ${command}: ${NO_SPACE.get(fs.code)} (${fs.code}) while writing ${where}\n${stopped}\n` +
      `  hint: free space on the file system that holds ${where} (df -h), or raise the quota or ` +
      `the file size limit (ulimit -f), then run feedkeeper ${command} again.`
    );
  return (
    `feedkeeper ${command}: the file system refused: ${fs.message}\n${stopped}\n` +
    `  hint: check that ${where} can be written (a folder, not a file; permissions; free space), then run again.`
  );
}

/** The codes of a disk that cannot take the bytes (write(2), errno(3)). */
const NO_SPACE = new Map([
  ['ENOSPC', 'no space left on the device'],
  ['EDQUOT', 'the disk quota is exhausted'],
  ['EFBIG', 'the file size limit was reached'],
]);
