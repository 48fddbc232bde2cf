import { formatUtcSecond } from '../normalize/dates.js';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readRegular, unreadableBecause } from '../io/read-regular.js';
import { readOutput } from '../io/read-output.js';
import { join, relative } from 'node:path';
import { catalogueFiles, loadCatalogue, loadRecordIndex } from '../archive/catalogue-file.js';
import { listRecordFiles } from '../archive/rebuild-catalogue.js';
import { readRecord } from '../archive/read-record.js';
import type { ResolvedConfig } from '../config/load-config.js';
import { detached } from '../model/detached.js';
import { issue, type Issue } from '../model/issue.js';
import { OUTPUTS } from '../model/outputs.js';
import { releasedUpTo } from '../pipeline/publish-state.js';
import { releaseOf } from '../pipeline/release.js';

/**
 * `feedkeeper archive verify`: is the archive whole? Every record parses and matches its schema;
 * the catalogue agrees with the records; each live record's stored article is still there with
 * the bytes it was made from (or has moved); ids and slugs are unique; every published record is
 * reachable through each format's RFC 5005 chain (walked by its links from the subscription
 * document) and, when pages are published, through its month's page. One pass over the records.
 */
export interface VerifyResult {
  readonly records: number;
  readonly live: number;
  readonly issues: Issue[];
  readonly notes: string[];
}

const HINT_BUILD = 'Run feedkeeper build (build --full after a hand edit or a restore).';

