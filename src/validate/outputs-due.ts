import { PART_SIZE } from '../model/feed-history.js';
import { partName } from '../model/month-parts.js';
import { byPublishedDesc } from '../model/newest-first.js';
import type { PartsAside } from './rows-around.js';

/**
 * The outputs a run must render because of the records it changed, on a path of its own (it
 * shares nothing with the planners, pipeline/render-pages.ts `planPages` and
 * history/archive-chain.ts `docsDue`, nor with their keys and stamps): the gate proves only what
 * a run renders, so a planner that skips an output left it as it was, proven by nobody (a
 * withdrawn article's full page answered 200, a revised article's old page, a stale archive
 * document). Pure.
 *
 * Every record the archive step added, revised, withdrew or restored, or whose embargo this run
 * ends, that readers can see (published by the run's clock, or withdrawn after it was) and that
 * the run did not leave out needs:
 * - its page (the article, or the notice of a withdrawn one), when its URL gives it one;
 * - the page of its month's part, while the month has an article readers can see (a month of
 *   withdrawn articles alone has its pages removed);
 * - its part's three RFC 5005 archive documents, while the part has a live record; once its
 *   records are all withdrawn, the part has none, and the run must remove those published.
 * The subscription documents and the front page are rendered by every run that renders.
 */
export interface ChangedRow {
  readonly id: string;
  readonly publishedAt: string;
  readonly withdrawn: boolean;
  readonly withdrawnAt: string | null;
}

export interface DueInput {
  /**
   * Record paths the archive step added, revised, withdrew or restored this run, and those an
   * embargo held back at the last publication (released now if due).
   */
  readonly changed: Iterable<string>;
  /**
   * Every catalogue row (withdrawn and embargoed ones included), or, with `before` and
   * `after`, the rows of each changed month's parts from its first to its last changed one
   * (validate/rows-around.ts).
   */
  readonly rows: ReadonlyMap<string, ChangedRow>;
  /** Per month, the whole parts before and after the rows given (none: every row is given). */
  readonly before?: ReadonlyMap<string, PartsAside>;
  readonly after?: ReadonlyMap<string, PartsAside>;
  /** The run's clock (UTC, `YYYY-MM-DDTHH:MM:SSZ`). */
  readonly now: string;
  /** Records left out as unrenderable (reported on their own). */
  readonly leftOut: { has(path: string): boolean };
  /**
   * The page file a changed record must have (under out/), null when it has none (its URL is on
   * another host, or one no page can be written at: reported as PAGE_URL_UNUSABLE). Asked only
   * of a record no rendered page was made from.
   */
  readonly pageOf: (path: string) => string | null;
  /** The pages this run rendered: file → the record it was rendered from (none: a list page). */
  readonly pages: ReadonlyMap<string, string | undefined>;
  /** The archive documents (names, `YYYY/MM[/n]`) this run rendered and proved. */
  readonly docs: ReadonlySet<string>;
  /** The archive documents (names) whose files this run removes from out/. */
  readonly docsRemoved: ReadonlySet<string>;
  /** Whether a file (under out/) is there now. */
  readonly published: (file: string) => boolean;
}

export interface MissingOutput {
  /** The output's file under out/. */
  readonly file: string;
  /** The record path that needs it. */
  readonly record: string;
  /** What the record is: for the message. */
  readonly what: string;
  /** Rendered, or (a document of a part of withdrawn records alone) removed. */
  readonly must: 'render' | 'remove';
}

/** Whether readers ever saw it: due by `now`, and if withdrawn, withdrawn after it was due. */
export const seen = (r: ChangedRow, now: string): boolean =>
  r.publishedAt <= now &&
  (!r.withdrawn || r.withdrawnAt === null || r.withdrawnAt >= r.publishedAt);

export const monthOfRow = (r: ChangedRow): string =>
  `${r.publishedAt.slice(0, 4)}/${r.publishedAt.slice(5, 7)}`;

