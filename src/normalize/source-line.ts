import type { Source } from '../model/record.js';
import { collapseWhitespace } from './clean-text.js';
import { urlProblem } from './feed-values.js';

/**
 * `Sursa: www.aljazeera.com`: the attribution line of an article, not body. The word in the
 * languages the newsroom translates from, singular and plural (`Surse: Agerpres, Reuters` credits
 * two agencies and is as much a source line as `Sursa:`).
 */
const SOURCE_LINE =
  /^(?:sursa|sursă|surse|source|sources|quelle|quellen|fuente|fuentes|fonte|fontes|fonti|źródło|źródła|forrás|források|bron|bronnen|kilde|kilder|källa|källor|lähde|lähteet|kaynak|kaynaklar|zdroj|zdroje|izvor|izvori)\s*:\s*(\S.*)$/iu;

/** Longer lines are prose that happens to start with the word, not an attribution. */
const MAX_LINE = 200;

/** The source a line names, or null when it is not a source line. */
export function sourceOf(line: string): Source | null {
  const text = collapseWhitespace(line);
  const m = text.length <= MAX_LINE ? SOURCE_LINE.exec(text) : null;
  return m?.[1] ? parseSource(m[1]) : null;
}

export function parseSource(value: string): Source {
  const name = trimEndPunctuation(value.trim());
  const m = findHostOrUrl(name);
  if (!m) return { name, url: null };
  // A host cut short by a character no host has (`www.exa<mple>.com`) is not that host: the
  // link went to https://www.exa/. It must end the word.
  const found = m.url ?? m.host;
  const after = name.charAt(name.indexOf(found) + found.length);
  if (after !== '' && !/[\s.,;:!?)\]'"»”]/u.test(after)) return { name, url: null };
  if (m.host !== undefined && /:\/\/$/.test(name.slice(0, name.indexOf(found))))
    return { name, url: null }; // `ftp://x.org/f`: not https://x.org/f
  const token = trimEndPunctuation(m.url ?? `https://${m.host}`);
  // Only a URL every feed carries as it is (`|`, `[`, `%zz`, a second `#` were published, and
  // the W3C validator refused the Atom document); anything else stays a credit in words.
  if (urlProblem(token) !== null) return { name, url: null };
  if (cutAtSpace(token, name.slice(name.indexOf(found) + found.length))) return { name, url: null };
  return { name, url: new URL(token).href };
}

/**
 * A URL written with a space in it (`https://wire example.com/story`, `https://x.org/my story`)
 * ends at the space: the link went to https://wire/, another site, or to another page, under
 * the whole credit's words. So a URL followed by a word is linked only when that word cannot be
 * the rest of it: not when its host has one label, nor when the word goes on as a path would
 * (it holds a `/`), nor when the word starts with a letter or digit and the URL's path does not
 * end with `/` (`https://x.org/my story`, and alike `https://x.org/my/story now`: the two
 * cannot be told apart). Such a credit stays in words; after a folder (`…/story/ Reuters`), a
 * bare host (`www.aljazeera.com Doha`) or before punctuation (`… — Reuters`) the link is kept.
 */
function cutAtSpace(token: string, rest: string): boolean {
  if (!/^\s/u.test(rest)) return false;
  const url = new URL(token);
  if (!url.hostname.includes('.')) return true;
  const next = /^\s+(\S+)/u.exec(rest)?.[1] ?? '';
  if (/^https?:\/\//iu.test(next)) return false;
  if (next.includes('/')) return true;
  return /^[\p{L}\p{N}]/u.test(next) && !url.pathname.endsWith('/');
}

/**
 * `s.replace(/[.;,]+$/, '')`, without the expression's cost: it tries the run from each of its
 * characters, so a long run of `.` not at the end took time growing with its square.
 */
function trimEndPunctuation(s: string): string {
  let end = s.length;
  while (end > 0 && (s[end - 1] === '.' || s[end - 1] === ';' || s[end - 1] === ',')) end--;
  return s.slice(0, end);
}

/** Classes of the expression below, for one UTF-16 code unit, with its flags (`iu`). */
const ALNUM = /^[a-z0-9]$/iu;
const LDH = /^[a-z0-9-]$/iu;
const LETTER = /^[a-z]$/iu;
const PATH = /^[^\s,;()]$/u;
const SCHEME = /^https?:\/\//iu;

/**
 * The first URL or host name in `text`: exactly the first match of
 * `/(https?:\/\/[^\s,;()]+)|((?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}(?:\/[^\s,;()]*)?)/iu`
 * (group 1 as `url`, group 2 as `host`), in time linear in the text. The expression walks the
 * chain of labels again from each character of a label, and tries fewer labels before giving
 * up: `a.a.a.…` took time growing with its square. Here, in one pass from the end, `after[q]`
 * is where a match that has taken its labels up to `q` ends (-1: none), as the expression's
 * backtracking finds it: as many more labels as can be taken, then a top-level domain.
 */
export function findHostOrUrl(
  text: string,
): { url: string; host?: never } | { host: string; url?: never } | null {
  const n = text.length;
  const is = (re: RegExp, p: number): boolean => p < n && re.test(text[p]!);
  // First index at or after p whose character is not LDH / not a letter / not a path character.
  const ldhEnd = new Int32Array(n + 1).fill(n);
  const letterEnd = new Int32Array(n + 1).fill(n);
  const pathEnd = new Int32Array(n + 1).fill(n);
  for (let p = n - 1; p >= 0; p--) {
    ldhEnd[p] = is(LDH, p) ? ldhEnd[p + 1]! : p;
    letterEnd[p] = is(LETTER, p) ? letterEnd[p + 1]! : p;
    pathEnd[p] = is(PATH, p) ? pathEnd[p + 1]! : p;
  }
  // Where the label starting at p ends with its `.` (the next label's start), or -1.
  const nextLabel = (p: number): number => {
    const e = ldhEnd[p]!;
    return is(ALNUM, p) && text[e] === '.' && is(ALNUM, e - 1) ? e + 1 : -1;
  };
  const after = new Int32Array(n + 2).fill(-1);
  for (let q = n; q >= 0; q--) {
    const next = q < n ? nextLabel(q) : -1;
    if (next !== -1 && after[next] !== -1) after[q] = after[next]!;
    else if (letterEnd[q]! - q >= 2) {
      const tld = letterEnd[q]!;
      after[q] = text[tld] === '/' ? pathEnd[tld + 1]! : tld;
    }
  }
  for (let i = 0; i < n; i++) {
    const scheme = text[i] === 'h' || text[i] === 'H' ? SCHEME.exec(text.slice(i, i + 8)) : null;
    if (scheme) {
      const start = i + scheme[0].length;
      if (pathEnd[start]! > start) return { url: text.slice(i, pathEnd[start]) };
    }
    const next = nextLabel(i);
    if (next !== -1 && after[next] !== -1) return { host: text.slice(i, after[next]) };
  }
  return null;
}
