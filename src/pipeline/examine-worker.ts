import { serveJobs } from '../io/worker-pool.js';
import { normalizeArticle } from '../normalize/normalize-article.js';
import { prepareArticle, type Prepared } from './examine-article.js';
import type { ExamineJob } from './examine-pool.js';

/**
 * The worker thread of the examine pool (examine-pool.ts): reads, normalizes and dates each
 * batch of changed articles it is sent, and answers with what prepareArticle() says of each.
 */
serveJobs<ExamineJob, Prepared[]>((job) =>
  job.batch.map(({ l, before }) =>
    prepareArticle(l, before, { ...job.options, normalize: normalizeArticle }),
  ),
);
