/**
 * The closest known name to a mistyped one, or null when none is close enough to be a typo.
 * Close means an optimal-string-alignment distance (Levenshtein plus swapping two neighbours,
 * the commonest typo) of at most 1 for names of up to 4 characters, else at most 2; or the
 * typed name being an unambiguous prefix (`sched` → `schedule`).
 */
export function didYouMean(typed: string, known: readonly string[]): string | null {
  const t = typed.toLowerCase();
  const prefixed = known.filter((k) => t.length >= 2 && k.toLowerCase().startsWith(t));
  if (prefixed.length === 1) return prefixed[0] ?? null;
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(t, k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  const bare = t.replace(/^-+/, '');
  return bestDistance <= (bare.length <= 4 ? 1 : 2) ? best : null;
}

function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  return d[a.length]![b.length]!;
}

/**
 * The end of a message about an unknown name: `; did you mean "history"?`, or `otherwise` (`.`) when no
 * known name is close (never the name typed back: a known name refused here is no typo). One wording
 * for every level that takes a name: commands, options, `archive` subcommands, option values.
 */
export function didYouMeanText(typed: string, known: readonly string[], otherwise = '.'): string {
  const guess = didYouMean(typed, known);
  return guess === null || guess === typed ? otherwise : `; did you mean "${guess}"?`;
}

/** The long options a usage text mentions (`--dry-run`, `--config`): what a command accepts. */
export const optionsIn = (usage: string): string[] => [
  ...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? []),
];
