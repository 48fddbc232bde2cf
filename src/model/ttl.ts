/**
 * RSS `<ttl>` in minutes (RSS 2.0: "how long a channel can be cached before refreshing"), from a
 * `*\/N * * * *` or `M * * * *` schedule; null otherwise (no ttl is written). Shared by the
 * renderer and the gate's expectation: the configuration's one meaning.
 */
export function ttlOf(cron: string): number | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || f.slice(1).some((x) => x !== '*')) return null;
  const m = /^\*\/(\d+)$/.exec(f[0] ?? '');
  // A step of 60 or more matches minute 0 alone (cron, and node-cron, read `*/90` so): the
  // schedule runs hourly, and a ttl of 90, or 1440, would have readers wait longer than the
  // feed does (found by an outside try). A step of 0 matches nothing.
  if (m) return Number(m[1]) === 0 ? null : Math.min(Number(m[1]), 60);
  return /^\d+$/.test(f[0] ?? '') ? 60 : null;
}
