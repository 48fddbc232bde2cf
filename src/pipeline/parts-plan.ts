import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { RecordEntry } from '../archive/catalogue.js';
import type { RowChange, SortKey } from '../archive/record-chunks.js';
import type { RecordChunks } from '../archive/record-view.js';
import { slugOfRecordPath } from '../archive/record-path.js';
import { chainDoc, type ArchiveDoc } from '../history/archive-chain.js';
import { docUntouched, type HistoryState } from '../history/history-state.js';
import { byPart, partsDue } from '../history/parts-due.js';
import type { DocsDue } from '../history/render-archive.js';
import type { VisibleParts } from '../history/visible-parts.js';
import { PART_SIZE } from '../model/feed-history.js';
import { archiveOutputs } from '../model/outputs.js';
import { partName, type MonthPart } from '../model/month-parts.js';
import { monthFile } from '../render/page-paths.js';
import { visibleRows, wasPublished } from './embargo.js';
import type { RecordRowChanges } from './archive-articles.js';
import { RecordsUnreadableError } from '../archive/rows-on-demand.js';
import { RecordChunkError } from '../archive/record-view-file.js';
import { partKey, type PagePlanning } from './page-plan.js';
import { GroupRows } from './page-rows.js';
import { stampOf, type PageRow, type PageState } from './page-state.js';
import type { ScheduledRecord } from './publish-state.js';

/**
 * The archive documents and the pages a run renders, planned from the rows changed since the
 * last publication (history/parts-due.ts) instead of cutting every month and comparing every
 * part's key with the saved state (render-archive.ts docsDue, page-plan.ts planPages): the same
 * plan (the same documents and pages due and gone, the same keys saved in history.json and the
 * page state), reading the chunks of the parts it moves, not every row (docs/development.md,
 * "Where steps 3 to 5 stand after the twentieth session", reason 1).
 *
 * The parts due are a superset of those whose key moved: each one's key is made as the whole
 * plans make it (archive-chain.ts chainDoc, page-plan.ts partKey) and compared with the saved
 * one, so exactly the parts the whole plans would render are rendered. The caller uses it only
 * when every input is known (render-feeds.ts says when); otherwise, and when the saved states
 * are not what this plan builds on (a page state of before groups), null: the whole plans.
 */
export interface PartsPlanInput {
  readonly view: RecordChunks;
  /** The catalogue's rows after the run (read on demand: a chunk per row asked). */
  readonly records: ReadonlyMap<string, RecordEntry>;
  /** The record paths whose path slug is `slug` (the index by key: key-index.ts). */
  readonly slugHolders: (slug: string) => readonly string[];
  /** Every row set or removed since the last publication, with what it was then. */
  readonly changes: readonly RowChange[];
  readonly now: string;
  /** Left out at the last publication (left-out.ts), with their sort keys then. */
  readonly leftOutBefore: ReadonlyMap<string, SortKey>;
  /** Left out now, with their sort keys now. */
  readonly leftOutAfter: ReadonlyMap<string, SortKey>;
  /** The records under embargo at the last publication (publish-state.ts). */
  readonly scheduled: readonly ScheduledRecord[];
  readonly fingerprint: string;
  /** config.feed.size: whether the subscription documents hold every live row. */
  readonly feedSize: number;
  /** The archive documents the last publication left (history.json). */
  readonly history: HistoryState;
  /** The page state the last publication left. */
  readonly pagesBefore: PageState;
  /** out/: the documents' files are looked at (as docsDue does), and the month pages'. */
  readonly out: string;
}

export interface PartsPlan {
  readonly docs: DocsDue;
  readonly pages: PagePlanning;
  readonly parts: VisibleParts;
}

type Row = readonly [string, RecordEntry];

