/**
 * The first key given twice in one object of a JSON text, with the lines of both, or null.
 * JSON.parse keeps the last silently (RFC 8259 section 4: names "SHOULD be unique", and what a
 * parser does with a repeated one is unpredictable), so `"title"` written twice published the
 * second while the newsroom edited the first. For text JSON.parse accepted: one pass, linear,
 * no recursion (a deeply nested file cannot overflow the stack). Keys compare as JSON.parse
 * reads them (`"a"` and `"\u0061"` are one key). Pure.
 */
export function firstDuplicateKey(
  text: string,
  /** Keys that may repeat (the notes, `$comment`, which are dropped unread). */
  ignored: ReadonlySet<string> = new Set(),
): { path: string; firstLine: number; secondLine: number } | null {
  interface Frame {
    readonly keys: Map<string, number> | null; // null: an array
    readonly path: string;
    expectKey: boolean;
    lastKey: string;
    index: number;
  }
  const stack: Frame[] = [];
  let line = 1;
  const child = (): string => {
    const top = stack[stack.length - 1];
    if (top === undefined) return '';
    return top.keys === null
      ? `${top.path}[${top.index}]`
      : top.path === ''
        ? top.lastKey
        : `${top.path}.${top.lastKey}`;
  };
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\n') line++;
    else if (c === '{' || c === '[') {
      stack.push({
        keys: c === '{' ? new Map() : null,
        path: child(),
        expectKey: c === '{',
        lastKey: '',
        index: 0,
      });
    } else if (c === '}' || c === ']') stack.pop();
    else if (c === ',') {
      const top = stack[stack.length - 1];
      if (top?.keys === null) top.index++;
      else if (top !== undefined) top.expectKey = true;
    } else if (c === '"') {
      let end = i + 1;
      while (end < text.length && text[end] !== '"') end += text[end] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      if (top?.keys != null && top.expectKey) {
        const key = JSON.parse(text.slice(i, end + 1)) as string;
        top.expectKey = false;
        top.lastKey = key;
        const first = top.keys.get(key);
        if (first !== undefined && !ignored.has(key))
          return { path: child(), firstLine: first, secondLine: line };
        top.keys.set(key, line);
      }
      i = end; // a string holds no raw new line (JSON forbids control characters in it)
    }
  }
  return null;
}
