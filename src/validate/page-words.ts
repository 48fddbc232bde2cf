/**
 * The words and the time format a page shows, stated by the gate on its own (never taken from
 * render/page-labels.ts): a fault in the renderer's table or its time format would otherwise be
 * published by both sides and agree with itself. Keyed by the primary language subtag (BCP 47
 * section 2.2.1): Romanian, English for any other. If the renderer's words change, these change
 * with them; the gate then refuses until they do, which is the point.
 */
export interface GateWords {
  readonly published: string;
  readonly updated: string;
  readonly by: string;
  readonly monthArchive: string;
  readonly articles: (n: number) => string;
  readonly part: (n: number) => string;
  /** A withdrawn article's notice page: its title's word, and the notice before the date. */
  readonly withdrawnTitle: string;
  readonly withdrawn: string;
}

const ENGLISH: GateWords = {
  published: 'Published',
  updated: 'Updated',
  by: 'By',
  monthArchive: 'Articles of',
  articles: (n) => (n === 1 ? '1 article' : `${n} articles`),
  part: (n) => `part ${n}`,
  withdrawnTitle: 'Withdrawn',
  withdrawn: 'This article was withdrawn on',
};

const ROMANIAN: GateWords = {
  published: 'Publicat',
  updated: 'Actualizat',
  by: 'De',
  monthArchive: 'Articolele din',
  articles: (n) => (n === 1 ? '1 articol' : `${n} articole`),
  part: (n) => `partea ${n}`,
  withdrawnTitle: 'Retras',
  withdrawn: 'Acest articol a fost retras la',
};

export const wordsFor = (language: string): GateWords =>
  /^ro(?:-|$)/i.test(language) ? ROMANIAN : ENGLISH;

/**
 * How a page shows a UTC instant to people, `2026-11-29 08:00 UTC`, read from the instant
 * itself (Date, not string slices), so the text people read says the same instant as the
 * `datetime` machines read. Null for a value that is not an instant.
 */
export function shownInstant(utc: string): string | null {
  const ms = Date.parse(utc);
  if (Number.isNaN(ms)) return null;
  const d = new Date(ms);
  const two = (n: number): string => String(n).padStart(2, '0');
  return `${String(d.getUTCFullYear()).padStart(4, '0')}-${two(d.getUTCMonth() + 1)}-${two(d.getUTCDate())} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`;
}

/** `2026/11` as pages name a month: `2026-11`. */
export const shownMonthName = (month: string): string =>
  `${month.slice(0, 4)}-${month.slice(5, 7)}`;

/**
 * A record's title as a page's `<title>` holds it beside the site's name: in a first-strong
 * isolate (U+2068 … U+2069) when it holds a bidirectional control, so that an override it
 * leaves open does not turn the site's name around (Unicode UAX #9, X6a). The gate's own rule,
 * not the renderer's (render/bidi-isolate.ts).
 */
export const titleInLine = (title: string): string =>
  /[\u202A-\u202E\u2066-\u2069]/.test(title) ? `\u2068${title}\u2069` : title;
