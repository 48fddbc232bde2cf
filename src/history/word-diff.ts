import { diffWords } from 'diff';

/**
 * The one importer of `diff` (jsdiff): a word diff of two texts, written the way `git diff
 * --word-diff=plain` writes it: [-removed-]{+added+}, unchanged words as they are.
 *
 * Unlike git's, the text's own `[`, `]`, `{`, `}` and `\` are written with a `\` before them
 * (escapeMarkers()), so that every bracket without one is the diff's: a correction whose text
 * held `[-not deleted-]` read as a deletion that never happened (`archive history` is the audit
 * trail of corrections, and its input is any text).
 */
export function wordDiff(before: string, after: string): string {
  return diffWords(before, after)
    .map((part) => {
      const text = escapeMarkers(part.value);
      return part.removed ? `[-${text}-]` : part.added ? `{+${text}+}` : text;
    })
    .join('');
}

/** `[`, `]`, `{`, `}` and `\` with a `\` before each: `[-x-]` as `\[-x-\]`. */
export const escapeMarkers = (text: string): string => text.replace(/[[\]{}\\]/g, '\\$&');
