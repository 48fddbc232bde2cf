import { hasBidiControls } from '../model/bidi-controls.js';

/**
 * A record's text joined with ours in one line (a page's `<title>`: "Title – Site"): when it
 * holds bidirectional embeddings or overrides (U+202A–U+202E) or isolates (U+2066–U+2069),
 * it is put in a first-strong isolate, U+2068 … U+2069. The PDI closes whatever the text left
 * open (Unicode UAX #9, rule X6a), so an unclosed override in a title no longer turns the
 * site's name around it in tabs, bookmarks and search results. Text without them is left as it
 * is, so the bytes of every other page stay the same.
 */
export const isolateBidi = (text: string): string =>
  hasBidiControls(text) ? `\u2068${text}\u2069` : text;
