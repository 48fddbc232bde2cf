import { diffWords } from 'diff';

/**
 * The one importer of `diff` (jsdiff): a word diff of two texts, written the way `git diff
 * --word-diff=plain` writes it: [-removed-]{+added+}, unchanged words as they are.
 */
export function wordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((part) =>
      part.removed ? `[-${part.value}-]` : part.added ? `{+${part.value}+}` : part.value,
    )
    .join('');
}
