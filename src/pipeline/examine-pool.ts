import type { InputEntry } from '../archive/catalogue.js';
import type { ListedArticle } from '../ingest/list-articles.js';
import { resultsInOrder, workerCount } from '../io/worker-pool.js';
import {
  examineArticle,
  finishExamined,
  type Before,
  type Examined,
  type ExamineOptions,
  type Prepared,
  type PrepareOptions,
} from './examine-article.js';

/** From this many changed articles, they are read and normalized on worker threads. */
export const EXAMINE_WORKERS_FROM = 256;
/** Articles per message: one each cost more in messages than a worker saved (~0.5 ms each). */
const BATCH = 16;

/** A worker's options: the normalizer is its own import, the rest is plain data. */
export type WorkerPrepareOptions = Omit<PrepareOptions, 'normalize'>;

export interface ExamineJob {
  readonly options: WorkerPrepareOptions;
  readonly batch: readonly { readonly l: ListedArticle; readonly before: Before }[];
}

/**
 * The changed articles of a big run (a cold build, a mass import) read, hashed, normalized and
 * dated on worker threads (prepareArticle), a few batches ahead of this thread, which takes
 * them in the order of `work` and keeps everything that depends on order (the catalogue, ids,
 * slugs, duplicates: archive-articles.ts) exactly as when it examined them itself.
 *
 * A batch is sent with what the catalogue said of each file then (its hash and rules version,
 * for the "same bytes" answer). If the row changed by the time the article's turn comes (the
 * plan of an earlier article touched it), the worker's answer is dropped and the article is
 * examined here again: the answer is always the one this thread would have given.
 */
export class ExaminePool {
  private batch: { prepared: readonly Prepared[]; asked: ExamineJob['batch'] } | null = null;
  private at = 0;

  private constructor(
    private readonly results: AsyncGenerator<Prepared[], void, undefined>,
    /** The batches sent and not yet taken, in order (jobs() adds, examine() takes). */
    private readonly sent: ExamineJob['batch'][],
  ) {}

  /** A pool for `work`, or null when it is small or workers cannot start (the tests). */
  static start(
    work: readonly ListedArticle[],
    beforeOf: (path: string) => InputEntry | undefined,
    o: ExamineOptions,
  ): ExaminePool | null {
    const threads = work.length >= EXAMINE_WORKERS_FROM ? workerCount(import.meta.url) : 0;
    if (threads === 0) return null;
    const options: WorkerPrepareOptions = {
      maxBytes: o.maxBytes,
      normalizeOptions: o.normalizeOptions,
      recheck: o.recheck,
      ...(o.dates === undefined ? {} : { dates: o.dates }),
    };
    const sent: ExamineJob['batch'][] = [];
    function* jobs(): Generator<ExamineJob> {
      for (let i = 0; i < work.length; i += BATCH) {
        const batch = work
          .slice(i, i + BATCH)
          .map((l) => ({ l, before: beforeHash(beforeOf(l.path)) }));
        sent.push(batch);
        yield { options, batch };
      }
    }
    return new ExaminePool(
      resultsInOrder<ExamineJob, Prepared[]>(
        new URL('./examine-worker.js', import.meta.url),
        jobs(),
        {
          workers: threads,
          ahead: 4 * threads,
        },
      ),
      sent,
    );
  }

  /** examineArticle(l, before, o) for the next article of `work`, which must be `l`. */
  async examine(
    l: ListedArticle,
    before: InputEntry | undefined,
    o: ExamineOptions,
  ): Promise<Examined> {
    if (this.batch === null || this.at >= this.batch.prepared.length) {
      const next = await this.results.next();
      const asked = this.sent.shift();
      if (next.done === true || asked === undefined)
        throw new Error(
          `no prepared article for ${l.path}: the examine pool ran out (a feedkeeper bug)`,
        );
      this.batch = { prepared: next.value, asked };
      this.at = 0;
    }
    const i = this.at++;
    const p = this.batch.prepared[i];
    const asked = this.batch.asked[i];
    if (p === undefined || asked?.l.path !== l.path)
      throw new Error(
        `the examine pool answered for ${asked?.l.path ?? 'nothing'}, not ${l.path} (a feedkeeper bug)`,
      );
    const now = beforeHash(before);
    // Asked to normalize unchanged bytes again (a row judged by the clock, one that must learn
    // its declared date: archive-articles.ts), which the workers were not told.
    if (
      now?.sha256 !== asked.before?.sha256 ||
      now?.normalizer !== asked.before?.normalizer ||
      now?.rebuilt !== asked.before?.rebuilt ||
      (o.recheck && p.kind === 'same')
    )
      return examineArticle(l, before, o);
    return finishExamined(p, before, o);
  }

  /** Stop the workers (they may be ahead of what was taken); resolves when they are gone. */
  async close(): Promise<void> {
    await this.results.return();
  }
}

const beforeHash = (e: InputEntry | undefined): Before =>
  e === undefined
    ? undefined
    : { sha256: e.sha256, normalizer: e.normalizer, ...(e.rebuilt ? { rebuilt: true } : {}) };
