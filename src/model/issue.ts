/**
 * A problem found while processing one file or element. Collected, never thrown: one bad
 * article or one failed rule never stops the run (DESIGN.md section 3).
 */
export type Severity = 'error' | 'warning';

export interface Issue {
  /** Stable, documented code, e.g. ARTICLE_NOT_UTF8. Scripts may match on it. */
  readonly code: string;
  readonly severity: Severity;
  /** Path of the file concerned, relative to the working directory. */
  readonly file: string;
  /** Element or key inside the file, when there is one (e.g. `item[3]/guid`). */
  readonly element?: string;
  /** What is wrong, in one sentence. */
  readonly message: string;
  /** What to do about it. */
  readonly hint: string;
}

export function issue(
  code: string,
  severity: Severity,
  file: string,
  message: string,
  hint: string,
  element?: string,
): Issue {
  return element === undefined
    ? { code, severity, file, message, hint }
    : { code, severity, file, element, message, hint };
}

export const hasErrors = (issues: readonly Issue[]): boolean =>
  issues.some((i) => i.severity === 'error');
