/**
 * The version of the normalization rules. Bump it with every change to normalize/ that can
 * change what a stored article becomes: each catalogue row keeps the version that made its
 * record, and a run normalizes the articles of older rows again, so a fixed rule reaches the
 * articles already archived (a visible difference is a revision like any other edit).
 *
 * 1: the first rules. 2: trailers typed with legacy Romanian cedilla letters, trailers followed
 * by several related-title blocks, plural source lines (Surse:), and BCP 47 tags for franc's
 * individual languages (arb → ar, cmn → zh, pes → fa, zlm → ms). 3: `draft: true` in front
 * matter is a draft (it was an unknown key, and the article was published); values checked at
 * the door (normalize/feed-values.ts): front matter dates outside 1970–9999, ids with markup
 * characters, URLs that do not serialize cleanly and language tags feeds cannot carry are
 * refused; a detected language without an ISO 639-1/639-2 code gives the site's language.
 */
export const NORMALIZER_VERSION = 3;
