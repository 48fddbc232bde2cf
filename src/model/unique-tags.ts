/**
 * A record's tags as readers get them: each once, in the order first written. The JSON Feed
 * 1.1 schema holds an item's `tags` unique (`uniqueItems`: a feed with `["energy","energy"]`
 * is refused by whatever validates with it), and tags written differently become equal only
 * once normalized (`" energy"` and `"energy "` trimmed, `Café` composed and decomposed after
 * NFC, a Romanian `Ş` with cedilla folded to `Ș`). So a new article's tags are made unique after
 * its last normalization step (normalize/normalize-article.ts), and a feed's categories once
 * more where they are rendered (render/feed-document.ts), for records archived before that and
 * kept as they are.
 */
export const uniqueTags = (tags: readonly string[]): string[] => [...new Set(tags)];
