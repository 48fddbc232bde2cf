/**
 * A copy of `text` that shares no memory with the string it was cut from.
 *
 * V8 keeps a substring of 13 characters or more as a "sliced string" that points into its
 * parent, so a title cut from an article and kept in the catalogue kept the whole article's
 * text alive: a heap snapshot of a cold build of 10,000 articles, taken at 6,000, held 8,718
 * sliced strings (title, slug, section) pinning 61 MB of article texts, about 750 MB at 100,000,
 * all of it marked again by every full garbage collection. Concatenating makes V8 flatten
 * the pair into a new string before slicing it, so the result points into a copy of its own.
 */
export const detached = (text: string): string => ` ${text}`.slice(1);
