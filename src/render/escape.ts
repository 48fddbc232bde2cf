/**
 * Escaping for everything we place in XML or HTML. Every piece of article or configuration text
 * goes through one of these, so markup in a stored article is shown as text, never interpreted.
 */
const NAMED: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** HTML text and attribute values; XML element content and attribute values (Atom). */
export const escapeMarkup = (text: string): string =>
  text.replace(/[&<>"']/g, (c) => NAMED[c] ?? c);

/**
 * Plain text in XML (RSS title, category, dc:creator; Atom type="text" constructs and the
 * category term attribute). RSS never said whether these may hold HTML, so readers guess; the
 * RSS Best Practices Profile ("Character Data") asks for hexadecimal character references,
 * which every reader decodes the same way: &#x26; &#x3C; &#x3E; &#x22;. We use them in Atom
 * too: the same characters, and the W3C validator then does not mistake a literal "&amp;" in a
 * title for an undeclared HTML entity.
 */
export const escapeXmlText = (text: string): string =>
  text.replace(/[&<>"]/g, (c) => `&#x${c.charCodeAt(0).toString(16).toUpperCase()};`);

/**
 * Plain text as HTML with only the references an HTML parser needs: `<`, and an `&` that could
 * start a character reference (`&copy2026` is read as "©2026" even without its `;`). For the
 * RSS channel description, which readers render as HTML (Universal Feed Parser types it
 * text/html) while the W3C validator warns when it holds any HTML reference (ContainsHTML,
 * "description should not contain HTML"): a description with `&`, `>` or quotes then reads
 * the same both ways, and only one with `<` draws the warning.
 */
export const escapeHtmlText = (text: string): string =>
  text.replace(/<|&(?=[#A-Za-z0-9])/g, (c) => (c === '<' ? '&lt;' : '&amp;'));
