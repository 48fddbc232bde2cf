import { SaxesParser } from 'saxes';

/**
 * The adapter for `saxes`: strict, namespace-aware XML 1.0 well-formedness. fast-xml-parser's
 * own validator accepts control characters, unbound prefixes and two roots (DESIGN.md
 * section 5); a reader such as Miniflux refuses the whole feed for any of them. It also lists
 * each namespace prefix the document uses with the URI it is bound to: a reader matches
 * `content:encoded` by its URI, not by its prefix, so a wrong URI hides the element.
 */
export interface XmlError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface NamespaceUse {
  /** '' for the default namespace. */
  readonly prefix: string;
  readonly uri: string;
  /** The first name seen with it, e.g. `content:encoded`. */
  readonly name: string;
}

export function checkWellFormed(xml: string): { errors: XmlError[]; namespaces: NamespaceUse[] } {
  const errors: XmlError[] = [];
  const used = new Map<string, NamespaceUse>();
  const note = (prefix: string, uri: string, name: string): void => {
    const key = `${prefix} ${uri}`;
    if (!used.has(key)) used.set(key, { prefix, uri, name });
  };
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('error', (e) => {
    errors.push({
      line: parser.line,
      column: parser.column,
      // saxes prefixes "line:column: " (and a file name, which we never give): the element
      // already says where.
      message: e.message.replace(/^(?:[^:\s]*:)?\d+:\d+: /, ''),
    });
  });
  parser.on('opentag', (tag) => {
    note(tag.prefix, tag.uri, tag.name);
    for (const a of Object.values(tag.attributes)) {
      // Unprefixed attributes are in no namespace; xmlns declarations are the bindings.
      if (a.prefix !== '' && a.prefix !== 'xmlns') note(a.prefix, a.uri, a.name);
    }
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    errors.push({ line: parser.line, column: parser.column, message: (e as Error).message });
  }
  return { errors, namespaces: [...used.values()] };
}
