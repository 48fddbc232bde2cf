/**
 * Limits checked before the YAML parser sees a front matter block. The parser builds its tree
 * recursively: ~1,000 nested `[` overflowed the stack, and ~10,000 ran V8 out of memory, a fatal
 * error no `catch` stops, which ended the whole run. Front matter is a handful of `key: value`
 * lines (the deepest value feedkeeper reads is a list of strings), so these limits leave every
 * real block alone. One pass over the characters: linear in the block's size.
 */
export const MAX_FRONT_MATTER_CHARS = 16 * 1024;
/** Flow collections (`[ ]`, `{ }`) open at once. */
export const MAX_FLOW_DEPTH = 16;
/** Columns of indentation and leading `- ` / `? ` indicators (block nesting needs them). */
export const MAX_INDENT = 64;

/** Why a block is refused before parsing (words for the report), or null. */
export function yamlTooDeep(yaml: string): string | null {
  if (yaml.length > MAX_FRONT_MATTER_CHARS)
    return `is ${yaml.length} characters long, over ${MAX_FRONT_MATTER_CHARS}`;
  let flow = 0;
  let quote: '"' | "'" | null = null;
  let lineStart = true;
  let indent = 0;
  /** The last character that was not white space, on this line ('' at its start). */
  let last = '';
  for (let i = 0; i < yaml.length; i++) {
    const c = yaml[i] as string;
    if (c === '\n') {
      lineStart = true;
      indent = 0;
      last = '';
      continue;
    }
    if (quote !== null) {
      if (quote === '"' && c === '\\') i++;
      else if (c === quote) {
        if (quote === "'" && yaml[i + 1] === "'") i++;
        else quote = null;
      }
      lineStart = false;
      continue;
    }
    if (lineStart && flow === 0) {
      // Indentation, and the `- ` / `? ` indicators that open a nested block on the same line.
      const next = yaml[i + 1];
      if (
        c === ' ' ||
        ((c === '-' || c === '?') && (next === ' ' || next === '\n' || next === undefined))
      ) {
        if (++indent > MAX_INDENT)
          return `is indented or nested more than ${MAX_INDENT} columns deep`;
        continue;
      }
      lineStart = false;
    }
    if (c === '#' && (last === '' || yaml[i - 1] === ' ' || yaml[i - 1] === '\t')) {
      while (i + 1 < yaml.length && yaml[i + 1] !== '\n') i++;
      continue;
    }
    // A quote opens a quoted scalar only where a scalar starts (YAML 1.2 section 7.3).
    if ((c === '"' || c === "'") && (last === '' || ':-?[{,'.includes(last))) quote = c;
    else if (c === '[' || c === '{') {
      if (++flow > MAX_FLOW_DEPTH) return `nests [ ] or { } more than ${MAX_FLOW_DEPTH} deep`;
    } else if ((c === ']' || c === '}') && flow > 0) flow--;
    if (c !== ' ' && c !== '\t') last = c;
  }
  return null;
}
