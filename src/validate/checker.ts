import { issue, type Issue } from '../model/issue.js';

/** Collects the issues found in one file; each rule is one call with a stable code and a hint. */
export class Checker {
  readonly issues: Issue[] = [];
  constructor(readonly file: string) {}

  fail(code: string, element: string, message: string, hint: string): void {
    this.issues.push(issue(code, 'error', this.file, message, hint, element));
  }

  /** Fails unless `ok`; returns `ok` so callers can skip dependent checks. */
  check(ok: boolean, code: string, element: string, message: string, hint: string): boolean {
    if (!ok) this.fail(code, element, message, hint);
    return ok;
  }
}

/**
 * The hint for a feed that is wrong although the archive is right. The same checks run in build
 * (before publishing) and in check (on what is in out/), so the hint covers both causes.
 */
export const FEED_BUG_HINT =
  'If feedkeeper build produced this, it is a feedkeeper bug: report it with this message (build kept the previous feeds). If the file in out/ was changed by hand, run feedkeeper build to publish it again.';

export const RFC822 =
  /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} (?:GMT|[+-]\d{4})$/;
export const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/;

export const isAbsoluteUrl = (value: string | undefined): boolean => {
  if (value === undefined) return false;
  try {
    const u = new URL(value);
    return u.protocol === 'https:' || u.protocol === 'http:';
  } catch {
    return false;
  }
};

/**
 * XML 1.0 section 2.2 Char, as in normalize/clean-text.ts, over the whole output: the controls
 * other than tab, newline and carriage return, U+FFFE, U+FFFF, and a surrogate that is not half
 * of a pair. Found with one character class, which V8 scans about three times faster than a
 * pattern with alternatives and lookarounds (a 5.7 M character month document: 13 ms against 30
 * to 40 ms; the gate reads every output it publishes): each surrogate it stops at is judged
 * here, and a pair is stepped over whole.
 */
const SUSPECT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/g;

/** The index of the first character XML 1.0 forbids in `text`, or -1. */
export function firstIllegal(text: string): number {
  const suspect = new RegExp(SUSPECT); // its own lastIndex: a caller may be on another stack
  for (let m = suspect.exec(text); m !== null; m = suspect.exec(text)) {
    const unit = text.charCodeAt(m.index);
    const next = text.charCodeAt(m.index + 1); // NaN past the end
    const pair = unit >= 0xd800 && unit <= 0xdbff && next >= 0xdc00 && next <= 0xdfff;
    if (!pair) return m.index; // a control, U+FFFE/U+FFFF, or a lone surrogate
    suspect.lastIndex = m.index + 2;
  }
  return -1;
}

export function checkCharacters(c: Checker, text: string): void {
  const at = firstIllegal(text);
  if (at !== -1) {
    const line = text.slice(0, at).split('\n').length;
    c.fail(
      'XML_ILLEGAL_CHARACTER',
      `line ${line}`,
      `holds U+${text.charCodeAt(at).toString(16).toUpperCase().padStart(4, '0')}, a character XML 1.0 forbids; readers drop the whole feed.`,
      'A bug in feedkeeper (normalization removes these): report it with the article that caused it.',
    );
  }
}