export function verifyArchive(rc: ResolvedConfig): VerifyResult {
  const { paths, root, config } = rc;
  const shownRecord = (rel: string): string => relative(root, join(paths.records, rel));
  const issues: Issue[] = [];
  const notes: string[] = [];
  const now = formatUtcSecond(Date.now());
  // Published means released by a build: a record whose embargo ended after the last
  // publication is in no chain and on no page until the next build, and that is no fault (the
  // rule `check` uses: pipeline/publish-state.ts, releasedUpTo). It was four errors per record
  // between an embargo's time and the next cron build (found by an outside try).
  const released = releasedUpTo(paths.state, now);
  const due: { file: string; publishedAt: string }[] = [];
  const files = catalogueFiles(paths.state, paths.records);
  const cat = loadCatalogue(files);
  // Its inputs whole (every bucket, archive/input-table.ts): a bucket that cannot be read is the
  // catalogue unreadable.
  const indexed = cat !== null && loadRecordIndex(files, cat) && cat.inputs.loadAll();
  if (!indexed)
    issues.push(
      issue(
        'CATALOGUE_MISSING',
        'error',
        relative(root, files.records),
        'is missing or unreadable, so it cannot be compared with the records.',
        HINT_BUILD,
      ),
    );
  // Inputs the catalogue knows, by content: where a moved article went.
  const byHash = new Map<string, string>();
  if (cat !== null && cat.inputs.loadAll())
    for (const [path, e] of cat.inputs) byHash.set(e.sha256, path);

  const ids = new Map<string, string>();
  const slugs = new Map<string, string>();
  const live = new Map<string, { path: string; url: string; month: string }>();
  let count = 0;
  const seen = new Set<string>();
  for (const rel of listRecordFiles(paths.records)) {
    count++;
    seen.add(rel);
    const read = readRecord(paths.records, rel, root);
    if ('issue' in read) {
      issues.push(read.issue);
      continue;
    }
    const r = read.record;
    const file = shownRecord(rel);
    for (const [map, key, what] of [
      [ids, r.id, 'id'],
      [slugs, r.slug, 'slug'],
    ] as const) {
      const other = map.get(key);
      if (other !== undefined)
        issues.push(
          issue(
            what === 'id' ? 'DUPLICATE_ID' : 'DUPLICATE_SLUG',
            'error',
            file,
            `has the ${what} ${JSON.stringify(key)}, which ${other} has too.`,
            `Every record needs its own ${what}: one of the two was copied or edited by hand; restore it from a backup.`,
          ),
        );
      else map.set(key, file);
    }
    const row = cat?.records.get(rel);
    if (indexed) {
      const differs =
        row === undefined
          ? 'is not in the catalogue'
          : row.id !== r.id
            ? `has id ${r.id}; the catalogue says ${row.id}`
            : row.publishedAt !== r.publishedAt || row.updatedAt !== r.updatedAt
              ? `has dates ${r.publishedAt} / ${r.updatedAt}; the catalogue says ${row.publishedAt} / ${row.updatedAt}`
              : row.withdrawn !== (r.withdrawnAt !== null)
                ? `is ${r.withdrawnAt === null ? 'live' : 'withdrawn'}; the catalogue says otherwise`
                : (row.restoredAt ?? null) !== (r.restoredAt ?? null)
                  ? `was restored at ${r.restoredAt ?? '(never)'}; the catalogue says ${row.restoredAt ?? '(never)'}`
                  : null;
      if (differs !== null)
        issues.push(issue('CATALOGUE_MISMATCH', 'error', file, `${differs}.`, HINT_BUILD));
    }
    // Withdrawn, or under embargo (not published yet: in no chain, on no page).
    const release = releaseOf(r.publishedAt, now, released);
    if (r.withdrawnAt === null && release === 'due') due.push({ file, publishedAt: r.publishedAt });
    if (r.withdrawnAt !== null || release !== 'published') continue;
    live.set(r.id, {
      path: rel,
      url: r.url,
      month: `${r.publishedAt.slice(0, 4)}/${r.publishedAt.slice(5, 7)}`,
    });
    const input = join(root, r.input.path);
    if (!existsSync(input)) {
      const moved = byHash.get(r.input.sha256);
      issues.push(
        issue(
          'INPUT_MISSING',
          'error',
          file,
          moved !== undefined && moved !== r.input.path
            ? `was made from ${r.input.path}, which moved to ${moved}.`
            : `was made from ${r.input.path}, which is gone.`,
          moved !== undefined && moved !== r.input.path
            ? 'Run feedkeeper build: it follows the move and updates the record.'
            : 'Restore the article, or run feedkeeper build to withdraw the record.',
        ),
      );
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = readRegular(input, true);
    } catch (error) {
      // A FIFO or a device where the article was: never read (it would wait or never end).
      issues.push(
        issue(
          'INPUT_CHANGED',
          'error',
          file,
          `was made from ${r.input.path}, which ${unreadableBecause(input, error)}.`,
          'Put the article back as a regular file, or run feedkeeper build to withdraw the record.',
        ),
      );
      continue;
    }
    const sha = createHash('sha256').update(bytes).digest('hex');
    if (sha !== r.input.sha256)
      issues.push(
        issue(
          'INPUT_CHANGED',
          'error',
          file,
          `was made from ${r.input.path}, whose bytes changed since (sha256 ${sha.slice(0, 12)}…, the record says ${r.input.sha256.slice(0, 12)}…).`,
          'Run feedkeeper build to archive the edit as a revision.',
        ),
      );
  }
  if (indexed)
    for (const rel of cat.records.keys())
      if (!seen.has(rel))
        issues.push(
          issue(
            'CATALOGUE_MISMATCH',
            'error',
            shownRecord(rel),
            'is in the catalogue, but the record file is missing.',
            'Restore the record from a backup, then run feedkeeper build --full.',
          ),
        );

  // Reachable through the chain, in each format, by the links in the files.
  for (const row of OUTPUTS) {
    const found = walkChain(paths.out, config.site.baseUrl, row.file, row.format);
    if (found.error !== null) {
      issues.push(
        issue(
          'CHAIN_BROKEN',
          'error',
          relative(root, join(paths.out, found.error.file)),
          found.error.message,
          HINT_BUILD,
        ),
      );
      continue;
    }
    const missing = [...live.keys()].filter((id) => !found.ids.has(id));
    for (const id of missing.slice(0, 20))
      issues.push(
        issue(
          'NOT_IN_CHAIN',
          'error',
          shownRecord(live.get(id)?.path ?? id),
          `is published but no ${row.format} document of the archive chain lists it (walked ${found.documents} documents from ${row.file}).`,
          HINT_BUILD,
        ),
      );
    if (missing.length > 20)
      notes.push(`${missing.length - 20} more records are missing from the ${row.format} chain.`);
  }
  // And through the pages, once they are published: a month's first page
  // (out/archive/YYYY/MM/index.html, the one the front page links) and, for a month in parts,
  // each part its list of parts links (render/list-pages.ts), followed as a reader would. Each
  // month's links are read once into a set: searching the pages' text for each of its records
  // was quadratic (34 s of a 10,000-article month's 45 s verify).
  const pages = new Map<string, ReadonlySet<string> | null>();
  const linksOf = (month: string): ReadonlySet<string> | null => {
    if (!pages.has(month)) {
      const first = readPage(paths.out, `archive/${month}/index.html`);
      const parts = /<section class="parts">([\s\S]*?)<\/section>/.exec(first)?.[1] ?? '';
      const texts = [first];
      for (const m of parts.matchAll(/href="([^"]*)"/g)) {
        const file = pageFileOf(m[1] ?? '', `archive/${month}/index.html`);
        if (file !== null && file !== `archive/${month}/index.html`)
          texts.push(readPage(paths.out, file));
      }
      pages.set(month, first === '' ? null : hrefsOf(texts));
    }
    return pages.get(month) ?? null;
  };
  if (
    !existsSync(join(paths.out, 'archive')) ||
    ![...live.values()].some((l) => linksOf(l.month) !== null)
  )
    notes.push(
      'no month pages are published (out/archive/YYYY/MM/index.html): reachability through the pages was not checked.',
    );
  else
    for (const l of live.values()) {
      const links = linksOf(l.month);
      const slug = l.path.slice(l.path.lastIndexOf('/') + 1).replace(/\.json$/, '');
      if (links === null || (!links.has(l.url) && !links.has(`${slug}.html`)))
        issues.push(
          issue(
            'NOT_IN_PAGES',
            'error',
            shownRecord(l.path),
            `is published but no page of its month links it (out/archive/${l.month}/index.html and the parts it lists).`,
            HINT_BUILD,
          ),
        );
    }
  due.sort((a, b) => (a.publishedAt < b.publishedAt ? -1 : a.publishedAt > b.publishedAt ? 1 : 0));
  for (const d of due.slice(0, 20))
    notes.push(
      `${d.file}: its embargo is due since ${d.publishedAt}, not released yet (the last publication was at ${released}): the next build (or feedkeeper schedule) publishes it; not looked for in the chains or pages until then.`,
    );
  if (due.length > 20) notes.push(`${due.length - 20} more records are due, not released yet.`);
  return { records: count, live: live.size, issues, notes };
}