export interface OutputsDue {
  readonly missing: MissingOutput[];
  /**
   * The changed records' pages and whether each must be answered 410 Gone: its `.gone` marker is
   * checked on disk once the markers are set, whatever the rows of the outputs say.
   */
  readonly markers: { readonly file: string; readonly gone: boolean }[];
}

export function outputsDue(input: DueInput): OutputsDue {
  const { rows, now, leftOut } = input;
  const visible = (path: string, r: ChangedRow): boolean => seen(r, now) && !leftOut.has(path);
  const wanted = new Map<string, ChangedRow>();
  for (const path of input.changed) {
    const r = rows.get(path);
    if (r !== undefined && visible(path, r)) wanted.set(path, r);
  }
  const missing: MissingOutput[] = [];
  const markers: { file: string; gone: boolean }[] = [];
  if (wanted.size === 0) return { missing, markers };
  // The months of the changed records, each with its visible rows oldest first (withdrawn ones
  // included: a withdrawal never moves a record to another part) and whether one is live.
  const months = new Map<string, { list: [string, ChangedRow][]; live: boolean }>();
  for (const r of wanted.values()) months.set(monthOfRow(r), { list: [], live: false });
  for (const [path, r] of rows) {
    const m = months.get(monthOfRow(r));
    if (m === undefined || !visible(path, r)) continue;
    m.list.push([path, r]);
    if (!r.withdrawn) m.live = true;
  }
  const partOf = new Map<string, string>();
  /** The parts of those months that hold a live record (those that have documents). */
  const liveParts = new Set<string>();
  for (const [month, m] of months) {
    // The parts before and after the rows given: none holds a changed record.
    const head = input.before?.get(month);
    if (head?.live === true || input.after?.get(month)?.live === true) m.live = true;
    const skipped = (head?.parts ?? 0) * PART_SIZE;
    m.list.sort(([, a], [, b]) => byPublishedDesc(b, a));
    m.list.forEach(([path, r], i) => {
      const part = partName(month, Math.floor((skipped + i) / PART_SIZE) + 1);
      if (wanted.has(path)) partOf.set(path, part);
      if (!r.withdrawn) liveParts.add(part);
    });
  }
  // A page rendered from the record is proven against it (a live page's canonical link is the
  // record's URL; the renderer places it by that URL): its file is not looked up again. Only a record without one is asked about (read), so a
  // cold build of 10,000 new articles reads none twice more.
  const pageFrom = new Map<string, string>();
  for (const [file, record] of input.pages) if (record !== undefined) pageFrom.set(record, file);
  for (const [path, r] of wanted) {
    const what = r.withdrawn ? 'withdrawn' : 'changed';
    const page = pageFrom.get(path) ?? input.pageOf(path);
    if (page !== null) markers.push({ file: page, gone: r.withdrawn });
    if (page !== null && input.pages.get(page) !== path)
      missing.push({
        file: page,
        record: path,
        what: r.withdrawn ? 'withdrawn (its notice page)' : 'changed (its page)',
        must: 'render',
      });
    const part = partOf.get(path);
    if (part === undefined) continue;
    const monthPage = `archive/${part}/index.html`;
    if (months.get(monthOfRow(r))?.live === true && !input.pages.has(monthPage))
      missing.push({
        file: monthPage,
        record: path,
        what: `${what} (its month page)`,
        must: 'render',
      });
    const documents = ['rss.xml', 'atom.xml', 'feed.json'].map((f) => `archive/${part}/${f}`);
    if (liveParts.has(part) && !input.docs.has(part))
      for (const file of documents)
        missing.push({
          file,
          record: path,
          what: `${what} (its archive document)`,
          must: 'render',
        });
    // A part of withdrawn records alone leaves the chain: a document of no entries is refused by
    // readers (feed-extractor), and its neighbours no longer link it.
    if (!liveParts.has(part) && !input.docsRemoved.has(part))
      for (const file of documents)
        if (input.published(file))
          missing.push({
            file,
            record: path,
            what: `${what} (its archive document)`,
            must: 'remove',
          });
  }
  return { missing, markers };
}
