import { JSON_SCHEMA_VERSION } from '../api/schema-version.js';
import { formatUtcSecond, toUtcSecond } from '../normalize/dates.js';
import { existsSync } from 'node:fs';
import { readRegular } from '../io/read-regular.js';
import { isAbsolute, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { counted } from './counted.js';
import { verbosity } from './output.js';
import { ensureArchiveReadme } from '../archive/archive-readme.js';
import { emptyCatalogue, type Catalogue, type RecordMeta } from '../archive/catalogue.js';
import { catalogueFiles, loadRecordIndex, readGeneration } from '../archive/catalogue-file.js';
import { rebuildCatalogue } from '../archive/rebuild-catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { listRecords, type ListFilter } from '../history/list-records.js';
import { formatHistory, formatRecord } from '../history/show-record.js';
import { verifyArchive } from '../history/verify-archive.js';
import { printLines } from './closed-pipe.js';
import { escapeControls } from '../model/escape-controls.js';
import { cliContext } from './context.js';
import { EXIT } from './exit-codes.js';
import { formatIssues } from './print-report.js';
import { releasedUpTo } from '../pipeline/publish-state.js';
import { didYouMeanText } from '../model/did-you-mean.js';

export const usage = `feedkeeper archive <list|show|history|verify> [options] [--config FILE]
  list [--since DATE] [--until DATE] [--tag T] [--section S] [--language L]
       [--status published|scheduled|withdrawn|all] [--limit N] [--json]
                         records, newest first, from the catalogue (no record is read);
                         --json prints JSON Lines, one record a line
  show <id|slug|path|url> [--json]
                         one record, readable; --json prints the record file as it is
                         (path: the record's, or its stored article's)
  history <id|slug|path|url>
                         every revision with its date and a word diff of what changed:
                         [-removed-]{+added+}; a [, ], {, } or \\ of the text itself is
                         written with a \\ before it (\\[ \\] \\{ \\} \\\\)
  verify [--json]        is the archive whole? records parse and match their schema, the
                         catalogue agrees, stored articles are unchanged (or moved), ids and slugs
                         are unique, every published record is reachable through the feeds'
                         archive chain (and the month pages, once published); exit 1 and the list
                         of problems otherwise`;

/** The options each subcommand takes (--config: all of them). */
const TAKES: Readonly<Record<string, readonly string[]>> = {
  list: ['json', 'since', 'until', 'tag', 'section', 'language', 'status', 'limit'],
  show: ['json'],
  history: [],
  verify: ['json'],
};

class UsageError extends Error {
  override name = 'UsageError';
}

export async function archive(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      json: { type: 'boolean' },
      since: { type: 'string' },
      until: { type: 'string' },
      tag: { type: 'string' },
      section: { type: 'string' },
      language: { type: 'string' },
      status: { type: 'string' },
      limit: { type: 'string' },
    },
  });
  if (sub === undefined) throw new UsageError('which one: list, show, history or verify?');
  if (!(sub in TAKES))
    throw new UsageError(
      `unknown archive command "${sub}"${didYouMeanText(sub, Object.keys(TAKES), ': it is list, show, history or verify.')}`,
    );
  // An option another subcommand takes is refused, not ignored: `history --json` printed the
  // text, and a script piping it to jq failed.
  for (const key of Object.keys(values))
    if (key !== 'config' && !TAKES[sub]!.includes(key))
      throw new UsageError(
        `archive ${sub} does not take --${key}${key === 'json' && sub === 'history' ? ' (archive show --json prints the record, its revisions with it)' : ''}.`,
      );
  const rc = cliContext(values.config).config;
  ensureArchiveReadme(rc.paths.records);
  if (sub === 'list') return list(rc, values);
  if (sub === 'verify') return verify(rc, values.json === true);
  const what = positionals[0];
  if (what === undefined || what.trim() === '')
    throw new UsageError(`${sub} needs an id, a slug, a path or a URL.`);
  const path = find(rc, catalogueOf(rc), what);
  if (path === null) {
    console.error(
      `feedkeeper archive ${sub}: no record is ${JSON.stringify(what)} (tried it as an id, a slug, a record path, a stored article's path and a URL).\n  hint: feedkeeper archive list --status all shows every record.`,
    );
    return EXIT.problems;
  }
  const read = readRecord(rc.paths.records, path, rc.root);
  if ('issue' in read) {
    console.error(formatIssues([read.issue]).join('\n'));
    return EXIT.problems;
  }
  const shown = relative(rc.root, join(rc.paths.records, path));
  const now = formatUtcSecond(Date.now());
  if (sub === 'show')
    console.log(
      values.json === true
        ? readRegular(join(rc.paths.records, path), true).toString('utf8').trimEnd()
        : formatRecord(read.record, shown, now, releasedUpTo(rc.paths.state, now)),
    );
  else console.log(formatHistory(read.record));
  return EXIT.ok;
}

