import { serveJobs } from '../io/worker-pool.js';
import { renderArchiveDoc, type ArchiveDocDone, type ArchiveDocJob } from './render-archive-doc.js';

/**
 * The worker thread of renderArchive() (render-archive.ts): renders, proves and stages the
 * archive documents it is sent, one at a time, and answers with their issues and staged files.
 */
serveJobs<ArchiveDocJob, ArchiveDocDone>(renderArchiveDoc);
