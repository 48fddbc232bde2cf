import { escapeMarkup } from './escape.js';

/**
 * What `feed` cannot write into a document's head: namespace declarations on the root element
 * and elements of other vocabularies (RFC 5005's `fh:archive`, its links). One typed step run
 * after rendering, at two points we know feed writes exactly once: the root start tag and the
 * self link, after which the additions go, in order. Anything else fails loudly.
 */
export interface XmlHead {
  /** prefix → namespace URI, declared on the root element (Namespaces in XML 1.0 section 3). */
  readonly namespaces: Readonly<Record<string, string>>;
  readonly elements: readonly XmlElement[];
}

/** An empty element: a name (with its prefix) and attributes, escaped here. */
export interface XmlElement {
  readonly name: string;
  readonly attributes: readonly (readonly [string, string])[];
}

const ROOT: Readonly<Record<'rss' | 'atom', RegExp>> = {
  rss: /<rss version="2\.0"[^>]*>/,
  atom: /<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom"[^>]*>/,
};

const SELF: Readonly<Record<'rss' | 'atom', RegExp>> = {
  rss: /( *)<atom:link href="[^"]*" rel="self" type="application\/rss\+xml"\/>\n/,
  atom: /( *)<link rel="self" href="[^"]*"\/>\n/,
};

export function extendHead(xml: string, format: 'rss' | 'atom', head: XmlHead): string {
  const root = ROOT[format].exec(xml);
  const self = SELF[format].exec(xml);
  if (!root) throw new Error(`feed adapter: no ${format} root element to declare namespaces on`);
  if (!self) throw new Error(`feed adapter: no ${format} self link to insert after`);
  const declared = Object.entries(head.namespaces)
    .map(([prefix, uri]) => ` xmlns:${prefix}="${escapeMarkup(uri)}"`)
    .join('');
  const startTag = root[0].replace(/>$/, `${declared}>`);
  const indent = self[1] ?? '';
  const added = head.elements
    .map(
      (e) =>
        `${indent}<${e.name}${e.attributes.map(([k, v]) => ` ${k}="${escapeMarkup(v)}"`).join('')}/>\n`,
    )
    .join('');
  const selfEnd = self.index + self[0].length;
  // The root start tag comes before the self link: splice from the end so offsets hold.
  const withElements = xml.slice(0, selfEnd) + added + xml.slice(selfEnd);
  return (
    withElements.slice(0, root.index) + startTag + withElements.slice(root.index + root[0].length)
  );
}
