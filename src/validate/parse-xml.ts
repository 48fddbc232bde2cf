import { XMLParser } from 'fast-xml-parser';

/**
 * The adapter for `fast-xml-parser`: XML → plain objects for the round-trip comparison. Values
 * stay strings (no number guessing), attributes are kept (`@_name`), and the elements that may
 * repeat are always arrays, so a feed of one item reads like a feed of fifty.
 */
const REPEATED = new Set([
  'item',
  'entry',
  'link',
  'category',
  'author',
  'dc:creator',
  'atom:link',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => REPEATED.has(name),
});

export type XmlNode = Record<string, unknown>;

export const parseXml = (xml: string): XmlNode => parser.parse(xml) as XmlNode;

/** The text of an element, whether it came as a string or as `{ '#text': … }` with attributes. */
export function textOf(node: unknown): string | undefined {
  if (typeof node === 'string') return node;
  if (typeof node === 'object' && node !== null && '#text' in node)
    return String((node as XmlNode)['#text']);
  if (typeof node === 'object' && node !== null) return '';
  return undefined;
}

export function attrOf(node: unknown, name: string): string | undefined {
  if (typeof node !== 'object' || node === null) return undefined;
  const v = (node as XmlNode)[`@_${name}`];
  return typeof v === 'string' ? v : undefined;
}

export const childrenOf = (node: unknown, name: string): unknown[] => {
  if (typeof node !== 'object' || node === null) return [];
  const v = (node as XmlNode)[name];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
};

export const childOf = (node: unknown, name: string): unknown => childrenOf(node, name)[0];
