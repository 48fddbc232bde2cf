import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';

/**
 * archive/README.md (beside the records folder): the layout explained to a person who has only
 * `ls`, `cat` and `jq`. Written when missing, never overwritten: once a newsroom edits it, it is
 * theirs. `feedkeeper init`, every `feedkeeper archive` command and a `build` that builds the
 * catalogue or writes records (src/pipeline/archive-articles.ts) call ensureArchiveReadme().
 */
export function archiveReadmeText(): string {
  return `# This archive

Written by feedkeeper. Edit it freely: feedkeeper writes this file only when it is missing.

## Layout

    articles/                      the stored articles, as the newsroom wrote them (never modified)
    records/YYYY/MM/<slug>.json    one record per article, by month of first publication (UTC)

A record is plain JSON, keys always in the same order: \`id\` (the feeds' guid), \`slug\`,
\`url\`, \`title\`, \`section\`, \`tags\`, \`language\`, \`summary\`, \`body\` (blocks of
\`paragraph\` / \`heading\` text), \`source\`, \`authors\`, \`publishedAt\`, \`publishedFrom\`
(where that date came from: \`frontMatter\`, \`fileName\`, \`fileMtime\`, \`firstSeen\`; absent in
older records), \`updatedAt\`,
\`withdrawnAt\` (null unless its stored article went away; a record whose \`publishedAt\` is
still to come is under embargo: archived, not published yet), \`restoredAt\` (only once a withdrawn article came
back: when), \`wordCount\`, \`input\` (the stored article it was made
from, with its sha256) and \`revisions\` (every earlier version in full, oldest first).
Nothing is ever deleted: a withdrawn article keeps its record, with \`withdrawnAt\` set.

## Recipes

These work at any size: \`find … -print0 | xargs -0\` never builds a command line too long for
the shell, however many files there are (a \`records/*/*/*.json\` glob fails at tens of thousands).

    # one record, readable
    jq . records/2026/11/some-slug.json

    # the titles of one month
    find records/2026/11 -name '*.json' -print0 | xargs -0 jq -r '.title'

    # every published article: date, id, title (one line each), newest first
    find records -name '*.json' -print0 \\
      | xargs -0 jq -r 'select(.withdrawnAt == null and .publishedAt <= (now | todate))
          | [.publishedAt, .id, .title] | @tsv' \\
      | sort -r

    # articles under embargo, next due first
    find records -name '*.json' -print0 \\
      | xargs -0 jq -r 'select(.withdrawnAt == null and .publishedAt > (now | todate))
          | "\\(.publishedAt) \\(.title)"' | sort

    # withdrawn articles (one whose publishedAt is after its withdrawnAt was never published)
    find records -name '*.json' -print0 | xargs -0 jq -r 'select(.withdrawnAt != null) | "\\(.withdrawnAt) \\(.title)"'

    # articles revised at least once, with their number of revisions
    find records -name '*.json' -print0 | xargs -0 jq -r 'select((.revisions | length) > 0) | "\\(.revisions | length) \\(.title)"'

    # find a record by its id (or any text)
    find records -name '*.json' -print0 | xargs -0 grep -l 'tag:news.example.org,2026-11-25:a-slug'

    # the text of an article, headings marked
    jq -r '.body[] | if .type == "heading" then "## " + .text else .text end' records/2026/11/some-slug.json

    # a tag, or a section
    find records -name '*.json' -print0 | xargs -0 jq -r 'select(.tags | index("energy")) | .title'

## Faster, with feedkeeper

    feedkeeper archive list [--since DATE] [--tag T] [--json]   from the catalogue, no record read
    feedkeeper archive show <id|slug|path|url>
    feedkeeper archive history <id|slug>                         every revision, word diff
    feedkeeper archive verify                                    is the archive whole?
`;
}

/** Write archive/README.md beside the records folder if it is missing. Returns its path if written. */
export function ensureArchiveReadme(recordsDir: string): string | null {
  const file = join(dirname(recordsDir), 'README.md');
  if (existsSync(file)) return null;
  writeFileAtomic(file, archiveReadmeText());
  return file;
}
