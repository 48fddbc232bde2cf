import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { REPO } from './helpers.js';

/**
 * The documentation as the tests read it: README.md (what a user needs first) and docs/*.md
 * (the reference, the development notes). A test that holds the code to a documented claim
 * first finds the claim where it is written (`claim`), so moving or changing the text without
 * the code (or the code without the text) fails a test.
 */
export const readDoc = (file: string): string => readFileSync(join(REPO, file), 'utf8');

export interface Heading {
  readonly level: number;
  readonly title: string;
  readonly line: number;
}

/** The Markdown headings of a text, outside fenced code blocks. */
export function headingsOf(text: string): Heading[] {
  const out: Heading[] = [];
  let fenced = false;
  text.split('\n').forEach((l, line) => {
    if (l.startsWith('```')) fenced = !fenced;
    const m = fenced ? null : /^(#{1,6}) (.+)$/.exec(l);
    if (m) out.push({ level: m[1]!.length, title: m[2]!, line });
  });
  return out;
}

/**
 * GitHub's anchor for a heading: lower case; every character but letters, digits, spaces,
 * `-` and `_` dropped (backticks, colons, parentheses, dots); spaces become `-`; a repeated
 * anchor gets `-1`, `-2`, … (as github.com and npmjs.com render it).
 */
export function anchorsOf(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const h of headingsOf(text)) {
    const base = h.title
      .toLowerCase()
      .replace(/[^\p{L}\p{N} _-]/gu, '')
      .replace(/ /g, '-');
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    out.add(n === 0 ? base : `${base}-${n}`);
  }
  return out;
}

/** A section's text: from its heading to the next heading of the same or a higher level. */
export function sectionOf(text: string, title: string): string {
  const hs = headingsOf(text);
  const at = hs.findIndex((h) => h.title === title);
  if (at < 0) throw new Error(`no section "${title}"`);
  const h = hs[at]!;
  const next = hs.slice(at + 1).find((x) => x.level <= h.level);
  return text.split('\n').slice(h.line, next?.line).join('\n');
}

/** White space runs as one space: a claim may be wrapped anywhere. */
const squash = (s: string): string => s.replace(/\s+/g, ' ');

/** Assert that `file`'s section `title` says `words` (white space aside). */
export function claim(file: string, title: string, ...words: string[]): void {
  const section = squash(sectionOf(readDoc(file), title));
  for (const w of words) expect(section, `${file}, "${title}"`).toContain(squash(w));
}
