/** Exit codes, documented in docs/reference.md ("Exit codes and problems"). */
export const EXIT = {
  ok: 0,
  /** Problems found: a rejected article, a corrupt record, a feed that failed its checks. */
  problems: 1,
  /** Bad configuration or command line: nothing was read or written. */
  usage: 2,
  /** Another run holds the lock (sysexits EX_TEMPFAIL: try again later). */
  busy: 75,
} as const;