const readPage = (outDir: string, file: string): string => {
  try {
    return readOutput(join(outDir, file)).toString('utf8');
  } catch {
    return '';
  }
};

/** The file under out/ a relative link on page `from` leads to (null: outside archive/). */
function pageFileOf(href: string, from: string): string | null {
  const path = new URL(href.replaceAll('&amp;', '&'), `http://x/${from}`).pathname.slice(1);
  if (!path.startsWith('archive/')) return null;
  return path.endsWith('/') ? `${path}index.html` : path;
}

/**
 * Every href of some pages (our own markup: double-quoted attributes), each also by its last
 * path segment, which is how a month page links a minted page (`../../../articles/<slug>.html`).
 */
function hrefsOf(pages: readonly string[]): Set<string> {
  const links = new Set<string>();
  for (const html of pages)
    for (const m of html.matchAll(/ href="([^"]*)"/g)) {
      // Detached: a slice of the page would keep the whole page alive (model/detached.ts).
      const href = detached(unescape(m[1] ?? ''));
      links.add(href);
      links.add(detached(href.slice(href.lastIndexOf('/') + 1)));
    }
  return links;
}

/**
 * Follow prev-archive (RSS atom:link, Atom link, JSON Feed next_url) from a subscription
 * document, collecting entry ids. Our own files, read by their known shape: ids are pulled with
 * patterns, not a full parse (the gate parses each document fully when it is published), so a
 * weekly run over 100,000 entries stays fast.
 */
export function walkChain(
  outDir: string,
  baseUrl: string,
  start: string,
  format: 'rss' | 'atom' | 'json',
): { ids: Set<string>; documents: number; error: { file: string; message: string } | null } {
  const ids = new Set<string>();
  const visited = new Set<string>();
  let file: string | null = start;
  while (file !== null) {
    if (visited.has(file))
      return {
        ids,
        documents: visited.size,
        error: { file, message: 'is reached twice: the archive chain loops.' },
      };
    visited.add(file);
    let text: string;
    try {
      text = readOutput(join(outDir, file)).toString('utf8');
    } catch {
      return {
        ids,
        documents: visited.size,
        error: { file, message: 'is missing, but the archive chain links it.' },
      };
    }
    let prev: string | undefined;
    if (format === 'json') {
      try {
        const f = JSON.parse(text) as { items?: { id?: string }[]; next_url?: string };
        for (const i of f.items ?? []) if (typeof i.id === 'string') ids.add(detached(i.id));
        prev = f.next_url;
      } catch {
        return { ids, documents: visited.size, error: { file, message: 'is not valid JSON.' } };
      }
    } else {
      const pattern =
        format === 'rss'
          ? /<guid isPermaLink="false">([^<]*)<\/guid>/g
          : /<\/title>\s*<id>([^<]*)<\/id>/g;
      // Detached: an id sliced from the document kept the whole document alive, every
      // document of the chain at once (model/detached.ts; with `visited` below: 93 MB at
      // 10,000 records).
      for (const m of text.matchAll(pattern)) ids.add(detached(unescape(m[1] ?? '')));
      prev = /<(?:atom:)?link rel="prev-archive" href="([^"]*)"/.exec(text)?.[1];
    }
    if (prev === undefined) break;
    if (!prev.startsWith(`${baseUrl}/`))
      return {
        ids,
        documents: visited.size,
        error: { file, message: `links prev-archive to ${prev}, outside site.baseUrl.` },
      };
    // Detached: `visited` keeps it, and a slice of the document kept the whole document.
    file = detached(prev.slice(baseUrl.length + 1));
  }
  return { ids, documents: visited.size, error: null };
}

const unescape = (s: string): string =>
  s.replace(
    /&#x([0-9a-f]+);|&#(\d+);|&(amp|lt|gt|quot|apos);/gi,
    (_m, hex: string, dec: string, name: string) =>
      hex
        ? String.fromCodePoint(parseInt(hex, 16))
        : dec
          ? String.fromCodePoint(Number(dec))
          : (({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[
              name
            ] ?? ''),
  );
