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
