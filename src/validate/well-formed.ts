import { SaxesParser } from 'saxes';

/**
 * The adapter for `saxes`: strict, namespace-aware XML 1.0 well-formedness. fast-xml-parser's
 * own validator accepts control characters, unbound prefixes and two roots (DESIGN.md
 * section 5); a reader such as Miniflux refuses the whole feed for any of them.
 */
export interface XmlError {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export function checkWellFormed(xml: string): XmlError[] {
  const errors: XmlError[] = [];
  const parser = new SaxesParser({ xmlns: true, position: true });
  parser.on('error', (e) => {
    errors.push({
      line: parser.line,
      column: parser.column,
      message: e.message.replace(/^[^:]*:\d+:\d+: /, ''),
    });
  });
  try {
    parser.write(xml).close();
  } catch (e) {
    errors.push({ line: parser.line, column: parser.column, message: (e as Error).message });
  }
  return errors;
}
