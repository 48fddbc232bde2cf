/**
 * RSS `<ttl>` in minutes (RSS 2.0: "how long a channel can be cached before refreshing"), from a
 * `*\/N * * * *` or `M * * * *` schedule; null otherwise (no ttl is written). Shared by the
 * renderer and the gate's expectation: the configuration's one meaning.
 */
export function ttlOf(cron: string): number | null {
  const f = cron.trim().split(/\s+/);
  if (f.length !== 5 || f.slice(1).some((x) => x !== '*')) return null;
  const m = /^\*\/(\d+)$/.exec(f[0] ?? '');
  if (m) return Number(m[1]);
  return /^\d+$/.test(f[0] ?? '') ? 60 : null;
}
