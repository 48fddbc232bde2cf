import { serveJobs } from '../io/worker-pool.js';
import { makeCopies, type CopyTemps } from './make-copies.js';

/**
 * The worker thread of makeAllCopies() (copy-pool.ts): for each published file it is sent (its
 * path), reads it, compresses it and writes the copies' temp files, and answers with their names.
 */
serveJobs<string, CopyTemps>((path) => makeCopies(path));
