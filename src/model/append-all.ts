/**
 * Appends every item of `items` to `target`, in order. `target.push(...items)` passes each item
 * as an argument, and above ~125,000 arguments (Node 20's stack) it throws `RangeError: Maximum
 * call stack size exceeded`: a cold build of 300,000 articles crashed that way after writing
 * every record. Lists that grow with the archive (records, problems, files written) use this;
 * eslint forbids a spread in `push` anywhere in src/.
 */
export function appendAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