export function partsPlan(input: PartsPlanInput): PartsPlan | null {
  const { view, records, now, fingerprint, history, pagesBefore, out } = input;
  const base = pagesBefore.records;
  if (!(base instanceof GroupRows)) return null;
  const due = partsDue({
    view,
    changes: input.changes,
    now,
    leftOutBefore: input.leftOutBefore,
    leftOutAfter: input.leftOutAfter,
    scheduled: input.scheduled,
  });
  const { parts } = due;
  const rowsOf = new Map<string, Row[]>();
  const partRows = (name: string): Row[] => {
    let rows = rowsOf.get(name);
    if (rows === undefined) {
      const [month, n] = split(name);
      rowsOf.set(name, (rows = parts.partRows(month, n)));
    }
    return rows;
  };

  // The chain: the documents the last publication had, less those gone, with those new.
  const inChain = new Set(Object.keys(history.docs));
  for (const name of due.goneDocuments) inChain.delete(name);
  for (const name of due.documents) inChain.add(name);
  const names = [...inChain].sort(byPart);
  const asked = new Set(due.documents);
  // Each document's files are statted once (three a part: 3,000 stats at 100,000 articles in
  // one month, made twice before).
  const touched = new Set<string>();
  for (const name of names) if (!docUntouched(history, out, name)) touched.add(name);
  for (const name of touched) asked.add(name);
  let docs = names.map((name, i): ArchiveDoc => {
    const saved = history.docs[name];
    if (!asked.has(name) && saved !== undefined)
      return {
        name,
        live: [],
        changedAt: '',
        key: saved.key,
        ...(saved.from === undefined ? {} : { from: saved.from }),
      };
    return chainDoc(name, partRows(name), names[i - 1] ?? null, names[i + 1] ?? null, fingerprint);
  });
  const docsDue = docs
    .map((d, i) => ({ d, i }))
    .filter(({ d }) => history.docs[d.name]?.key !== d.key || touched.has(d.name));
  let liveCount = 0;
  for (const m of parts.months) liveCount += parts.cut(m).live;
  const gone = due.goneDocuments.filter((name) =>
    archiveOutputs(name).some((o) => existsSync(join(out, o.file))),
  );

  // The pages: the months with a live row, newest first, and their parts.
  const counts = new Map<string, number>();
  for (const m of parts.months) {
    const live = parts.cut(m).live;
    if (live > 0) counts.set(m, live);
  }
  const months = [...counts.keys()].sort().reverse();
  const pageNames: string[] = [];
  for (const m of [...months].reverse())
    for (let n = 1; n <= parts.cut(m).parts; n++) pageNames.push(partName(m, n));
  const missing = (name: string): boolean => !existsSync(join(out, monthFile(name)));
  const keysBefore = pagesBefore.parts;
  const candidates = new Set(due.pages);
  for (const name of pageNames) if (!keysBefore.has(name) || missing(name)) candidates.add(name);
  // The date each part of a month starts from, for its first page's list of parts. A part
  // whose document this run leaves as it was holds the rows it held (partsDue moves every
  // part a change moves, and the gate refuses a document left stale: validate/outputs-due.ts),
  // so its date is the one saved with the document; reading it instead was every chunk of
  // the month whenever a part was added (0.4 s and 130 MB at 100,000 articles in one month).
  const docOf = new Map(docs.map((d) => [d.name, d]));
  const readFrom = new Map<string, string>();
  const firstDate = (m: string, n: number): string => {
    const name = partName(m, n);
    // A part this run renders (the first one among them: contents() is asked for its page) has
    // its rows read already; what is left is a part kept.
    const read = rowsOf.get(name);
    if (read !== undefined) return read[0]?.[1].publishedAt ?? '';
    const kept = docOf.get(name)?.from;
    if (typeof kept === 'string') return kept;
    const at = (n - 1) * PART_SIZE;
    const from = parts.slice(m, at, at + 1)[0]?.[1].publishedAt ?? '';
    readFrom.set(name, from);
    return from;
  };
  const contentsOf = new Map<string, { name: string; from: string }[]>();
  const contents = (m: string): { name: string; from: string }[] => {
    let list = contentsOf.get(m);
    if (list === undefined) {
      list = [];
      const of = parts.cut(m).parts;
      for (let n = 1; n <= of; n++) list.push({ name: partName(m, n), from: firstDate(m, n) });
      contentsOf.set(m, list);
    }
    return list;
  };
  const pageMonths = new Set(months);
  const keys = new Map<string, string>();
  const toRender = new Set<string>();
  const renderedParts: MonthPart<[string, RecordEntry]>[] = [];
  const partOf = new Map<string, MonthPart<[string, RecordEntry]>>();
  for (const name of pageNames) {
    if (!candidates.has(name)) {
      keys.set(name, keysBefore.get(name)!);
      continue;
    }
    const [month, number] = split(name);
    const of = parts.cut(month).parts;
    const p: MonthPart<[string, RecordEntry]> = {
      month,
      name,
      number,
      of,
      rows: partRows(name) as [string, RecordEntry][],
    };
    // The first part's list of parts (and its first dates): in its key when the month is cut.
    const key = partKey(p, months, number === 1 ? contents(month) : undefined);
    keys.set(name, key);
    if (keysBefore.get(name) !== key || missing(name)) {
      toRender.add(name);
      renderedParts.push(p);
      for (const [path] of p.rows) partOf.set(path, p);
    }
  }
  const emptied = [...keysBefore.keys(), ...due.gonePages]
    .filter((name) => !pageMonths.has(name.slice(0, 7)))
    .map(monthFile);

  // The records' page rows: those of the parts rendered and of the months without pages are
  // compared with the page state (as planPages does: the others are as saved).
  const rows = new Map<string, PageRow>();
  const previous = new Map<string, PageRow>();
  const changed: string[] = [];
  const compare = ([path, r]: Row): void => {
    const stamp = stampOf(r);
    const old = base.row(path, r.publishedAt);
    if (old !== undefined) previous.set(path, old);
    if (old === undefined || old[0] !== stamp) changed.push(path);
    else rows.set(path, old);
  };
  for (const p of renderedParts) for (const row of p.rows) compare(row);
  for (const m of parts.months)
    if (!pageMonths.has(m) && parts.cut(m).count > 0)
      for (const row of parts.slice(m, 0, Infinity)) compare(row);
  // Rows filed where the records no longer are: of the records changed (or left out, brought
  // back, released) whose row was filed under their date then, and that are not visible now or
  // are filed under another group now (page-rows.ts strays' rule, asked of these alone).
  const visibleNow = (path: string, r: RecordEntry | undefined): r is RecordEntry =>
    r !== undefined && wasPublished(r, now) && !input.leftOutAfter.has(path);
  const candidatesGone = new Map<string, RecordEntry | undefined>();
  for (const { path, before } of input.changes) candidatesGone.set(path, before);
  for (const [path] of [...input.leftOutBefore, ...input.leftOutAfter])
    if (!candidatesGone.has(path)) candidatesGone.set(path, records.get(path));
  const goneRows = new Set<string>();
  for (const [path, before] of candidatesGone) {
    if (before === undefined) continue;
    const old = base.row(path, before.publishedAt);
    if (old === undefined) continue;
    const after = records.get(path);
    if (
      !visibleNow(path, after) ||
      base.groupOf(path, after.publishedAt) !== base.groupOf(path, before.publishedAt)
    ) {
      goneRows.add(path);
      if (after !== undefined && !previous.has(path)) previous.set(path, old);
    }
  }

  const changedSet = new Set(changed);
  const wanted = [
    ...new Set([
      ...changed,
      ...renderedParts.flatMap((p) => p.rows.filter(([, r]) => !r.withdrawn).map(([path]) => path)),
    ]),
  ].sort();
  const holderBefore = (file: string): string | undefined => {
    const unchanged = (path: string): boolean =>
      !changedSet.has(path) && !goneRows.has(path) && visibleNow(path, records.get(path));
    for (const [path, held] of base.held) if (held === file && unchanged(path)) return path;
    const minted = /^articles\/(.+)\.html$/.exec(file)?.[1];
    if (minted === undefined) return undefined;
    for (const path of [...input.slugHolders(minted)].sort()) {
      const r = records.get(path);
      if (r === undefined || slugOfRecordPath(path) !== minted || !unchanged(path)) continue;
      const row = rows.get(path) ?? base.row(path, r.publishedAt);
      if (row?.[1] === file) return path;
    }
    return undefined;
  };

  // A state saved before ArchiveDoc.from: the dates read this run are kept with their documents.
  if (readFrom.size > 0)
    docs = docs.map((d) => {
      const from = d.from ?? readFrom.get(d.name);
      return from === d.from || from === undefined ? d : { ...d, from };
    });
  return {
    docs: {
      chain: { docs, complete: liveCount <= input.feedSize, liveCount, emptied: [] },
      due: docsDue,
      gone,
    },
    pages: {
      counts,
      rows,
      months,
      parts: renderedParts,
      partOf,
      contents: contentsOf,
      keys,
      toRender,
      wanted,
      changedSet,
      previous,
      base,
      gone: goneRows,
      holderBefore,
      emptied: [...new Set(emptied)].sort(),
    },
    parts,
  };
}