/** The first and last second a --since / --until value covers (a date alone: the whole UTC day). */
const rangeStart = (value: string): number => Date.parse(toUtcSecond(value)!);
const rangeEnd = (value: string): number =>
  rangeStart(value) + (/^\d{4}-\d{2}-\d{2}$/.test(value) ? 86_399_000 : 0);

function catalogueOf(rc: ResolvedConfig): Catalogue {
  const files = catalogueFiles(rc.paths.state, rc.paths.records);
  // The record index alone (records.json): list, show and history need no input rows, and at
  // 100,000 articles inputs.json costs as much again to parse.
  const cat = emptyCatalogue();
  // Trusted only while it indexes the records folder as it is (archive/catalogue-file.ts).
  cat.generation = readGeneration(files);
  if (!existsSync(files.dirty) && loadRecordIndex(files, cat)) return cat;
  // No catalogue yet (or a broken one): read the records once, in memory; nothing is written.
  return rebuildCatalogue(rc.paths.records, rc.root);
}

async function list(
  rc: ResolvedConfig,
  v: {
    json?: boolean;
    since?: string;
    until?: string;
    tag?: string;
    section?: string;
    language?: string;
    status?: string;
    limit?: string;
  },
): Promise<number> {
  const status = v.status ?? 'published';
  if (
    status !== 'published' &&
    status !== 'scheduled' &&
    status !== 'withdrawn' &&
    status !== 'all'
  )
    throw new UsageError(
      `--status is published, scheduled, withdrawn or all, not "${status}"${didYouMeanText(status, ['published', 'scheduled', 'withdrawn', 'all'])}`,
    );
  for (const [flag, value] of [
    ['--since', v.since],
    ['--until', v.until],
  ] as const)
    // A day of the calendar (2026-02-30 passed Date.parse, as 2026-03-02).
    if (value !== undefined && toUtcSecond(value) === null)
      throw new UsageError(
        `${flag} takes a date such as 2026-11-25 or 2026-11-25T08:00:00Z, not "${value}".`,
      );
  // A backwards range printed nothing and said nothing: an empty list looked like no record.
  if (v.since !== undefined && v.until !== undefined && rangeStart(v.since) > rangeEnd(v.until))
    throw new UsageError(
      `--since ${v.since} is after --until ${v.until}: no record can be in that range; swap them.`,
    );
  const limit = v.limit === undefined ? undefined : Number(v.limit);
  if (limit !== undefined && (!Number.isInteger(limit) || limit < 1))
    throw new UsageError(`--limit takes a whole number of at least 1, not "${v.limit}".`);
  const now = formatUtcSecond(Date.now());
  const filter: ListFilter = {
    status,
    now,
    released: releasedUpTo(rc.paths.state, now),
    ...(v.since === undefined ? {} : { since: v.since }),
    ...(v.until === undefined ? {} : { until: v.until }),
    ...(v.tag === undefined ? {} : { tag: v.tag }),
    ...(v.section === undefined ? {} : { section: v.section }),
    ...(v.language === undefined ? {} : { language: v.language }),
    ...(limit === undefined ? {} : { limit }),
  };
  const cat = catalogueOf(rc);
  // Rows from before the catalogue kept titles: read those records (once; build rewrites them).
  const metaOf = (path: string, row: { meta?: RecordMeta }): RecordMeta => {
    if (row.meta) return row.meta;
    const read = readRecord(rc.paths.records, path, rc.root);
    return 'record' in read
      ? {
          title: read.record.title,
          section: read.record.section,
          tags: read.record.tags,
          language: read.record.language,
        }
      : { title: '(unreadable record)', section: null, tags: [], language: '' };
  };
  const rows = listRecords(cat.records, metaOf, filter);
  await printLines(
    (function* () {
      for (const r of rows)
        yield v.json === true
          ? JSON.stringify(r)
          : `${r.publishedAt.slice(0, 10)}  ${r.status === 'published' ? '' : `${r.status}${r.due === true ? ' (due)' : ''} `}${r.language.padEnd(5)} ${escapeControls(r.title)}  (${escapeControls(r.path)})`;
    })(),
  );
  return EXIT.ok;
}

