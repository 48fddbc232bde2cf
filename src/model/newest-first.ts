/**
 * The order of every list feedkeeper makes or checks (feeds, archive parts, pages, `archive
 * list`): newest first by publication, ties broken by id so the order never depends on the
 * disk. In model/ so that the renderers and the independent oracles (validate/expected-*.ts)
 * share the rule, not a copy of it.
 */
export const byPublishedDesc = (
  a: { publishedAt: string; id: string },
  b: { publishedAt: string; id: string },
): number =>
  a.publishedAt < b.publishedAt
    ? 1
    : a.publishedAt > b.publishedAt
      ? -1
      : a.id < b.id
        ? -1
        : a.id > b.id
          ? 1
          : 0;