const split = (name: string): [string, number] => [name.slice(0, 7), Number(name.slice(8) || 1)];

/** Up to this many rows changed since the last publication, the plan from the changes is made. */
export const FEW_CHANGES = 64;

/**
 * The rows changed since the last publication, or null when they are not known: the records
 * table is not as saved (no view), the last publication did not say which root it was made from,
 * or this run's archive stage did not start from that root (a run that archived and did not
 * publish left changes this run would not see), or too many.
 */
export function changesSincePublished(
  savedStamp: string | undefined,
  view: RecordChunks | null,
  state: { readonly recordsRoot?: string } | null,
  saved: RecordRowChanges | undefined,
): readonly RowChange[] | null {
  if (view === null || savedStamp === undefined || state?.recordsRoot === undefined) return null;
  if (saved === undefined) return savedStamp === state.recordsRoot ? [] : null;
  if (saved.from !== state.recordsRoot || saved.to !== savedStamp) return null;
  return saved.changes.length > FEW_CHANGES ? null : saved.changes;
}

/**
 * `plan()`, where a chunk read on demand that is not as the root names it (RecordsUnreadableError)
 * is said as the render stage's reads say it (RecordChunkError): the run rebuilds (run.ts).
 */
export function onChunks<T>(plan: () => T): T {
  try {
    return plan();
  } catch (error) {
    if (error instanceof RecordsUnreadableError) throw new RecordChunkError('(read on demand)');
    throw error;
  }
}