function find(rc: ResolvedConfig, cat: Catalogue, what: string): string | null {
  // A record path: as listed (YYYY/MM/slug.json), from the working folder, or absolute.
  const asPath = relative(rc.paths.records, isAbsolute(what) ? what : join(process.cwd(), what));
  for (const p of [what, asPath]) if (cat.records.has(p)) return p;
  const slugFromUrl = /\/([^/?#]+?)(?:\.html?)?(?:[?#].*)?$/.exec(what)?.[1];
  for (const [path, r] of cat.records) if (r.id === what) return path;
  for (const [path, r] of cat.records) if (r.slug === what) return path;
  // The stored article's path (archive/articles/x.md, from the working folder or absolute, or
  // as the record's `input` names it): the operator has the file in hand, not the record's
  // name (found by an outside try: "no record is archive/articles/x.md"). Its live record
  // first, else the last one it fed.
  const asInput = relative(rc.root, isAbsolute(what) ? what : join(process.cwd(), what));
  let fed: string | null = null;
  for (const [path, r] of cat.records)
    if (r.input === what || r.input === asInput) {
      if (!r.withdrawn) return path;
      fed = path;
    }
  if (fed !== null) return fed;
  if (/^https?:\/\//i.test(what)) {
    for (const [path, r] of cat.records)
      if (r.slug === slugFromUrl) {
        const read = readRecord(rc.paths.records, path, rc.root);
        if ('record' in read && read.record.url === what) return path;
      }
    // A URL from front matter: read the records until one has it.
    for (const path of cat.records.keys()) {
      const read = readRecord(rc.paths.records, path, rc.root);
      if ('record' in read && read.record.url === what) return path;
    }
  }
  return null;
}

function verify(rc: ResolvedConfig, json: boolean): number {
  const r = verifyArchive(rc);
  if (json) {
    // The shape every --json report has (docs/reference.md, "--json"): problems, not issues.
    const { issues, ...rest } = r;
    const report = {
      schemaVersion: JSON_SCHEMA_VERSION,
      command: 'archive verify',
      ok: issues.length === 0,
      ...rest,
      problems: issues,
    };
    console.log(JSON.stringify(report, null, 2));
  } else if (!(verbosity() === 'quiet' && r.issues.length === 0 && r.notes.length === 0)) {
    // -q: a verify that found nothing prints nothing (README, "The command line").
    const head = `archive verify: ${counted(r.records, 'record')}, ${r.live} published`;
    console.log(
      [
        r.issues.length === 0
          ? `${head}: every record is whole, catalogued, made from the stored article it names, and reachable through the RSS, Atom and JSON Feed archive chains.`
          : `${head}; ${r.issues.length} problem${r.issues.length === 1 ? '' : 's'}:`,
        ...formatIssues(r.issues),
        ...r.notes.map((n) => `note: ${n}`),
      ].join('\n'),
    );
  }
  return r.issues.length === 0 ? EXIT.ok : EXIT.problems;
}