/**
 * The rows readers see (embargo.ts visibleRows) of `records`, asked one at a time (a chunk each,
 * on demand), and left out as `leftOut` says when asked. Going over them (a consumer of every
 * row) reads them all: correct, only slower.
 */
export class VisibleOnDemand extends Map<string, RecordEntry> {
  #all: ReadonlyMap<string, RecordEntry> | null = null;
  constructor(
    private readonly records: ReadonlyMap<string, RecordEntry>,
    private readonly leftOut: { has(path: string): boolean; readonly size: number },
    private readonly now: string,
  ) {
    super();
  }
  #whole(): ReadonlyMap<string, RecordEntry> {
    return (this.#all ??= visibleRows(this.records, this.now, this.leftOut));
  }
  override get(path: string): RecordEntry | undefined {
    const r = this.records.get(path);
    return r !== undefined && wasPublished(r, this.now) && !this.leftOut.has(path) ? r : undefined;
  }
  override has(path: string): boolean {
    return this.get(path) !== undefined;
  }
  override get size(): number {
    return this.#whole().size;
  }
  override entries(): MapIterator<[string, RecordEntry]> {
    return this.#whole().entries();
  }
  override keys(): MapIterator<string> {
    return this.#whole().keys();
  }
  override values(): MapIterator<RecordEntry> {
    return this.#whole().values();
  }
  override [Symbol.iterator](): MapIterator<[string, RecordEntry]> {
    return this.#whole().entries();
  }
  override forEach(
    f: (value: RecordEntry, key: string, map: Map<string, RecordEntry>) => void,
    self?: unknown,
  ): void {
    for (const [k, v] of this.#whole()) f.call(self, v, k, this);
  }
  override set(): this {
    throw new Error('the visible rows are read only');
  }
  override delete(): boolean {
    throw new Error('the visible rows are read only');
  }
}

/**
 * FEEDKEEPER_PARTS_PLAN=both: the plan from the changes against the whole plans, made of every
 * row; a difference throws (a test's check, never a run's).
 */
export function samePlans(fast: PartsPlan, docs: DocsDue, pages: PagePlanning): void {
  const said = (x: unknown): string => JSON.stringify(x);
  const diff: string[] = [];
  const same = (what: string, a: unknown, b: unknown): void => {
    if (said(a) !== said(b)) diff.push(`${what}: ${said(a)} against ${said(b)}`);
  };
  same(
    'chain',
    fast.docs.chain.docs.map((d) => [d.name, d.key]),
    docs.chain.docs.map((d) => [d.name, d.key]),
  );
  same('complete', fast.docs.chain.complete, docs.chain.complete);
  same(
    'documents due',
    fast.docs.due.map(({ d, i }) => [d.name, i, d.live, d.changedAt]),
    docs.due.map(({ d, i }) => [d.name, i, d.live, d.changedAt]),
  );
  same('documents gone', fast.docs.gone, docs.gone);
  const p = fast.pages;
  same('pages due', [...p.toRender].sort(byPart), [...pages.toRender].sort(byPart));
  same('part keys', [...p.keys], [...pages.keys]);
  same('months', p.months, pages.months);
  same('counts', [...p.counts].sort(), [...pages.counts].sort());
  same('records read', p.wanted, pages.wanted);
  same('records changed', [...p.changedSet].sort(), [...pages.changedSet].sort());
  same('rows kept', [...p.rows].sort(), [...pages.rows].sort());
  same('rows gone', [...p.gone].sort(), [...pages.gone].sort());
  same('previous', [...(p.previous ?? [])].sort(), [...(pages.previous ?? [])].sort());
  same('emptied', p.emptied, pages.emptied);
  for (const part of pages.parts)
    // The list of parts is shown on a first part alone (render/list-pages.ts).
    if (pages.toRender.has(part.name) && part.number === 1)
      same(`contents of ${part.name}`, p.contents.get(part.month), pages.contents.get(part.month));
  if (diff.length > 0)
    throw new Error(`the plan from the changes is not the whole plan: ${diff.join('; ')}`);
}
